import pytest
from django.utils import translation

from core.templatetags.portal import grouped
from tests.factories import make_partner


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_language_prefixes_serve_the_home_page(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "prefix"), [("en-GB,en;q=0.9", "/en/"), ("vi", "/vi/"), ("ru-RU", "/ru/"), ("de", "/ru/")]
)
def test_root_redirects_by_accept_language(client, accept, prefix):
    response = client.get("/", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response["Location"] == prefix


@pytest.mark.django_db
def test_russian_only_text_shows_on_vi_through_the_fallback_and_is_marked(client):
    partner = make_partner(name_ru="Кханьхоа", name_en="", name_vi="")
    response = client.get(f"/vi/partners/{partner.slug}/")
    assert response.status_code == 200
    html = response.text
    assert '<span lang="ru" class="fallback" data-fallback="ru" title="' in html
    assert '">Кханьхоа</span>' in html


@pytest.mark.django_db
def test_vietnamese_falls_back_to_english_before_russian(client):
    partner = make_partner(name_ru="Кханьхоа", name_en="Khanh Hoa", name_vi="")
    response = client.get(f"/vi/partners/{partner.slug}/")
    assert 'lang="en" class="fallback" data-fallback="en" title="' in response.text
    assert '">Khanh Hoa</span>' in response.text
    with translation.override("vi"):
        assert partner.name == "Khanh Hoa"


@pytest.mark.django_db
def test_language_switcher_keeps_the_visitor_on_the_same_object(client):
    partner = make_partner()
    response = client.get(f"/en/partners/{partner.slug}/")
    for code in ("ru", "en", "vi"):
        assert f'href="/{code}/partners/{partner.slug}/" hreflang="{code}"' in response.text
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/partners/{partner.slug}/">'
            in response.text
        )


@pytest.mark.parametrize(("language", "shown"), [("ru", "23\xa0100"), ("en", "23,100"), ("vi", "23.100")])
def test_counts_are_grouped_the_way_each_language_writes_them(language, shown):
    with translation.override(language):
        assert grouped(23100) == shown
        assert grouped(231) == "231"
