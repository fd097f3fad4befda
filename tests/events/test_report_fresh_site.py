"""A new installation imports its first report: after ``migrate`` the countries are there, the partners are not.

The done-when of the reference geography: on a database with only what the migrations load,
each format of the 2024 report imports with ``--create-missing``; the new partners are
drafts placed by the gazetteer where it knows them, the rest flagged; importing again
creates nothing.
"""

import pytest
from django.core.management import call_command

from events.models import Event, ReportImport
from events.report.service import report_import, report_preview
from partners.models import Agreement, Country, Partner
from tests.events.conftest import REPORT_2024
from tests.events.report_files import as_csv, as_docx, as_tsv, as_xlsx, tsv_rows
from tests.events.test_report_import import AGREEMENTS, EVENTS, PARTNERS
from tests.partners.test_geography import migrate_geography

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def fresh_site(db):
    migrate_geography()


@pytest.mark.parametrize("write", [as_tsv, as_csv, as_xlsx, as_docx], ids=["tsv", "csv", "xlsx", "docx"])
def test_a_fresh_site_imports_the_2024_report_in_every_format(fresh_site, write):
    data = write(tsv_rows(REPORT_2024.read_text(encoding="utf-8")))
    outcome = report_import(data=data, filename="report", year=2024, create_missing=True)
    assert outcome.counts == {"partners": PARTNERS, "agreements": AGREEMENTS, "events": EVENTS}
    assert Country.objects.count() >= 240
    assert not Partner.objects.filter(is_published=True).exists()
    assert not Event.objects.filter(is_published=True).exists()
    again = report_import(data=write(tsv_rows(REPORT_2024.read_text(encoding="utf-8"))), filename="r", year=2024)
    assert again.created_nothing


def test_a_second_import_of_the_same_content_creates_nothing(fresh_site):
    report_import(data=REPORT_2024.read_bytes(), filename="report-2024.tsv", year=2024, create_missing=True)
    counts = (Partner.objects.count(), Agreement.objects.count(), Event.objects.count())
    rows = tsv_rows(REPORT_2024.read_text(encoding="utf-8"))
    other = report_import(data=as_xlsx(rows), filename="report-2024.xlsx", year=2024, create_missing=True)
    assert other.counts == {"partners": 0, "agreements": 0, "events": 0}
    assert (Partner.objects.count(), Agreement.objects.count(), Event.objects.count()) == counts
    assert ReportImport.objects.count() == 1


def test_the_command_imports_into_a_fresh_site(fresh_site, capsys):
    call_command("import_report", str(REPORT_2024), year=2024, create_missing=True)
    assert f"events {EVENTS} ({EVENTS} new)" in capsys.readouterr().out


def test_new_partners_are_placed_by_the_gazetteer_within_their_country(fresh_site):
    outcome = report_import(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024, create_missing=True)
    created = {p.name_ru: p for p in Partner.objects.filter(pk__in=outcome.created_partner_ids)}
    ho_chi_minh, osh = created["Хошимин"], created["Ош"]
    assert (float(ho_chi_minh.latitude), float(ho_chi_minh.longitude)) == pytest.approx((10.82, 106.63), abs=0.01)
    assert osh.country.code == "KG" and float(osh.longitude) == pytest.approx(72.8, abs=0.1)  # not Auch, France
    # «Минск» in the country column, on a site without Minsk: the city of Belarus.
    assert created["Минск"].country.code == "BY" and created["Минск"].latitude is not None
    # A country's government at its capital; a province the gazetteer does not know has no place yet.
    belarus = Partner.objects.get(kind=Partner.Kind.GOVERNMENT, country__code="BY")
    assert float(belarus.latitude) == pytest.approx(53.9, abs=0.01)
    assert created["провинция Сычуань"].latitude is None


def test_a_new_partner_whose_country_cell_is_empty_is_flagged_not_placed(fresh_site):
    header = ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2024 году"]
    rows = [
        header,
        ["Китай", "Пекин", "Соглашение о партнёрстве", "2009", ""],
        ["", "Кейптаун", "Соглашение о партнёрстве", "2001", ""],  # China above: the report forgot South Africa
        ["", "Шанхай", "Соглашение о партнёрстве", "2013", ""],
    ]
    plan = report_preview(data=as_tsv(rows), filename="r.tsv", year=2024)
    partners = {p.name: p for p in plan.partners.values()}
    assert partners["Кейптаун"].country.code == "CN" and partners["Кейптаун"].place is None
    assert any("country cell is empty" in flag for flag in partners["Кейптаун"].flags)
    assert partners["Шанхай"].place.name == "Shanghai" and partners["Шанхай"].flags == []
    outcome = report_import(data=as_tsv(rows), filename="r.tsv", year=2024, create_missing=True)
    cape_town = Partner.objects.get(pk__in=outcome.created_partner_ids, name_ru="Кейптаун")
    assert (cape_town.is_published, cape_town.latitude) == (False, None)
    assert "latitude" in cape_town.publish_problems()
