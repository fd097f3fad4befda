"""One selection behind the list, the calendar and the Atom feed, as a visitor and a feed reader see them."""

import itertools
import re
from datetime import timedelta

import feedparser
import icalendar
import pytest
from django.utils import timezone

from tests.factories import make_country, make_event, make_partner, make_society

ROW = re.compile(r'<li class="event-row[^"]*">\s*<span class="date">[^<]*</span>\s*<a href="/ru/events/(\d+)/">')


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def world(db):
    vietnam = make_country(code="VN")
    hanoi, paris = make_partner(country=vietnam), make_partner(country=make_country(code="FR"))
    society = make_society(countries=[vietnam])
    specs = [
        {"start": days(20), "partners": [hanoi], "kind": "exhibition", "title_ru": "Выставка лаковой живописи"},
        {"start": days(5), "partners": [paris], "societies": [society]},
        {"start": days(-3), "end": days(2), "partners": [hanoi, paris], "kind": "festival"},
        {"start": days(-1), "end": days(0), "kind": "exhibition", "societies": [society]},
        {"start": days(-10), "partners": [hanoi], "title_ru": "Визит делегации Ханоя"},
        {"start": "2024-07-03", "partners": [paris], "kind": "exhibition"},
        {"start": "2019", "partners": [hanoi], "societies": [society], "kind": "festival"},
        {"start": "2001-05-01", "end": "2001-05-03", "title_ru": "Концерт"},
    ]
    for spec in specs:
        make_event(**spec)
    make_event(start=days(-2), partners=[hanoi], is_published=False)
    return {"hanoi": hanoi, "paris": paris, "society": society}


def listed(client, query: str) -> list[int]:
    """The events the list shows for ``query``, page after page."""
    shown = []
    for page in itertools.count(1):
        response = client.get(f"/ru/events/?{query}&page={page}")
        shown += [int(pk) for pk in ROW.findall(response.text)]
        if not response.context["page_obj"].has_next():
            return shown


