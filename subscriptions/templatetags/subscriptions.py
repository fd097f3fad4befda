"""``{% events_subscribe_form selection %}``: the small GET form that leads to the subscribe page.

It holds no CSRF token and sets no cookie, so the page it sits on stays in the page cache.
"""

from urllib.parse import parse_qsl

from django import template

from subscriptions.selections import selection_filters

register = template.Library()


@register.inclusion_tag("subscriptions/includes/subscribe_form.html")
def events_subscribe_form(query: str = "", **preset: str) -> dict:
    """``query`` is the list's query string of the selection; ``preset`` names a partner, society or country."""
    names = selection_filters()
    pairs = [(key, value) for key, value in parse_qsl(query) if key in names and key not in preset]
    return {"pairs": [*pairs, *((key, value) for key, value in preset.items() if key in names and value)]}
