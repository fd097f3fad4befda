from datetime import date

import feedparser
import icalendar
import pytest

from events.models import Event
from tests.factories import make_country, make_event, make_partner, make_society


def parse_calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(item["UID"]): item for item in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_partial_dates_become_all_day_spans_with_exclusive_ends(client):
    day = make_event(start="2024-07-03")
    span = make_event(start="2024-07-03", end="2024-07-06")
    month = make_event(start="2017-06")
    year = make_event(start="2020")
    items = vevents(parse_calendar(client.get("/ru/events/calendar.ics")))
    expected = {
        day: (date(2024, 7, 3), date(2024, 7, 4)),
        span: (date(2024, 7, 3), date(2024, 7, 7)),
        month: (date(2017, 6, 1), date(2017, 7, 1)),
        year: (date(2020, 1, 1), date(2021, 1, 1)),
    }
    for event, (start, end) in expected.items():
        item = items[f"event-{event.pk}@events.spb-aic"]
        assert item.decoded("DTSTART") == start
        assert item.decoded("DTEND") == end
        assert item["DTSTART"].params["VALUE"] == "DATE"
        assert str(item["URL"]).endswith(f"/ru/events/{event.pk}/")


@pytest.mark.django_db
def test_calendar_headers_and_stable_uids(client):
    event = make_event()
    first = client.get("/en/events/calendar.ics").content
    event.title_en = "Renamed"
    event.save()
    calendar = parse_calendar(client.get("/en/events/calendar.ics"))
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT12H"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"
    assert f"UID:event-{event.pk}@events.spb-aic".encode() in first
    assert list(vevents(calendar)) == [f"event-{event.pk}@events.spb-aic"]
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Renamed"


@pytest.mark.django_db
def test_cancelled_events_stay_with_status_cancelled(client):
    cancelled = make_event(status=Event.Status.CANCELLED)
    scheduled = make_event()
    items = vevents(parse_calendar(client.get("/ru/events/calendar.ics")))
    assert str(items[f"event-{cancelled.pk}@events.spb-aic"]["STATUS"]) == "CANCELLED"
    assert str(items[f"event-{scheduled.pk}@events.spb-aic"]["STATUS"]) == "CONFIRMED"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("ru", "Визит"), ("en", "Visit"), ("vi", "Chuyến")])
def test_text_is_in_the_feeds_language_with_fallback(client, language, title):
    make_event(title_ru="Визит", title_en="Visit", title_vi="Chuyến")
    make_event(title_ru="Только по-русски", title_en="", title_vi="")
    summaries = {
        str(item["SUMMARY"]) for item in parse_calendar(client.get(f"/{language}/events/calendar.ics")).walk("VEVENT")
    }
    assert summaries == {title, "Только по-русски"}


@pytest.mark.django_db
def test_the_calendar_follows_the_selection(client):
    kept = make_event(kind=Event.Kind.EXHIBITION)
    make_event(kind=Event.Kind.FESTIVAL)
    make_event(kind=Event.Kind.EXHIBITION, is_published=False)
    items = vevents(parse_calendar(client.get("/ru/events/calendar.ics?kind=exhibition")))
    assert list(items) == [f"event-{kept.pk}@events.spb-aic"]


@pytest.mark.django_db
def test_ready_made_feeds_per_society_partner_and_country(client):
    country = make_country(code="VN")
    partner, other = make_partner(country=country), make_partner()
    society = make_society()
    by_partner = make_event(partners=[partner])
    by_society = make_event(societies=[society])
    make_event(partners=[other])
    urls = {
        f"/ru/events/partners/{partner.slug}/calendar.ics": [by_partner],
        f"/ru/events/societies/{society.slug}/calendar.ics": [by_society],
        "/ru/events/countries/VN/calendar.ics": [by_partner],
    }
    for url, events in urls.items():
        assert list(vevents(parse_calendar(client.get(url)))) == [f"event-{e.pk}@events.spb-aic" for e in events]
        feed = feedparser.parse(client.get(url.replace("calendar.ics", "feed.atom")).content)
        assert [entry.link for entry in feed.entries] == [f"http://testserver{e.get_absolute_url()}" for e in events]
    for url in ("/ru/events/partners/nowhere/calendar.ics", "/ru/events/countries/ZZ/feed.atom"):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_single_event_calendar(client):
    event = make_event(start="2024-07-03", end="2024-07-06")
    calendar = parse_calendar(client.get(f"/en/events/{event.pk}/event.ics"))
    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]) == f"event-{event.pk}@events.spb-aic"
    assert client.get("/en/events/999999/event.ics").status_code == 404


@pytest.mark.django_db
def test_atom_feed_parses_and_carries_the_selection(client):
    event = make_event(
        kind=Event.Kind.FESTIVAL, title_en="Festival of lanterns", description_en="<p>Lanterns &amp; music</p>"
    )
    make_event(kind=Event.Kind.OTHER)
    cancelled = make_event(kind=Event.Kind.FESTIVAL, status=Event.Status.CANCELLED, title_en="Rained out")
    response = client.get("/en/events/feed.atom?kind=festival")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.language == "en" or feed.feed.get("language") in (None, "en")
    assert feed.feed.link.endswith("/en/events/?kind=festival")
    titles = {entry.link: entry.title for entry in feed.entries}
    assert set(titles) == {f"http://testserver{e.get_absolute_url()}" for e in (event, cancelled)}
    assert "Festival of lanterns" in titles[f"http://testserver{event.get_absolute_url()}"]
    assert "cancelled" in titles[f"http://testserver{cancelled.get_absolute_url()}"]
    entry = next(e for e in feed.entries if "lanterns" in e.title)
    assert entry.summary == "Lanterns & music"
    assert entry.id == f"tag:events.spb-aic,2024:event-{event.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/ru/events/calendar.ics", "/ru/events/feed.atom"])
def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, url):
    counts = []
    for size in (1, 10, 50):
        partners = [make_partner() for _ in range(size)]
        for _ in range(size):
            make_event(partners=partners)
        with django_assert_max_num_queries(8) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2]
