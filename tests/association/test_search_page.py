"""The search page: kinds in order, other names shown, "Did you mean …?" in the visitor's language."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_agreement, make_country, make_milestone, make_partner, make_society

pytestmark = pytest.mark.django_db


@pytest.fixture
def china():
    return make_country(name_ru="Китай", name_en="China", name_vi="Trung Quốc")


def main(response) -> str:
    assert response.status_code == 200
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_country_shows_its_page_then_its_partners_and_their_agreements(client, china):
    shanghai = make_partner(country=china, name_ru="Шанхай", name_en="Shanghai", name_vi="Thượng Hải")
    agreement = make_agreement(shanghai, title_en="Agreement on cooperation with China")
    page = main(client.get("/en/search/?q=China"))
    order = [page.index(f'id="results-{kind}"') for kind in ("country", "partner", "agreement")]
    assert order == sorted(order)
    assert '<h2 id="results-country">Countries' in page and '<h2 id="results-agreement">Agreements' in page
    assert f'href="/en/partners/countries/{china.slug}/"><mark>China</mark></a>' in page
    assert f'href="/en/partners/{shanghai.slug}/">Shanghai</a><p class="snippet"><mark>China</mark>' in page
    assert f'href="/en/partners/{shanghai.slug}/#agreement-{agreement.pk}"' in page
    detail = client.get(f"/en/partners/{shanghai.slug}/").text
    assert f'id="agreement-{agreement.pk}"' in detail


def test_a_former_name_is_shown_under_the_partner_it_found(client):
    make_partner(name_ru="Астана", aliases=["Нур-Султан"])
    page = main(client.get("/ru/search/?q=Нур-Султана"))
    assert '<p class="snippet"><mark>Нур-Султан</mark></p>' in page


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Did you mean"), ("ru", "Возможно, вы имели в виду"), ("vi", "Có phải bạn muốn tìm")],
)
def test_a_typo_offers_the_corrected_search_in_the_visitors_language(client, china, language, text):
    make_partner(country=china, name_ru="Шанхай", name_en="Shanghai", name_vi="Thượng Hải")
    page = main(client.get(f"/{language}/search/?q=Shanghia"))
    assert f'<p class="suggestion">{text} <a href="/{language}/search/?q=Shanghai">Shanghai</a>?</p>' in page
    assert not main(client.get(f"/{language}/search/?q=Shanghai")).count('class="suggestion"')


def test_the_suggestion_is_escaped(client):
    make_partner(name_en='Shanghai "<b>"')
    page = main(client.get('/en/search/?q=Shanghia "<b'))
    suggestion = page.split('<p class="suggestion">', 1)[1].split("</p>", 1)[0]
    assert '<a href="/en/search/?q=Shanghai+%22%3Cb%3E%22">Shanghai &quot;&lt;b&gt;&quot;</a>' in suggestion
    assert html.unescape(suggestion).count("<b>") == 1  # the name, shown as text once unescaped


def test_nothing_close_offers_nothing(client, china):
    page = main(client.get("/en/search/?q=zzzzqqq"))
    assert "Nothing found" in page and 'class="suggestion"' not in page


def _populate(n: int, country) -> None:
    for i in range(n):
        partner = make_partner(country=country, name_en=f"Xian {i}", aliases=[f"Сиань {i}"])
        make_milestone(make_agreement(partner, title_en=f"Agreement with China {i}"), f"{2000 + i}")
        make_society(countries=[country], name_en=f"China friends {i}")


@pytest.mark.parametrize("query", ["China", "Chnia", "Сианя"])
def test_query_counts_stay_fixed(client, china, query):
    counts, added = [], 0
    for n in (1, 10, 50):
        _populate(n - added, china)
        added = n
        client.get(f"/en/search/?q={query}")  # the values derived from the content (the menu…) as they stand
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en/search/?q={query}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
