import pytest
from django.utils import translation

from core.templatetags.portal import grouped
from tests.factories import make_event, make_partner


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
@pytest.mark.parametrize(("language", "label"), [("en", "In Russian"), ("vi", "Bằng tiếng Nga")])
def test_russian_only_text_carries_its_language_and_a_visible_label(client, language, label):
    partner = make_partner(name_ru="Кханьхоа", name_en="", name_vi="")
    html = client.get(f"/{language}/partners/{partner.slug}/").text
    assert (
        f'<h1><span lang="ru" class="fallback">Кханьхоа</span><span class="fallback-label">{label}</span></h1>' in html
    )


@pytest.mark.django_db
def test_russian_pages_show_no_label(client):
    partner = make_partner(name_ru="Кханьхоа", name_en="", name_vi="")
    html = client.get(f"/ru/partners/{partner.slug}/").text
    assert "<h1>Кханьхоа</h1>" in html
    assert "fallback" not in html


@pytest.mark.django_db
def test_vietnamese_falls_back_to_english_before_russian(client):
    partner = make_partner(name_ru="Кханьхоа", name_en="Khanh Hoa", name_vi="")
    response = client.get(f"/vi/partners/{partner.slug}/")
    assert '<span lang="en" class="fallback">Khanh Hoa</span><span class="fallback-label">Bằng tiếng Anh</span>' in (
        response.text
    )
    with translation.override("vi"):
        assert partner.name == "Khanh Hoa"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("en", "In Russian"), ("vi", "Bằng tiếng Nga")])
def test_a_block_in_russian_has_a_note_with_the_label_above_it(client, language, label):
    event = make_event(title_en="Forum", title_vi="Diễn đàn", description_ru="<p>Подробности</p>")
    html = client.get(f"/{language}/events/{event.pk}/").text
    assert f'<p class="fallback-note"><span class="fallback-label">{label}</span> ' in html
    assert '<div lang="ru" class="fallback"><p>Подробности</p></div>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("en", "In Russian"), ("vi", "Bằng tiếng Nga")])
def test_list_rows_in_russian_are_marked(client, language, label):
    make_event(start="2099-05-01", title_ru="Визит делегации", title_en="", title_vi="")
    make_event(start="2099-05-02", title_en="Forum", title_vi="Diễn đàn")
    html = client.get(f"/{language}/events/?when=upcoming").text
    assert f'<span lang="ru" class="fallback">Визит делегации</span><span class="fallback-label">{label}</span>' in html
    assert html.count('class="fallback-label"') == 1


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
