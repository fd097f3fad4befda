"""The one selection of events behind the list, the calendar and the Atom feed.

The query string names it; a ready-made feed's URL presets a partner, a society or a country.
An e-mail subscription keeps the list's query string of it and builds it again with
``stored_selection``. Today is read once, here, so that the publication filter, «upcoming or past» and the list's
two groups all put an event that ends at midnight on the same side.
"""

from datetime import date
from urllib.parse import parse_qsl

from django.http import Http404, HttpRequest
from django.utils import timezone

from events.filters import EventFilter, UpcomingFirst, sort_events
from events.models import Event, EventQuerySet

PRESETS = ("society", "partner", "country")


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
