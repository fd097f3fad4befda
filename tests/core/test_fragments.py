"""The rows of list pages kept rendered (core/fragments.py): what a visitor sees after each kind of edit."""

import pytest

from core import fragments
from events.models import Event
from tests.factories import make_event, make_partner, make_status


@pytest.fixture
def renders(monkeypatch):
    """How many rows were rendered (not taken from the fragment cache) since the last read."""
    counted = []
    real = fragments.get_template

    class Counting:
        def __init__(self, template):
            self.template = template

        def render(self, context):
            counted.append(context)
            return self.template.render(context)

    monkeypatch.setattr(fragments, "get_template", lambda name: Counting(real(name)))

    def read():
        count = len(counted)
        counted.clear()
        return count

    return read


def events_list(client, language="en"):
    return client.get(f"/{language}/events/").text


@pytest.mark.django_db
def test_rows_are_rendered_once_then_kept(client, renders):
    partner = make_partner(name_en="Harbourtown")
    for day in range(1, 4):
        make_event(partners=[partner], start=f"2024-05-0{day}", title_en=f"Harbour day {day}")
    first = events_list(client)
    assert renders() == 3
    assert events_list(client) == first and renders() == 0
    assert "Harbour day 2" in first and "Harbourtown" in first


@pytest.mark.django_db
def test_an_edited_event_shows_its_new_title_and_only_its_row_is_rendered_again(client, renders):
    events = [make_event(start=f"2024-05-0{day}", title_en=f"Harbour day {day}") for day in range(1, 4)]
    events_list(client)
    renders()
    events[1].title_en = "Harbour night"
    events[1].save()
    html = events_list(client)
    assert "Harbour night" in html and "Harbour day 2" not in html
    assert renders() == 1


@pytest.mark.django_db
def test_a_renamed_partner_and_a_new_link_show_in_the_rows(client, renders):
    partner, other = make_partner(name_en="Harbourtown"), make_partner(name_en="Hilltown")
    event = make_event(partners=[partner], title_en="Harbour festival")
    assert "Harbourtown" in events_list(client)
    partner.name_en = "Portsmouthville"
    partner.save()
    assert "Portsmouthville" in events_list(client)
    Event.objects.get(pk=event.pk).partners.add(other)
    html = events_list(client)
    assert "Portsmouthville" in html and "Hilltown" in html
    other.is_published = False
    other.save()
    assert "Hilltown" not in events_list(client)


@pytest.mark.django_db
def test_each_language_has_its_rows(client):
    make_event(title_ru="Праздник гавани", title_en="Harbour festival", title_vi="Lễ hội cảng")
    assert "Harbour festival" in events_list(client, "en")
    assert "Праздник гавани" in events_list(client, "ru")
    assert "Lễ hội cảng" in events_list(client, "vi")


@pytest.mark.django_db
def test_a_partner_card_follows_the_events_and_statuses_below_it(client, renders):
    partner = make_partner(name_en="Harbourtown", ties_since="1990")
    make_event(partners=[partner], start="2019-05-01", report_year=2019)
    make_event(partners=[make_partner()], start="2024-05-01", report_year=2024)  # the newest report: 2024
    assert "last activity 2019" in client.get("/en/partners/").text
    make_event(partners=[partner], start="2023-05-01", report_year=2023)
    assert "last activity 2023" in client.get("/en/partners/").text
    make_status(partner, "suspended", "2024")
    card = client.get("/en/partners/").text
    assert "suspended" in card.split("Harbourtown", 1)[1].split("</li>", 1)[0]


@pytest.mark.django_db
def test_a_row_that_queries_the_database_is_not_kept(renders):
    from django.utils import translation

    event = make_event(title_en="Harbour festival")
    fresh = Event.objects.get(pk=event.pk)  # its partners not prefetched: the row queries them
    with translation.override("en"):
        fragments.rendered_rows([fresh], "events/includes/event_row.html", "event")
        fragments.rendered_rows([fresh], "events/includes/event_row.html", "event")
    assert renders() == 2


@pytest.mark.django_db
def test_records_that_point_back_at_the_row_are_followed_once():
    from partners.models import Partner

    partner = make_partner(name_en="Harbourtown")
    make_status(partner, "active", "2020")
    (loaded,) = Partner.objects.filter(pk=partner.pk).select_related("country").prefetch_related("statuses")
    assert loaded.statuses.all()[0].partner is loaded  # Django links the prefetched statuses back
    shown = fragments._shown_with(loaded)
    assert sorted(type(record).__name__ for record in shown) == ["Country", "PartnerStatus"]
