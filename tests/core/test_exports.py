"""CSV and XLSX exports hold exactly the rows of the filtered changelist."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import Partner
from tests.factories import make_agreement, make_country, make_event, make_partner

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def changelist_ids(client, name: str, params: dict) -> list[int]:
    response = client.get(reverse(f"admin:{name}_changelist"), params)
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


@pytest.fixture
def data():
    country, other = make_country(), make_country()
    cities = [make_partner(country=country, kind=Partner.Kind.CITY) for _ in range(3)]
    region = make_partner(country=other, kind=Partner.Kind.REGION, name_ru='=HYPERLINK("http://evil")')
    for partner in [*cities, region]:
        make_agreement(partner)
        make_event(partners=[partner], kind="concert" if partner is region else "exhibition")
    return {"country": country, "region": region}


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("partners_partner", {"kind__exact": "city"}),
        ("partners_partner", {"country__id__exact": "COUNTRY"}),
        ("partners_partner", {"q": "Город", "o": "-1"}),
        ("partners_agreement", {"kind__exact": "agreement", "partner__country__region__id__exact": "REGION"}),
        ("events_event", {"kind__exact": "exhibition"}),
        ("events_event", {}),
    ],
)
def test_exports_match_the_filtered_changelist(staff_client, data, name, params):
    params = {
        key: {"COUNTRY": data["country"].pk, "REGION": data["country"].region_id}.get(value, value)
        for key, value in params.items()
    }
    expected = changelist_ids(staff_client, name, params)
    assert expected
    for file_format, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = staff_client.get(reverse(f"admin:{name}_export", args=[file_format]), params)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = read(response)
        assert rows[0][0] == "id"
        assert [int(row[0]) for row in rows[1:]] == expected


def test_changelist_offers_the_export_with_its_filters(staff_client, data):
    page = staff_client.get(reverse("admin:partners_partner_changelist"), {"kind__exact": "city"}).text
    assert reverse("admin:partners_partner_export", args=["xlsx"]) + "?kind__exact=city" in page


def test_formulas_are_not_exported_as_formulas(staff_client, data):
    rows = csv_rows(staff_client.get(reverse("admin:partners_partner_export", args=["csv"])))
    assert '\'=HYPERLINK("http://evil")' in [row[1] for row in rows]


def test_a_bad_filter_redirects_and_viewers_may_export(client, django_user_model, data):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(user)
    url = reverse("admin:partners_partner_export", args=["csv"])
    assert client.get(url).status_code == 200
    assert client.get(url, {"nonsense__field": 1}).status_code == 302
    assert client.get(reverse("admin:partners_partner_export", args=["pdf"])).status_code == 404
