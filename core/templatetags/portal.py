from babel.numbers import format_decimal
from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext

from core.i18n import text_in_language
from core.partial_dates import PartialDate, PartialPeriod, format_partial_period
from core.rich_text import render_rich, safe_url

register = template.Library()


@register.filter
def partial_date(value: PartialDate | PartialPeriod | None) -> str:
    """``{{ event.period|partial_date }}`` → «3–6 июля 2024 г.», "3–6 July 2024"."""
    if value is None:
        return ""
    return format_partial_period(value, get_language() or "ru")


@register.filter
def grouped(value: int | None) -> str:
    """A count with the language's digit grouping (CLDR): «23 100», "23,100", "23.100"."""
    if value is None:
        return ""
    return format_decimal(value, locale=get_language() or "ru")


register.filter("safe_url", safe_url)


@register.simple_tag
def translated(instance, field: str, rich: bool = False, tag: str = "span"):
    """Render a translated field, marking text shown through the fallback with its language.

    Inline text gets ``lang`` and a tooltip; a block of rich text also gets a short
    visible note, so that readers know why the page switches language.
    """
    text, language = text_in_language(instance, field)
    content = render_rich(text) if rich else text
    if language == (get_language() or "ru"):
        return format_html("<{0}>{1}</{0}>", tag, content) if rich else content
    note = gettext("Not yet translated; shown in %(language)s.") % {
        "language": get_language_info(language)["name_translated"]
    }
    if rich:
        return format_html(
            '<p class="fallback-note">{0}</p><{1} lang="{2}" class="fallback" data-fallback="{2}">{3}</{1}>',
            note,
            tag,
            language,
            content,
        )
    return format_html(
        '<{0} lang="{1}" class="fallback" data-fallback="{1}" title="{2}">{3}</{0}>', tag, language, note, content
    )


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*trail):
    """``{% breadcrumbs url1 label1 url2 label2 current_label %}``: links, then the current page."""
    *linked, current = trail
    crumbs = [{"url": url, "label": label} for url, label in zip(linked[::2], linked[1::2], strict=True)]
    return {"crumbs": [*crumbs, {"url": None, "label": current}]}
