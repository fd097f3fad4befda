"""The one selection of events behind the list, the calendar and the Atom feed.

The query string names it; a ready-made feed's URL presets a partner, a society or a country.
An e-mail subscription keeps the list's query string of it and builds it again with
``stored_selection``. Today is read once, here, so that the publication filter, «upcoming or past» and the list's
two groups all put an event that ends at midnight on the same side.
"""

from datetime import date
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import current_language
from core.partial_dates import PartialDate, format_partial_date
from events.filters import EventFilter, UpcomingFirst, sort_events
from events.models import Event, EventQuerySet

PRESETS = ("society", "partner", "country")
#: The order in which a title names the selection: where, what, then when («Events: Vietnam, 2024»).
TITLE_ORDER = ("region", "country", "partner", "society", "kind", "place", "status", "when", "year")
TITLE_ORDER += ("date_from", "date_to", "q")


def event_selection(request: HttpRequest, **preset: str) -> EventFilter:
    """The events that ``request``'s query string selects, with ``preset`` values from a feed's URL.

    A bad value in the query string is reported by the form and ignored; an unknown preset is a 404,
    since the feed's URL names something that does not exist.
    """
    if unknown := preset.keys() - set(PRESETS):
        raise TypeError(f"not a preset: {', '.join(sorted(unknown))}")
    data = {key: request.GET.get(key) for key in EventFilter.base_filters if key in request.GET}
    data.update(preset)
    selection = _selection(data, today=timezone.localdate(), request=request)
    if any(key in selection.form.errors for key in preset):
        raise Http404("unknown society, partner or country")
    return selection


def stored_selection(query: str, *, today: date | None = None) -> EventFilter:
    """The selection kept as its query string (``selection_querystring``, presets included), built as the list does.

    The caller decides what a value that is no longer valid means (``selection.form.errors``).
    """
    data = {key: value for key, value in parse_qsl(query) if key in EventFilter.base_filters}
    return _selection(data, today=today or timezone.localdate())


def _selection(data: dict, *, today: date, request: HttpRequest | None = None) -> EventFilter:
    return EventFilter(data, queryset=Event.objects.published(today), request=request, today=today)


def in_list_order(selection: EventFilter, events: EventQuerySet | None = None) -> UpcomingFirst:
    """The selected ``events`` (all of them by default) as the list shows them, in the sort its form chose."""
    events = selection.qs if events is None else events
    selection.form.is_valid()  # cleans once: a bad sort is left out of cleaned_data, and the date sort applies
    return sort_events(events, selection.form.cleaned_data.get("sort"), today=selection.today)


def shown_value(field, value) -> str:
    """A cleaned filter value as people read it, in the current language: «Вьетнам», "exhibition", "3 July 2024"."""
    if isinstance(value, date):
        return format_partial_date(PartialDate(value.year, value.month, value.day), current_language())
    if hasattr(value, "_meta"):  # a country, partner, society or region
        return str(value)
    choices = dict(getattr(field, "choices", ()))
    if value in choices:
        return str(choices[value])
    if isinstance(value, float | int) or str(value).isdigit():
        return str(int(value))
    return f"«{value}»" if current_language() == "ru" else f"“{value}”"


def selection_title(selection: EventFilter) -> str:
    """What a calendar or a feed of ``selection`` is called, in the current language: «События: Вьетнам, 2024 —
    <the site>», "Events — <the site>" for every event. Call it on a valid selection."""
    selection.form.is_valid()
    values = selection.form.cleaned_data
    shown = []
    for name in TITLE_ORDER:
        value = values.get(name)
        if value in (None, "", []):
            continue
        text = shown_value(selection.form.fields[name], value)
        if name == "date_from":
            text = _("from %(date)s") % {"date": text}
        elif name == "date_to":
            text = _("until %(date)s") % {"date": text}
        shown.append(text)
    title = _("Events: %(selection)s") % {"selection": ", ".join(shown)} if shown else _("Events")
    return f"{title} — {settings.SITE_NAME}"
