"""An imported item already in the portal is recognised, not created again (events.report.similar)."""

import pytest
from django.core.management import call_command

from events.models import Event
from events.report.service import report_import, report_preview
from partners.models import Agreement, Partner
from tests.events.conftest import REPORT_2024
from tests.events.report_files import as_tsv
from tests.factories import make_agreement, make_event, make_milestone, make_partner

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2024 году"]


def rows_2024(*rows):
    return as_tsv([HEADER, *rows])


def test_the_report_the_seed_came_from_creates_nothing_in_the_seeded_site(db):
    call_command("load_seed", verbosity=0)
    before = (Partner.objects.count(), Agreement.objects.count(), Event.objects.count())
    outcome = report_import(data=REPORT_2024.read_bytes(), filename="report-2024.tsv", year=2024)
    assert outcome.counts == {"partners": 0, "agreements": 0, "events": 0}
    assert (Partner.objects.count(), Agreement.objects.count(), Event.objects.count()) == before
    # The Kyrgyz defence ministry's visit of 27 November is the seed's one.
    visit = next(plan for plan in outcome.plan.events if "Министерства обороны Киргизии" in plan.title)
    assert visit.existing.start_on.isoformat() == "2024-11-27" and "обороны" in visit.existing.title_ru


@pytest.fixture
def vietnam(report_world):
    countries, partners = report_world
    return countries["Вьетнам"], partners["Хошимин"]


def test_an_item_worded_in_other_forms_on_overlapping_dates_is_already_present(vietnam):
    _country, saigon = vietnam
    present = make_event(
        partners=[saigon], start="2024-05-17", end="2024-05-22", title_ru="Неделя Вьетнама в Санкт-Петербурге прошла"
    )
    cell = "18 мая – прошла Неделя Вьетнама в Санкт-Петербурге. 18 мая – концерт оркестра."
    plan = report_preview(data=rows_2024(["Вьетнам", "Хошимин", "", "", cell]), filename="r.tsv", year=2024)
    assert [(event.title[:12], event.existing) for event in plan.events] == [
        ("Прошла Недел", present),
        ("Концерт орке", None),
    ]


def test_the_same_text_on_other_dates_or_in_another_country_is_new(vietnam, report_world):
    _country, saigon = vietnam
    _countries, partners = report_world
    make_event(partners=[saigon], start="2024-03-01", title_ru="Визит делегации Санкт-Петербурга")
    make_event(partners=[partners["Мумбай"]], start="2024-07-03", title_ru="Визит делегации Санкт-Петербурга")
    cell = "3 июля – визит делегации Санкт-Петербурга."
    plan = report_preview(data=rows_2024(["Вьетнам", "Хошимин", "", "", cell]), filename="r.tsv", year=2024)
    assert plan.events[0].existing is None


def test_an_event_filed_under_another_partner_of_the_country_is_recognised(vietnam):
    country, _saigon = vietnam
    government = make_partner(country=country, name_ru="Вьетнам", kind=Partner.Kind.GOVERNMENT, aliases=[""])
    present = make_event(
        partners=[government], start="2024-04-06", end="2024-04-13", title_ru="Визит делегации во Вьетнам"
    )
    cell = "6-13 апреля – визит делегации Санкт-Петербурга во Вьетнам."
    plan = report_preview(data=rows_2024(["Вьетнам", "Хошимин", "", "", cell]), filename="r.tsv", year=2024)
    assert plan.events[0].existing == present


def test_staff_may_import_an_item_found_present_and_skip_a_new_one(vietnam):
    _country, saigon = vietnam
    present = make_event(partners=[saigon], start="2024-08-05", title_ru="Концерт")
    cell = "5 августа – концерт. 6 августа – выставка."
    data = rows_2024(["Вьетнам", "Хошимин", "", "", cell])
    plan = report_preview(data=data, filename="r.tsv", year=2024)
    concert, exhibition = plan.events
    assert (concert.existing, concert.create, exhibition.create) == (present, False, True)
    outcome = report_import(data=data, filename="r.tsv", year=2024, events={concert.source_key})
    assert outcome.counts["events"] == 1
    assert Event.objects.filter(title_ru__startswith="Концерт").count() == 2
    assert not Event.objects.filter(title_ru__startswith="Выставка").exists()


def test_an_agreement_dated_by_its_year_is_the_one_dated_on_a_day_of_it(vietnam):
    _country, saigon = vietnam
    agreement = make_agreement(saigon, title_ru="Соглашение о торгово-экономическом сотрудничестве")
    make_milestone(agreement, "2005-12-09")
    rows = [["Вьетнам", "Хошимин", "Соглашение о партнёрстве", "2005", ""]]
    assert report_preview(data=rows_2024(*rows), filename="r.tsv", year=2024).agreements[0].existing == agreement
    rows = [["Вьетнам", "Хошимин", "Соглашение о партнёрстве", "2006", ""]]
    assert report_preview(data=rows_2024(*rows), filename="r.tsv", year=2024).agreements[0].existing is None


def test_the_preview_links_what_is_already_present(staff_client, vietnam):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    _country, saigon = vietnam
    present = make_event(partners=[saigon], start="2024-08-05", title_ru="Концерт")
    data = rows_2024(["Вьетнам", "Хошимин", "", "", "5 августа – концерт."])
    response = staff_client.post(
        reverse("admin:events_reportimport_import"), {"file": SimpleUploadedFile("r.tsv", data), "year": 2024}
    )
    assert reverse("admin:events_event_change", args=[present.pk]) in response.text
    assert "already present" in response.text
