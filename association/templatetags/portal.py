from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from association.i18n import text_in_language
from association.partial_dates import PartialDate, PartialPeriod, format_partial_period
from association.rich_text import render_rich

register = template.Library()


@register.filter
def partial_date(value: PartialDate | PartialPeriod | None) -> str:
    """``{{ event.period|partial_date }}`` → «3–6 июля 2024 г.», "3–6 July 2024"."""
    if value is None:
        return ""
    return format_partial_period(value, get_language() or "ru")


@register.simple_tag
def translated(instance, field: str, rich: bool = False, tag: str = "span"):
    """Render a translated field, marking text shown through the fallback with its language."""
    text, language = text_in_language(instance, field)
    content = render_rich(text) if rich else text
    if language == (get_language() or "ru"):
        return format_html("<{0}>{1}</{0}>", tag, content) if rich else content
    return format_html('<{0} lang="{1}" class="fallback" data-fallback="{1}">{2}</{0}>', tag, language, content)
