import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from events.models import Event
from tests.factories import make_country, make_event, make_partner, make_society


def json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "when"), [("ru", "3–6 июля 2024\u202fг."), ("en", "3–6 July 2024"), ("vi", "3–6 tháng 7, 2024")]
)
def test_event_page_shows_dates_in_the_visitors_language(client, language, when):
    country = make_country(code="VN")
    partner = make_partner(country=country)
    society = make_society()
    event = make_event(start="2024-07-03", end="2024-07-06", partners=[partner], societies=[society])
    response = client.get(f"/{language}/events/{event.pk}/")
    assert response.status_code == 200
    html = response.text
    assert when in html
    assert f'href="{partner.get_absolute_url()}"' in html
    assert f'href="{society.get_absolute_url()}"' in html
    assert f'href="/{language}/events/{event.pk}/event.ics"' in html


@pytest.mark.django_db
def test_a_draft_partner_or_society_of_an_event_is_not_named_on_its_page(client):
    shown, draft = make_partner(name_en="Turku"), make_partner(name_en="Draft town", is_published=False)
    society, draft_society = (
        make_society(name_en="Finnish Society"),
        make_society(name_en="Draft society", is_published=False),
    )
    event = make_event(partners=[shown, draft], societies=[society, draft_society])
    html = client.get(f"/en/events/{event.pk}/").text
    assert ">Turku<" in html and ">Finnish Society<" in html
    assert "Draft town" not in html and "Draft society" not in html


@pytest.mark.django_db
def test_json_ld_matches_the_event(client):
    partner = make_partner(country=make_country(code="FR"), name_en="Nice")
    event = make_event(
        start="2017-06",
        partners=[partner],
        place=Event.Place.ABROAD,
        status=Event.Status.POSTPONED,
        title_en="Days of St Petersburg",
        description_en="<p>Concerts</p>",
    )
    data = json_ld(client.get(f"/en/events/{event.pk}/").text)
    assert data["@type"] == "Event"
    assert data["name"] == "Days of St Petersburg"
    assert data["description"] == "Concerts"
    assert (data["startDate"], data["endDate"]) == ("2017-06-01", "2017-06-30")
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["name"] == "Nice"
    assert data["location"]["address"]["addressCountry"] == "FR"
    assert data["url"] == f"http://testserver/en/events/{event.pk}/"


@pytest.mark.django_db
def test_json_ld_of_online_and_cancelled_events(client):
    event = make_event(place=Event.Place.ONLINE, status=Event.Status.CANCELLED)
    data = json_ld(client.get(f"/ru/events/{event.pk}/").text)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"


@pytest.mark.django_db
def test_json_ld_cannot_break_out_of_its_script(client):
    event = make_event(title_ru="</script><script>alert(1)</script> & co")
    html = client.get(f"/ru/events/{event.pk}/").text
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script> & co"


@pytest.mark.django_db
def test_unknown_or_unpublished_events_are_not_found(client):
    hidden = make_event(is_published=False)
    for pk in (hidden.pk, 999999):
        assert client.get(f"/ru/events/{pk}/").status_code == 404
    assert client.get("/ru/events/abc/").status_code == 404


@pytest.mark.django_db
def test_detail_query_count_does_not_grow(client, django_assert_max_num_queries):
    counts = []
    for size in (1, 10, 50):
        partners = [make_partner() for _ in range(size)]
        societies = [make_society() for _ in range(size)]
        event = make_event(partners=partners, societies=societies)
        client.get(f"/vi/events/{event.pk}/")  # the derived values (the menu) as they stand
        with django_assert_max_num_queries(8) as context:
            assert client.get(f"/vi/events/{event.pk}/").status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2]


def test_choice_labels_are_translated_and_unknown_values_shown_as_stored(db):
    event = make_event(kind=Event.Kind.EXHIBITION, place="abroad")
    with translation.override("en"):
        assert (event.get_kind_display(), event.get_place_display()) == ("exhibition", "abroad")
    event.kind = "retired-kind"
    assert event.get_kind_display() == "retired-kind"


# --- What the page says of the event's state ---------------------------------------------------

SCHEDULED = {"ru": "запланировано", "en": "scheduled", "vi": "đã lên lịch"}
HELD = {"ru": "Состоялось", "en": "Held", "vi": "Đã diễn ra"}


