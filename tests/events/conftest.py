"""The world of the 2024 report, built from small factories (never the seed fixtures)."""

from pathlib import Path

import pytest
from django.utils import translation

from partners.models import Partner
from tests.factories import make_country, make_partner, make_region

REPORT_2024 = Path(__file__).parent / "data" / "report-2024.tsv"

#: The report's countries by region, with their ISO codes: the gazetteer places a new partner within its country.
COUNTRIES = {
    "Европа": {"Босния и Герцеговина": "BA", "Венгрия": "HU", "Сербия": "RS"},
    "Азия": {
        "Вьетнам": "VN",
        "Индия": "IN",
        "Иран": "IR",
        "КНДР": "KP",
        "Китай": "CN",
        "Пакистан": "PK",
        "Монголия": "MN",
        "Таиланд": "TH",
        "Турция": "TR",
        "Южная Корея": "KR",
        "Филиппины": "PH",
    },
    "СНГ": {
        "Азербайджан": "AZ",
        "Армения": "AM",
        "Белоруссия": "BY",
        "Казахстан": "KZ",
        "Киргизия": "KG",
        "Молдавия": "MD",
        "Таджикистан": "TJ",
        "Туркменистан": "TM",
        "Узбекистан": "UZ",
    },
    "Африка": {"ЮАР": "ZA"},
    "Латинская Америка": {"Аргентина": "AR", "Куба": "CU"},
}


@pytest.fixture
def report_world(db):
    """The 26 countries of the 2024 report and four partners it spells its own way."""
    countries = {}
    for region_name, names in COUNTRIES.items():
        region = make_region(name_ru=region_name)
        for name, code in names.items():
            countries[name] = make_country(name_ru=name, code=code, region=region, aliases=[name])
    partners = {
        "Хошимин": make_partner(country=countries["Вьетнам"], name_ru="Хошимин", aliases=["г. Хошимин"]),
        "Мумбай": make_partner(country=countries["Индия"], name_ru="Мумбай"),
        "Минск": make_partner(country=countries["Белоруссия"], name_ru="Минск"),
        "Астана": make_partner(country=countries["Казахстан"], name_ru="Астана", aliases=["Нур-Султан"]),
    }
    return countries, partners


def partner_count() -> int:
    return Partner.objects.count()


@pytest.fixture
def english():
    """The importer's messages are asserted in English (the admin's default language is Russian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(staff_client):
    """The admin in English (its default language is Russian), so messages read as the tests expect."""
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client
