import re

import pytest

from societies.models import Society
from tests.factories import make_country, make_event, make_partner, make_society

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "en", "vi"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_societies_list_and_page(client, language):
    country = make_country(name_en="India")
    society = make_society(
        countries=[country], name_en="Society for Cultural Relations with India", description_en="<p>Master classes</p>"
    )
    partner = make_partner(country=country, name_en="Mumbai")
    make_event(partners=[partner], societies=[society], title_en="Master class of Yashoda Thakor")
    assert "Society for Cultural Relations with India" in client.get("/en/societies/").text or language != "en"
    html = client.get(f"/{language}/societies/{society.slug}/").text
    if language == "en":
        assert "Master class of Yashoda Thakor" in html and "Mumbai" in html and "India" in html


def test_societies_list_is_paginated_by_kind_then_name(client):
    for i in range(55):
        make_society(name_en=f"Friendship Society {i:02d}")
    for i in range(10):
        make_society(name_en=f"Club {i:02d}", kind=Society.Kind.CLUB)
    first = client.get("/en/societies/").text
    rows = re.compile(r'<li>\s*<h3><a href="/en/societies/')
    assert len(rows.findall(first)) == 60
    assert "Friendship Society 00" in first and "Club 04" in first and "Club 05" not in first
    assert first.index("Friendship Society 54") < first.index("Club 00")
    last = client.get("/en/societies/?page=99").text
    assert len(rows.findall(last)) == 5
    assert "Club 05" in last and "Club 09" in last and 'rel="prev"' in last