def visible(html: str) -> str:
    """The page's text as a reader sees it: without scripts (JSON-LD) and tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script\b.*?</script>", " ", html, flags=re.S))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_a_past_event_as_planned_reads_as_held_never_scheduled(client, language):
    event = make_event(start="2024-11", status=Event.Status.SCHEDULED)
    html = visible(client.get(f"/{language}/events/{event.pk}/").text)
    assert HELD[language] in html
    assert SCHEDULED[language] not in html.lower()
    listing = client.get(f"/{language}/events/?when=past").text
    assert event.get_absolute_url().replace("/ru/", f"/{language}/") in listing
    assert SCHEDULED[language] not in visible(listing).lower()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_an_event_to_come_reads_as_scheduled_and_a_cancelled_one_as_cancelled(client, language):
    coming = make_event(start=(timezone.localdate() + timedelta(days=30)).isoformat())
    html = visible(client.get(f"/{language}/events/{coming.pk}/").text)
    assert SCHEDULED[language] in html.lower() and HELD[language] not in html
    cancelled = make_event(start="2024-05-01", status=Event.Status.CANCELLED)
    html = client.get(f"/{language}/events/{cancelled.pk}/").text
    with translation.override(language):
        assert str(Event.State.CANCELLED.label).capitalize() in html
    assert HELD[language] not in html


@pytest.mark.parametrize(
    ("start", "end", "status", "state"),
    [
        ("2024-07-03", None, Event.Status.SCHEDULED, Event.State.HELD),
        ("2023", None, Event.Status.SCHEDULED, Event.State.HELD),
        ("2024", None, Event.Status.SCHEDULED, None),
        ("2024-07-09", None, Event.Status.SCHEDULED, Event.State.SCHEDULED),
        ("2024-07-01", "2024-07-12", Event.Status.SCHEDULED, Event.State.UNDER_WAY),
        ("2024-07", None, Event.Status.SCHEDULED, None),  # within its month: whether it was held is unknown
        ("2024", None, Event.Status.POSTPONED, Event.State.POSTPONED),
        ("2030-01-01", None, Event.Status.CANCELLED, Event.State.CANCELLED),
    ],
)
def test_the_state_is_read_from_the_dates_on_the_day(start, end, status, state):
    event = Event(status=status)
    event.start, event.end = start, end
    event.prepare_save()
    assert event.state_on(date(2024, 7, 8)) == state


# --- Partners, the report's row and its sentence -----------------------------------------------


@pytest.mark.django_db
def test_the_page_says_where_the_report_printed_an_event_that_names_another_partner(client):
    china = make_country(code="CN")
    shanghai = make_partner(country=china, name_ru="Шанхай", name_en="Shanghai")
    beijing = make_partner(country=china, name_ru="Пекин", name_en="Beijing")
    event = make_event(partners=[shanghai, beijing], report_year=2024, report_text_ru="визит заместителя мэра Пекина.")
    event.reported_under.set([shanghai])
    html = client.get(f"/en/events/{event.pk}/").text
    assert "Reported under" in html
    assert html.index("Reported under") < html.index("Shanghai", html.index("Reported under"))
    assert f'href="{beijing.get_absolute_url().replace("/ru/", "/en/")}"' in html
    event.partners.set([shanghai])
    assert "Reported under" not in client.get(f"/en/events/{event.pk}/").text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ru", "Как сообщает Комитет по внешним связям (отчёт за 2024 год)"),
        ("en", "As reported by the Committee for External Relations (report 2024)"),
        ("vi", "Theo báo cáo của Ủy ban Đối ngoại (báo cáo năm 2024)"),
    ],
)
def test_the_report_sentence_is_quoted_under_its_source(client, language, heading):
    event = make_event(
        report_year=2024,
        title_ru="Визит заместителя мэра Пекина",
        report_text_ru="визит заместителя мэра Пекина.",
        report_text_en="Visit of the Deputy Mayor of Beijing.",
    )
    html = client.get(f"/{language}/events/{event.pk}/").text
    assert heading in html
    quoted = html[html.index("<blockquote>") : html.index("</blockquote>")]
    expected = {"ru": "визит заместителя мэра Пекина.", "en": "Visit of the Deputy Mayor of Beijing."}
    assert expected.get(language, "Visit of the Deputy Mayor of Beijing.") in quoted
    assert ("Translated from Russian." in html) == (language == "en")


@pytest.mark.django_db
def test_an_event_entered_by_staff_has_no_report_block(client):
    event = make_event()
    assert "<blockquote>" not in client.get(f"/en/events/{event.pk}/").text


@pytest.mark.django_db
def test_related_events_of_the_same_partners_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    counts = []
    for size in (1, 10, 50):
        partner = make_partner()
        others = [make_event(partners=[partner], start=f"2023-01-{day % 28 + 1:02d}") for day in range(size)]
        unrelated = make_event(partners=[make_partner()])
        event = make_event(partners=[partner])
        client.get(f"/en/events/{event.pk}/")  # computes the values cached across pages (the menu…)
        with django_assert_max_num_queries(9) as context:
            html = client.get(f"/en/events/{event.pk}/").text
        counts.append(len(context.captured_queries))
        shown = [other for other in others if other.get_absolute_url().replace("/ru/", "/en/") in html]
        assert len(shown) == min(size, 5)
        assert unrelated.get_absolute_url().replace("/ru/", "/en/") not in html
        assert "More events with these partners" in html
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.django_db
def test_related_events_are_kept_across_pages_and_follow_every_change(client, django_assert_max_num_queries):
    partner = make_partner()
    older = make_event(partners=[partner], start="2023-01-10", title_en="Older visit")
    event = make_event(partners=[partner], start="2024-01-10")
    client.get(f"/en/events/{event.pk}/")  # computes the values cached across pages (the menu, the related events)
    with django_assert_max_num_queries(4):  # the event, its partners, the partners it is reported under, societies
        assert "Older visit" in client.get(f"/en/events/{event.pk}/").text
    newer = make_event(partners=[partner], start="2023-06-10", title_en="Newer visit")
    html = client.get(f"/en/events/{event.pk}/").text
    assert html.index("Newer visit") < html.index("Older visit")
    older.title_en = "Older visit, renamed"
    older.save()
    assert "Older visit, renamed" in client.get(f"/en/events/{event.pk}/").text
    newer.partners.clear()
    assert "Newer visit" not in client.get(f"/en/events/{event.pk}/").text