def in_calendar(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    uids = [str(item["UID"]) for item in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    return [int(re.fullmatch(r"event-(\d+)@events\.spb-aic", uid).group(1)) for uid in uids]


def in_feed(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    entries = feedparser.parse(response.content).entries
    return [int(re.search(r"/events/(\d+)/$", entry.link).group(1)) for entry in entries]


QUERIES = [
    "",
    "kind=exhibition",
    "country=VN",
    "q=визит",
    "when=past",
    "when=upcoming&sort=title",
    "year=2024&sort=oldest",
    "date_from=2001-01-01&date_to=2024-12-31&sort=newest",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_list_the_calendar_and_the_feed_hold_the_same_events(client, world, query):
    shown = listed(client, query)
    assert shown, "each query selects something"
    assert in_calendar(client, f"/ru/events/calendar.ics?{query}") == shown  # in the list's order too
    assert sorted(in_feed(client, f"/ru/events/feed.atom?{query}")) == sorted(shown)


def test_a_bad_value_is_ignored_by_the_list_and_refused_by_the_calendar_and_the_feed(client, world):
    """A page shows it back in its form; a calendar must not silently subscribe to every event instead."""
    assert listed(client, "kind=festival&year=abc") == listed(client, "kind=festival")
    for feed in ("calendar.ics", "feed.atom"):
        assert client.get(f"/ru/events/{feed}?kind=festival&year=abc").status_code == 400


def test_partner_and_society_filters_select_the_same_in_the_list_and_the_feeds(client, world):
    for query in (f"partner={world['hanoi'].slug}", f"society={world['society'].slug}&sort=title"):
        shown = listed(client, query)
        assert in_calendar(client, f"/ru/events/calendar.ics?{query}") == shown
        assert sorted(in_feed(client, f"/ru/events/feed.atom?{query}")) == sorted(shown)


@pytest.mark.parametrize("feed", ["calendar.ics", "feed.atom"])
@pytest.mark.parametrize("query", ["", "kind=exhibition", "sort=title&when=past"])
def test_a_ready_made_feed_is_the_selection_of_its_query_string(client, world, feed, query):
    read = in_calendar if feed == "calendar.ics" else in_feed
    presets = {
        f"partners/{world['hanoi'].slug}/": f"partner={world['hanoi'].slug}",
        f"societies/{world['society'].slug}/": f"society={world['society'].slug}",
        "countries/VN/": "country=VN",
    }
    for path, preset in presets.items():
        selected = read(client, f"/ru/events/{feed}?{preset}&{query}")
        assert selected, path
        assert read(client, f"/ru/events/{path}{feed}?{query}") == selected, path


@pytest.mark.parametrize("feed", ["calendar.ics", "feed.atom"])
def test_a_ready_made_feed_keeps_its_preset_whatever_the_query_string(client, world, feed):
    read = in_calendar if feed == "calendar.ics" else in_feed
    hanoi, paris = world["hanoi"].slug, world["paris"].slug
    preset = read(client, f"/ru/events/partners/{hanoi}/{feed}?partner={paris}")
    assert preset == read(client, f"/ru/events/{feed}?partner={hanoi}")
    assert preset != read(client, f"/ru/events/{feed}?partner={paris}")


UNKNOWN = ["partners/nowhere/calendar.ics", "societies/nowhere/feed.atom", "countries/ZZ/feed.atom"]


@pytest.mark.parametrize("path", UNKNOWN)
def test_a_ready_made_feed_of_something_unknown_is_not_found(client, world, path):
    assert client.get(f"/ru/events/{path}").status_code == 404


@pytest.mark.django_db
def test_pages_run_from_the_soonest_upcoming_to_the_latest_past_event(client):
    upcoming = [make_event(start=days(1 + i % 20)) for i in range(35)]
    past = [make_event(start=days(-1 - i % 25)) for i in range(40)]
    # soonest upcoming first, latest past first; events of one day: the last created first
    expected = sorted(upcoming, key=lambda event: (event.start_on, -event.pk))
    expected += sorted(past, key=lambda event: (event.start_on, event.pk), reverse=True)
    pages = [client.get(f"/ru/events/?page={page}").text for page in (1, 2, 3)]
    assert [int(pk) for html in pages for pk in ROW.findall(html)] == [event.pk for event in expected]
    assert [len(ROW.findall(html)) for html in pages] == [30, 30, 15]
    headings = [(('id="events-upcoming"' in html), ('id="events-past"' in html)) for html in pages]
    assert headings == [(True, False), (True, True), (False, True)]
    upcoming_part, past_part = pages[1].split('id="events-past"')
    assert len(ROW.findall(upcoming_part)) == 5 and len(ROW.findall(past_part)) == 25


@pytest.mark.django_db
def test_the_atom_feed_leads_with_the_latest_changes_to_any_event_of_the_selection(client):
    events = [make_event(start=f"{1950 + i}-01-01", kind="festival") for i in range(60)]
    oldest = events[0]
    oldest.title_ru = "Исправленное название"
    oldest.save()  # the last event in the list's order, and the last one changed
    entries = in_feed(client, "/ru/events/feed.atom?kind=festival")
    assert len(entries) == 50
    assert entries[0] == oldest.pk
    assert entries[1:] == [event.pk for event in reversed(events[11:])]


def get_past_midnights(client, monkeypatch, url: str) -> str:
    """The page, as if midnight passed between any two reads of the clock: each read is a day later."""
    today, later = timezone.localdate(), itertools.count()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=next(later)))
    try:
        return client.get(url).text
    finally:
        monkeypatch.undo()


@pytest.mark.django_db
def test_one_day_for_the_whole_request_even_at_midnight(client, monkeypatch):
    for n in range(-1, 8):
        make_event(start=days(n - 3), end=days(n))  # ends on each of the days the request could see
    upcoming = get_past_midnights(client, monkeypatch, "/ru/events/?when=upcoming")
    assert ROW.findall(upcoming) and 'id="events-past"' not in upcoming
    past = get_past_midnights(client, monkeypatch, "/ru/events/?when=past")
    assert ROW.findall(past) and 'id="events-upcoming"' not in past
