"""Form widgets of the public filter forms."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A ``<select>`` rendered in Python.

    Django renders each ``<option>`` through a template include; a filter form with a
    hundred partners spent a third of the events page's time there. The markup is the
    same as Django's, without option groups (the filter forms have none).
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = [option for _group, group_options, _index in context["optgroups"] for option in group_options]
        rendered = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((option["value"], " selected" if option["selected"] else "", option["label"]) for option in options),
        )
        attributes = {**context["attrs"], "name": context["name"]}
        return format_html("<select{}>\n{}\n</select>", flatatt(attributes), rendered)
