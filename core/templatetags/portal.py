from datetime import date, datetime

from babel.numbers import format_decimal
from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from core.fragments import rendered_rows
from core.i18n import current_language, language_label, text_in_language
from core.partial_dates import PartialDate, PartialPeriod, format_partial_period
from core.rich_text import render_rich, safe_url

register = template.Library()


@register.filter
def partial_date(value: PartialDate | PartialPeriod | date | None) -> str:
    """The one date style of the site, per language (CLDR): ``{{ event.period|partial_date }}`` → «3–6 июля
    2024 г.», "3–6 July 2024"; a day (``{{ subscription.last_sent_at|partial_date }}``) → "23 May 2025"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        value = PartialDate.coerce(value)
    return format_partial_period(value, current_language())


@register.filter
def grouped(value: int | None) -> str:
    """A count with the language's digit grouping (CLDR): «23 100», "23,100", "23.100"."""
    if value is None:
        return ""
    return format_decimal(value, locale=get_language() or "ru")


register.filter("safe_url", safe_url)


@register.simple_tag
def rows(records, template_name: str, name: str, **given):
    """``{% rows events "events/includes/event_row.html" "event" %}``: each row kept rendered until it changes.

    The rows of a list rendered with ``template_name`` (``name`` the record, ``given`` the other
    values it needs), each kept by ``core.fragments`` until the record or what it shows changes.
    """
    return rendered_rows(records, template_name, name, **given)


@register.simple_tag
def translated(instance, field: str, rich: bool = False, tag: str = "span"):
    """Render a translated field; text shown through the fallback says which language it is in.

    Such text carries its ``lang`` (so that screen readers switch voice) and a visible label
    beside it, «In Russian», in the page's language: real text, announced by screen readers
    and seen by everyone, not a tooltip. A block of rich text gets the label in a short note
    above it. Text in the page's own language is shown as it is.
    """
    text, language = text_in_language(instance, field)
    content = render_rich(text) if rich else text
    if language == current_language():
        return format_html("<{0}>{1}</{0}>", tag, content) if rich else content
    label = language_label(language)
    if rich:
        return format_html(
            '<p class="fallback-note"><span class="fallback-label">{0}</span> {1}</p>'
            '<{2} lang="{3}" class="fallback">{4}</{2}>',
            label,
            gettext("This text has not been translated yet."),
            tag,
            language,
            content,
        )
    return format_html(
        # No space between: it would be underlined with the text in a link; the label's margin parts them, and
        # being an inline block it stays a word of its own for screen readers: "Визит делегации In Russian".
        '<{0} lang="{1}" class="fallback">{2}</{0}><span class="fallback-label">{3}</span>',
        tag,
        language,
        content,
        label,
    )


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*trail):
    """``{% breadcrumbs url1 label1 url2 label2 current_label %}``: links, then the current page."""
    *linked, current = trail
    crumbs = [{"url": url, "label": label} for url, label in zip(linked[::2], linked[1::2], strict=True)]
    return {"crumbs": [*crumbs, {"url": None, "label": current}]}
