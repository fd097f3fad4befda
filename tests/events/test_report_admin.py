import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event, ReportImport
from partners.models import Partner
from tests.events.conftest import REPORT_2024
from tests.factories import make_partner

URL = reverse("admin:events_reportimport_import")

pytestmark = pytest.mark.usefixtures("english")


def upload(client, data=None, year=2024, name="report-2024.tsv"):
    data = REPORT_2024.read_bytes() if data is None else data
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "year": year})


def confirm_data(response, **choices):
    """The preview form's fields as shown: the default choice («create») unless given, the places proposed,
    the events and agreements ticked (those not already present)."""
    context = response.context
    plan = context["plan"]
    data = {"checksum": plan.checksum, "filename": plan.filename, "year": 2024, "confirm": "1", "chosen": "1"}
    for index, partner, _choices in context["unmatched"]:
        data[f"key-{index}"] = partner.key
        data[f"decision-{index}"] = choices.get(partner.name, "new")
        data[f"latitude-{index}"] = str(partner.place.latitude) if partner.place else ""
        data[f"longitude-{index}"] = str(partner.place.longitude) if partner.place else ""
    data["import-event"] = [event.source_key for event in plan.events if event.create]
    data["import-agreement"] = [str(index) for index, agreement in context["agreements"] if agreement.create]
    return data


def test_changelist_links_to_the_import(staff_client):
    response = staff_client.get(reverse("admin:events_reportimport_changelist"))
    assert URL in response.text


def test_upload_preview_confirm(staff_client, report_world):
    countries, _partners = report_world
    haiphong = make_partner(country=countries["Вьетнам"], name_ru="Хайфон порт")
    assert staff_client.get(URL).status_code == 200
    preview = upload(staff_client)
    assert preview.status_code == 200
    text = preview.text
    assert "Принято решение о создании Первого Российско-Филиппинского Альянса" in text  # not understood
    assert "3–6 July 2024" in text and "create a new partner" in text
    assert Event.objects.count() == 0  # a preview writes nothing
    response = staff_client.post(URL, confirm_data(preview, **{"Хайфон": str(haiphong.pk)}))
    record = ReportImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:events_reportimport_review", args=[record.pk])
    assert record.events.count() == 90 and record.imported_by.username == "editor"
    assert Partner.objects.count() == 37 + 1 - 1  # «Хайфон» was mapped, not created
    haiphong.refresh_from_db()
    assert "Хайфон" in haiphong.aliases
    again = staff_client.post(URL, confirm_data(upload(staff_client)))
    assert again.status_code == 302 and ReportImport.objects.count() == 1 and Event.objects.count() == 90


def test_a_bad_file_is_refused_on_the_form(staff_client, report_world):
    response = upload(staff_client, b"%PDF-1.7 binary", name="report.pdf")
    assert response.status_code == 200 and "PDF" in response.text
    assert Event.objects.count() == 0


def test_a_wrong_decision_shows_the_preview_again(staff_client, report_world):
    preview = upload(staff_client)
    data = confirm_data(preview)
    data["decision-0"] = "999999"
    response = staff_client.post(URL, data)
    assert response.status_code == 200 and "Choose for" in response.text
    assert Event.objects.count() == 0


def test_confirming_a_file_that_is_gone_asks_for_it_again(staff_client, report_world):
    response = staff_client.post(URL, {"checksum": "0" * 64, "filename": "x.tsv", "year": 2024, "confirm": "1"})
    assert response.status_code == 302 and response.url == URL


@pytest.mark.django_db
def test_the_import_needs_a_staff_member(client):
    assert client.get(URL).status_code == 302  # to the login page
