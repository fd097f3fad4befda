"""Calendar (iCalendar, RFC 5545) and Atom feeds of any selection of events.

A partial date becomes an all-day span: «June 2017» runs from 1 June to 1 July
(DTEND is exclusive). UIDs depend only on the event's id, so calendar clients update
events in place; cancelled events stay in the feed with STATUS:CANCELLED so that
subscribers see the cancellation instead of a silent disappearance.
"""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from core.i18n import text_in_language
from core.partial_dates import format_partial_period
from core.text import plain_text
from events.filters import EventFilter
from events.models import Event
from events.selection import in_list_order
from events.views import EventSelectionMixin

FEED_LIMIT = 500
ATOM_LIMIT = 50
UID_DOMAIN = "events.spb-aic"
REFRESH = timedelta(hours=12)
STATUSES = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.POSTPONED: "TENTATIVE",
}


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def event_text(event: Event, field: str) -> str:
    """The title as written, or the description without its markup, in the language shown."""
    text, _language = text_in_language(event, field)
    return plain_text(text) if field == "description" else text


def calendar_for(events, *, name: str, request: HttpRequest) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{UID_DOMAIN}//{get_language()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for event in events:
        calendar.add_component(calendar_event(event, request))
    return calendar


def calendar_event(event: Event, request: HttpRequest) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", event.period.first_day)
    item.add("dtend", event.period.last_day + timedelta(days=1))
    item.add("summary", event_text(event, "title"))
    description = event_text(event, "description")
    when = format_partial_period(event.period, get_language())
    item.add("description", f"{when}\n\n{description}".strip())
    item.add("status", STATUSES.get(event.status, "CONFIRMED"))
    item.add("categories", [str(event.get_kind_display())])
    if event.place != Event.Place.UNKNOWN:
        item.add("location", str(event.get_place_display()))
    item.add("url", request.build_absolute_uri(event.get_absolute_url()))
    item.add("transp", "TRANSPARENT")
    return item


def ics_response(calendar: icalendar.Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


class EventCalendarView(EventSelectionMixin, View):
    """``.ics`` of the selection named by the query string or a ready-made feed's URL: the list's first events."""

    def get(self, request, **kwargs):
        events = in_list_order(self.selection)[:FEED_LIMIT]
        name = f"{_('Events')} — {settings.SITE_NAME}"
        return ics_response(calendar_for(events, name=name, request=request), "events")


class EventSingleCalendarView(View):
    """ "Add to calendar": one event as an ``.ics`` file."""

    def get(self, request, pk: int):
        event = get_object_or_404(Event.objects.published(), pk=pk)
        calendar = calendar_for([event], name=event_text(event, "title"), request=request)
        return ics_response(calendar, f"event-{event.pk}-{slugify(event_text(event, 'title'))[:40]}")


class EventAtomFeed(EventSelectionMixin, Feed):
    """An Atom feed of the same selection: its most recently changed events first, wherever they are in the list."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        return super().__call__(request, *args, **kwargs)

    @classmethod
    def as_view(cls):
        """A fresh instance per request: the selection is cached on the instance."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def get_object(self, request, *args, **kwargs) -> EventFilter:
        return self.selection

    def title(self, obj) -> str:
        return f"{_('Events')} — {settings.SITE_NAME}"

    def subtitle(self, obj) -> str:
        return _("Events of the St. Petersburg Association for International Cooperation and its partners.")

    def link(self, obj) -> str:
        query = self.selection_querystring()
        return reverse("events:list") + (f"?{query}" if query else "")

    def feed_url(self, obj) -> str:
        return self.request.get_full_path()

    def items(self, obj):
        return obj.qs.order_by("-updated_at", "-pk")[:ATOM_LIMIT]

    def item_title(self, item: Event) -> str:
        title = event_text(item, "title")
        if item.status != Event.Status.SCHEDULED:
            title = f"{title} ({item.get_status_display()})"
        return f"{format_partial_period(item.period, get_language())}: {title}"

    def item_description(self, item: Event) -> str:
        return event_text(item, "description")

    def item_guid(self, item: Event) -> str:
        return f"tag:{UID_DOMAIN},2024:event-{item.pk}"

    def item_guid_is_permalink(self, item: Event) -> bool:
        return False

    def item_updateddate(self, item: Event):
        return item.updated_at

    def item_pubdate(self, item: Event):
        return item.updated_at

    def item_categories(self, item: Event):
        return [str(item.get_kind_display())]
