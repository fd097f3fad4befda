import json
import re

import pytest
from django.utils import translation

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
