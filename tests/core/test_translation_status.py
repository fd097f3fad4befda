"""The translation status: missing and stale translations, counted on known data."""

import pytest
from django.urls import reverse

from core.translation_status import translation_status
from partners.models import Partner
from tests.factories import make_country, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    country = make_country()
    complete = make_partner(country=country, description_ru="Описание", description_en="Text", description_vi="Văn")
    no_en_name = make_partner(country=country, name_en="")
    no_vi_description = make_partner(country=country, description_ru="Описание", description_en="Text")
    make_partner(country=country, name_en="", is_published=False)  # drafts are not counted
    stale = make_partner(country=country)
    stale.refresh_from_db()
    stale.name_ru = "Новое русское имя"
    stale.save()
    return {"complete": complete, "no_en_name": no_en_name, "no_vi_description": no_vi_description, "stale": stale}


def row_for(model):
    return next(row for row in translation_status() if row.model is model)


def test_counts_missing_fields_and_stale_translations_of_published_records(partners):
    row = row_for(Partner)
    assert row.total == 4
    assert row.missing["en"] == {"name": 1, "description": 0, "image_alt": 0}
    assert row.missing["vi"] == {"name": 0, "description": 1, "image_alt": 0}
    assert row.stale == {"en": 1, "vi": 1}


def test_editing_the_translation_makes_it_current(partners):
    stale = Partner.objects.get(pk=partners["stale"].pk)
    stale.name_en = "New English name"
    stale.save()
    assert row_for(Partner).stale == {"en": 0, "vi": 1}


def test_changelist_filters_match_the_counts(staff_client, partners):
    url = reverse("admin:partners_partner_changelist")
    cases = {
        "missing-en": {partners["no_en_name"].pk},
        "missing-en.name": {partners["no_en_name"].pk},
        "missing-vi.description": {partners["no_vi_description"].pk},
        "stale-en": {partners["stale"].pk},
        "stale-vi": {partners["stale"].pk},
    }
    for value, expected in cases.items():
        response = staff_client.get(url, {"translation": value, "is_published__exact": 1})
        assert response.status_code == 200
        assert {obj.pk for obj in response.context["cl"].result_list} == expected, value


def test_status_page_links_to_filtered_changelists(staff_client, partners):
    response = staff_client.get(reverse("translation-status"))
    assert response.status_code == 200
    assert "translation=missing-en.name" in response.text
    assert "translation=stale-vi" in response.text
    assert reverse("translation-status") in staff_client.get(reverse("admin:index")).text
