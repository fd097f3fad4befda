from datetime import date, timedelta

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
def test_days_become_all_day_spans_with_exclusive_ends(client):
    day = make_event(start="2024-07-03")
    span = make_event(start="2024-07-03", end="2024-07-06")
    items = vevents(parse_calendar(client.get("/ru/events/calendar.ics")))
    expected = {day: (date(2024, 7, 3), date(2024, 7, 4)), span: (date(2024, 7, 3), date(2024, 7, 7))}
    for event, (start, end) in expected.items():
        item = items[f"event-{event.pk}@events.spb-aic"]
        assert item.decoded("DTSTART") == start
        assert item.decoded("DTEND") == end
        assert item["DTSTART"].params["VALUE"] == "DATE"
        assert str(item["STATUS"]) == "CONFIRMED"
        assert str(item["SUMMARY"]) == event.title_ru
        assert str(item["URL"]).endswith(f"/ru/events/{event.pk}/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "start", "end", "note"),
    [
        ("en", "2027-05", None, "(exact date not stated: May 2027)"),
        ("en", "2020", None, "(exact date not stated: 2020)"),
        ("ru", "2027-05", None, "(точная дата не указана: май 2027\u202fг.)"),
        ("vi", "2027", None, "(chưa nêu ngày cụ thể: 2027)"),
        ("en", "2024-06", "2024-07", "(exact date not stated: June\u2009–\u2009July 2024)"),
        ("en", "2024-06-03", "2024-07", "(exact date not stated: 3 June 2024 – July 2024)"),
    ],
)
def test_a_month_or_a_year_is_one_tentative_day_that_says_so_not_a_long_block(client, language, start, end, note):
    event = make_event(start=start, end=end, title_en="Days of Hanoi", title_ru="Дни Ханоя", title_vi="Ngày Hà Nội")
    (item,) = parse_calendar(client.get(f"/{language}/events/calendar.ics")).walk("VEVENT")
    first = event.period.first_day
    assert (item.decoded("DTSTART"), item.decoded("DTEND")) == (first, first + timedelta(days=1))
    assert str(item["STATUS"]) == "TENTATIVE"
    assert str(item["SUMMARY"]).endswith(" " + note)
    assert str(item["SUMMARY"]).startswith(getattr(event, f"title_{language}"))


@pytest.mark.django_db
def test_a_cancelled_event_of_a_month_stays_cancelled(client):
    make_event(start="2027-05", status=Event.Status.CANCELLED)
    (item,) = parse_calendar(client.get("/en/events/calendar.ics")).walk("VEVENT")
    assert str(item["STATUS"]) == "CANCELLED"


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
    assert titles[f"http://testserver{event.get_absolute_url()}"] == "Festival of lanterns"
    entry = next(e for e in feed.entries if e.title == "Festival of lanterns")
    assert entry.summary == '<p>3 July 2024 · festival</p><div lang="en"><p>Lanterns &amp; music</p></div>'
    assert entry.id == f"tag:events.spb-aic,2024:event-{event.pk}"
    rained_out = next(e for e in feed.entries if e.title == "Rained out")
    assert "· cancelled</p>" in rained_out.summary


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


@pytest.mark.django_db
def test_russian_only_text_declares_russian_in_the_english_feeds(client):
    event = make_event(title_ru="Визит делегации", title_en="", title_vi="", description_ru="<p>Подробности</p>")
    translated = make_event(title_en="Forum", description_en="<p>Details</p>")
    for language in ("en", "vi"):
        items = vevents(parse_calendar(client.get(f"/{language}/events/calendar.ics")))
        item = items[f"event-{event.pk}@events.spb-aic"]
        assert (str(item["SUMMARY"]), item["SUMMARY"].params["LANGUAGE"]) == ("Визит делегации", "ru")
        assert (str(item["DESCRIPTION"]), item["DESCRIPTION"].params["LANGUAGE"]) == ("Подробности", "ru")
        assert item["LOCATION"].params["LANGUAGE"] == language if "LOCATION" in item else True
        feed = feedparser.parse(client.get(f"/{language}/events/feed.atom").content)
        assert feed.feed.title_detail.language == language
        entries = {entry.id: entry for entry in feed.entries}
        russian = entries[f"tag:events.spb-aic,2024:event-{event.pk}"]
        assert (russian.title, russian.title_detail.language) == ("Визит делегации", "ru")
        assert russian.summary_detail.language == language
        assert '<div lang="ru"><p>Подробности</p></div>' in russian.summary
    items = vevents(parse_calendar(client.get("/en/events/calendar.ics")))
    assert items[f"event-{translated.pk}@events.spb-aic"]["SUMMARY"].params["LANGUAGE"] == "en"
    entry = feedparser.parse(client.get("/en/events/feed.atom").content).entries[0]
    assert (entry.title, entry.title_detail.language) == ("Forum", "en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["year=abc", "kind=nonsense", "partner=unknown-slug", "date_from=xx", "country=ZZ", "sort=sideways", "year=99999"],
)
@pytest.mark.parametrize("path", ["calendar.ics", "feed.atom"])
def test_an_invalid_filter_value_is_a_400_that_names_it_not_every_event(client, query, path):
    make_event(partners=[make_partner()])
    response = client.get(f"/en/events/{path}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "This address filters by values that are not valid:" in text
    assert f"  {query}: " in text
    assert "http://testserver/en/events/" in text
    assert b"BEGIN:VEVENT" not in response.content and b"<entry" not in response.content


@pytest.mark.django_db
def test_the_400_speaks_the_language_of_the_address(client):
    response = client.get("/ru/events/calendar.ics?year=abc")
    assert response.status_code == 400
    assert "В этом адресе указаны недопустимые значения фильтров:" in response.content.decode()


@pytest.mark.django_db
def test_a_ready_made_feed_with_a_bad_filter_value_is_a_400(client):
    partner = make_partner()
    assert client.get(f"/en/events/partners/{partner.slug}/calendar.ics?year=abc").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/en/events/calendar.ics?country=VN&year=2024", "Events: Vietnam, 2024"),
        ("/ru/events/calendar.ics?year=2024&country=VN", "События: Вьетнам, 2024"),
        ("/vi/events/calendar.ics?country=VN", "Sự kiện: Việt Nam"),
        ("/en/events/countries/VN/calendar.ics?kind=exhibition", "Events: Vietnam, exhibition"),
        ("/en/events/calendar.ics?date_from=2024-07-03&q=lanterns", "Events: from 3 July 2024, “lanterns”"),
        ("/en/events/calendar.ics", "Events"),
    ],
)
def test_calendar_and_feed_titles_name_the_selection_in_the_request_language(client, url, title):
    make_partner(country=make_country(code="VN", name_ru="Вьетнам", name_en="Vietnam", name_vi="Việt Nam"))
    site = "St. Petersburg Association for International Cooperation"
    calendar = parse_calendar(client.get(url))
    assert str(calendar["X-WR-CALNAME"]).startswith(f"{title} — ")
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    feed = feedparser.parse(client.get(url.replace("calendar.ics", "feed.atom")).content)
    assert feed.feed.title == str(calendar["X-WR-CALNAME"])
    if url.startswith("/en/"):
        assert feed.feed.title == f"{title} — {site}"
