"""The reference geography: what a fresh ``migrate`` loads, and what ``refresh_geography`` brings up to date."""

import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from partners.geography import geography_refresh, reference_geography
from partners.matching import PartnerMatcher
from partners.models import Country, Region
from tests.factories import make_country, make_region

MIGRATION = ("partners", "0007_reference_geography")


def migrate_geography() -> None:
    """What the data migration does, run on the historical models of its own state."""
    state = MigrationLoader(connection).project_state(MIGRATION)
    migration = importlib.import_module(f"partners.migrations.{MIGRATION[1]}")
    migration.load_geography(state.apps, None)


@pytest.mark.django_db
def test_the_migration_loads_every_iso_country_named_in_three_languages():
    migrate_geography()
    countries = Country.objects.select_related("region")
    assert countries.count() >= 240
    unnamed = [c.code for c in countries if not (c.name_ru and c.name_en and c.name_vi and c.name == c.name_ru)]
    assert unnamed == []
    assert list(Region.objects.values_list("code", flat=True)) == [
        "europe",
        "asia",
        "cis",
        "africa",
        "latin-america",
        "other",
    ]
    region = {country.code: country.region.code for country in countries}
    assert {code: region[code] for code in ("BY", "KG", "TR", "CY", "VN", "ZA", "CU", "MX", "US", "AU", "AQ")} == {
        "BY": "cis",
        "KG": "cis",
        "TR": "asia",  # as the 2024 report lists it
        "CY": "europe",  # as the 2020 report lists it
        "VN": "asia",
        "ZA": "africa",
        "CU": "latin-america",
        "MX": "latin-america",
        "US": "other",
        "AU": "other",
        "AQ": "other",
    }
    korea = Country.objects.get(code="KR")
    assert (korea.name_ru, korea.name_en, korea.name_vi, korea.slug) == (
        "Республика Корея",
        "South Korea",
        "Hàn Quốc",
        "south-korea",
    )
    # geography.yaml words these otherwise than CLDR («Беларусь», "Italy"), as the reports and the portal do.
    assert (Country.objects.get(code="BY").name_ru, Country.objects.get(code="IT").name_vi) == ("Белоруссия", "Ý")
    assert Country.objects.values("slug").distinct().count() == countries.count()


@pytest.mark.django_db
def test_the_reports_spellings_find_their_countries():
    migrate_geography()
    matcher = PartnerMatcher()
    spelled = {name: matcher.country(name).code for name in ("Белоруссия", "Киргизия", "Молдавия", "Молдова", "ЮАР")}
    assert spelled == {"Белоруссия": "BY", "Киргизия": "KG", "Молдавия": "MD", "Молдова": "MD", "ЮАР": "ZA"}
    assert matcher.country("Южная Корея").code == "KR" and matcher.country("Republic of Korea") is None


@pytest.mark.django_db
def test_refreshing_creates_nothing_twice_and_keeps_what_staff_named():
    europe = make_region(code="europe", name_ru="Европа", name_en="", name_vi="")
    belarus = make_country(code="BY", region=europe, name_ru="Беларусь", name_en="", name_vi="", aliases=["Минск"])
    belarus_slug = belarus.slug
    counts = geography_refresh()
    assert counts["countries created"] == len(reference_geography()[1]) - 1
    belarus.refresh_from_db()
    # Its Russian name kept, the empty ones filled in, the reports' spelling added, its region and slug kept.
    assert (belarus.name_ru, belarus.name_en, belarus.region.code) == ("Беларусь", "Belarus", "europe")
    assert belarus.aliases == ["Минск", "Белоруссия"] and belarus.slug == belarus_slug
    assert Region.objects.get(code="europe").name_en == "Europe"
    assert not +geography_refresh()  # nothing left to do
    # Indexed for the site search and recorded in the history, as saving each would.
    assert Country.objects.get(code="VN").history.count() == 1
    out = io.StringIO()
    call_command("refresh_geography", names=True, stdout=out)
    assert "countries changed" in out.getvalue()
    belarus.refresh_from_db()
    assert belarus.name_ru == "Белоруссия"


@pytest.mark.django_db
def test_refreshed_countries_are_found_by_the_site_search():
    from core.search import search

    geography_refresh()
    groups = {group.kind: group for group in search("Гватемала", "ru")}
    assert [hit.title for hit in groups["country"].hits] == ["Гватемала"]
