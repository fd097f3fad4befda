"""Reviewing an import before it is public: its drafts listed, the chosen ones published at once."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import VIEWER
from events.models import Event, ReportImport
from events.report.publish import import_publish
from events.report.service import report_import
from partners.models import Partner
from tests.events.conftest import REPORT_2024
from tests.factories import make_country, make_event, make_partner

pytestmark = pytest.mark.usefixtures("english")


def review_url(record: ReportImport) -> str:
    return reverse("admin:events_reportimport_review", args=[record.pk])


@pytest.fixture
def imported(report_world):
    return report_import(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024, create_missing=True)


def test_the_review_page_lists_the_drafts_and_publishes_the_selected(staff_client, imported, client):
    record = imported.report_import
    page = staff_client.get(review_url(record))
    assert page.status_code == 200
    assert len(page.context["events"]) == 90 and len(page.context["partners"]) == 33
    assert "Publish the selected records" in page.text
    events = list(record.events.order_by("pk")[:3])
    placed = Partner.objects.filter(pk__in=imported.created_partner_ids, latitude__isnull=False).first()
    unplaced = Partner.objects.filter(pk__in=imported.created_partner_ids, latitude__isnull=True).first()
    response = staff_client.post(
        review_url(record),
        {"event": [e.pk for e in events], "partner": [placed.pk, unplaced.pk]},
        follow=True,
    )
    assert "Published: 3 events, 1 partners." in response.text
    assert f"«{unplaced.name}» stays a draft" in response.text
    assert set(Event.objects.filter(is_published=True)) == set(events)
    assert list(Partner.objects.filter(pk__in=imported.created_partner_ids, is_published=True)) == [placed]
    # Published, an event is public; its partners that are still drafts are not shown on it.
    event = events[0]
    assert client.get(f"/ru/events/{event.pk}/").status_code == 200
    drafts = [p for p in event.partners.all() if not p.is_published]
    detail = client.get(f"/ru/events/{event.pk}/").text
    assert all(partner.get_absolute_url() not in detail for partner in drafts)
    assert client.get(f"/ru/events/{events[0].pk + 1000000}/").status_code == 404
    # What stays a draft is not public.
    draft = record.events.filter(is_published=False).first()
    assert client.get(f"/ru/events/{draft.pk}/").status_code == 404
    assert client.get(unplaced.get_absolute_url()).status_code == 404
    assert len(staff_client.get(review_url(record)).context["events"]) == 87


def test_publishing_needs_the_publish_permission(client, django_user_model, imported):
    viewer = django_user_model.objects.create_user("viewer", password="pass-word-123", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWER))
    client.force_login(viewer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    record = imported.report_import
    page = client.get(review_url(record))
    assert page.status_code == 200 and "needs the permission to publish" in page.text
    event = record.events.first()
    assert client.post(review_url(record), {"event": [event.pk]}).status_code == 403
    event.refresh_from_db()
    assert not event.is_published


def test_only_the_drafts_of_the_import_are_published(imported):
    other = make_event(is_published=False)
    outcome = import_publish(report_import=imported.report_import, event_ids=[other.pk], partner_ids=[])
    other.refresh_from_db()
    assert (outcome.events, other.is_published) == (0, False)


def test_a_partner_is_not_published_without_coordinates(db):
    partner = make_partner(is_published=False)
    partner.is_published = True
    with pytest.raises(Exception, match="coordinates"):
        partner.full_clean()
    partner.latitude, partner.longitude = 10, 106
    partner.full_clean()


def test_the_review_page_makes_as_many_queries_for_1_10_or_50_drafts(staff_client, db):
    record = ReportImport.objects.create(year=2024, file_sha256="0" * 64)
    country = make_country()
    counts = []
    for n in (1, 10, 50):
        while record.events.count() < n:
            partner = make_partner(country=country, is_published=False)
            record.partners.add(partner)
            make_event(partners=[partner], is_published=False, report_import=record)
        staff_client.get(review_url(record))  # computes the values cached across pages
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(review_url(record)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_staff_entering_a_partner_without_coordinates_get_the_gazetteer_s(staff_client, db):
    vietnam = make_country(code="VN", name_ru="Вьетнам")
    response = staff_client.post(
        reverse("admin:partners_partner_add"),
        {
            "name_ru": "Нячанг",
            "country": vietnam.pk,
            "kind": "city",
            "is_published": "on",
            "aliases": "",
            "report_years": "",
            "agreements-TOTAL_FORMS": 0,
            "agreements-INITIAL_FORMS": 0,
            "statuses-TOTAL_FORMS": 0,
            "statuses-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    partner = Partner.objects.get(name_ru="Нячанг")
    assert (float(partner.latitude), float(partner.longitude)) == pytest.approx((12.25, 109.19), abs=0.05)
    assert "Placed by the gazetteer at Nha Trang" in response.text
    nowhere = staff_client.post(
        reverse("admin:partners_partner_add"),
        {
            "name_ru": "Нигдеград",
            "country": vietnam.pk,
            "kind": "city",
            "is_published": "on",
            "agreements-TOTAL_FORMS": 0,
            "agreements-INITIAL_FORMS": 0,
            "statuses-TOTAL_FORMS": 0,
            "statuses-INITIAL_FORMS": 0,
        },
    )
    assert nowhere.status_code == 200 and "published with its coordinates" in nowhere.text
    assert not Partner.objects.filter(name_ru="Нигдеград").exists()
