"""Calendar (iCalendar, RFC 5545) and Atom feeds of any selection of events.

Dates. A day, or a span of days, becomes an all-day span (DTEND is exclusive). An event known only
to the month or the year («июнь 2027 г.», «2020») is not turned into a month- or year-long block:
that would claim it fills the whole period and mark every one of those days in a subscriber's
calendar. It becomes one all-day entry on the first day of the period, STATUS:TENTATIVE, whose
SUMMARY ends with "(exact date not stated: June 2027)". It is kept rather than left out so that a
subscriber following a partner still learns that something is planned for June; the note and the
tentative status say that the day is not known. (The same holds for a span whose start or end is
not a day.)

Languages. Each text says which language it is in: SUMMARY and DESCRIPTION carry the RFC 5545
``LANGUAGE`` parameter of the text actually shown — a title not yet translated is shown in
Russian, ``LANGUAGE=ru``, even in the English calendar; the interface words (place, kind, the note
on the date, which follows the title in SUMMARY) are in the calendar's language. In Atom, each
entry's ``xml:lang`` is the language of its title; its summary (HTML) is in the feed's language,
with the description in a block that has its own ``lang``.

Selection. The query string selects the events as on the events list; a value that is not valid
answers 400 with a plain message (``core.bad_filters``) instead of the unfiltered set. Titles name
the selection: «События: Вьетнам, 2024».

UIDs depend only on the event's id, so calendar clients update events in place; cancelled events
stay in the feed with STATUS:CANCELLED so that subscribers see the cancellation instead of a
silent disappearance.
"""

from datetime import timedelta

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from core.bad_filters import bad_filters_response, filter_problems
from core.cache_tags import page_about
from core.i18n import current_language, text_in_language
from core.partial_dates import Precision, format_partial_period
from core.rich_text import render_rich
from core.text import plain_text
from events.filters import EventFilter
from events.models import Event
from events.selection import in_list_order, selection_title
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


def event_text(event: Event, field: str) -> tuple[str, str]:
    """The title as written, or the description without its markup, and the language it is in."""
    text, language = text_in_language(event, field)
    return (plain_text(text) if field == "description" else text), language


def known_to_the_day(event: Event) -> bool:
    """Whether the event's period is made of days, not of a month or a year the day of which is not stated."""
    return all(end.precision == Precision.DAY for end in (event.period.start, event.period.end) if end)


def calendar_for(events, *, name: str, request: HttpRequest) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{UID_DOMAIN}//{current_language()}")
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
    """One event; see the module's docstring for the dates of a month or a year and for the languages."""
    language = current_language()
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    title, title_language = event_text(event, "title")
    status = STATUSES.get(event.status, "CONFIRMED")
    if known_to_the_day(event):
        item.add("dtstart", event.period.first_day)
        item.add("dtend", event.period.last_day + timedelta(days=1))
    else:
        item.add("dtstart", event.period.first_day)
        item.add("dtend", event.period.first_day + timedelta(days=1))
        period = format_partial_period(event.period, language)
        title = _("%(title)s (exact date not stated: %(period)s)") % {"title": title, "period": period}
        status = "CANCELLED" if status == "CANCELLED" else "TENTATIVE"
    item.add("summary", title, parameters={"LANGUAGE": title_language})
    description, description_language = event_text(event, "description")
    if description:
        item.add("description", description, parameters={"LANGUAGE": description_language})
    item.add("status", status)
    item.add("categories", [str(event.get_kind_display())], parameters={"LANGUAGE": language})
    if event.place != Event.Place.UNKNOWN:
        item.add("location", str(event.get_place_display()), parameters={"LANGUAGE": language})
    item.add("url", request.build_absolute_uri(event.get_absolute_url()))
    item.add("transp", "TRANSPARENT")
    return item


def ics_response(calendar: icalendar.Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


class ValidSelectionMixin(EventSelectionMixin):
    """A selection named by the query string, refused with a 400 when one of its values is not valid."""

    def selection_refused(self) -> HttpResponse | None:
        problems = filter_problems(self.selection.form)
        if not problems:
            return None
        return bad_filters_response(problems, choices_url=self.request.build_absolute_uri(reverse("events:list")))


class EventCalendarView(ValidSelectionMixin, View):
    """``.ics`` of the selection named by the query string or a ready-made feed's URL: the list's first events."""

    def get(self, request, **kwargs):
        if refused := self.selection_refused():
            return refused
        events = in_list_order(self.selection)[:FEED_LIMIT]
        name = selection_title(self.selection)
        return ics_response(calendar_for(events, name=name, request=request), "events")


class EventSingleCalendarView(View):
    """ "Add to calendar": one event as an ``.ics`` file."""

    def get(self, request, pk: int):
        event = get_object_or_404(Event.objects.published(), pk=pk)
        page_about(event)
        title, _language = event_text(event, "title")
        calendar = calendar_for([event], name=title, request=request)
        return ics_response(calendar, f"event-{event.pk}-{slugify(title)[:40]}")


class LanguageTaggedAtomFeed(Atom1Feed):
    """Atom with the language of each text: the entry's ``xml:lang`` is its title's, the summary's the feed's."""

    def item_attributes(self, item: dict) -> dict:
        return {**super().item_attributes(item), "xml:lang": item["title_language"]}

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("summary", item["description"], {"type": "html", "xml:lang": self.feed["language"]})


class EventAtomFeed(ValidSelectionMixin, Feed):
    """An Atom feed of the same selection: its most recently changed events first, wherever they are in the list."""

    feed_type = LanguageTaggedAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        if refused := self.selection_refused():
            return refused
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
        return selection_title(obj)

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
        return event_text(item, "title")[0]

    def item_description(self, item: Event) -> str:
        """The date, kind and status in the feed's language, then the description in its own."""
        facts = [format_partial_period(item.period, current_language()), str(item.get_kind_display())]
        if item.status != Event.Status.SCHEDULED:
            facts.append(str(item.get_status_display()))
        summary = format_html("<p>{}</p>", " · ".join(facts))
        description, language = text_in_language(item, "description")
        if description:
            summary += format_html('<div lang="{}">{}</div>', language, render_rich(description))
        return summary

    def item_extra_kwargs(self, item: Event) -> dict:
        return {"title_language": text_in_language(item, "title")[1]}

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
