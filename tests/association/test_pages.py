import datetime
import re

import pytest
from django.test import override_settings
from django.urls import path

from association.models import NewsItem, Page, TimelineEntry
from tests.factories import make_country, make_event, make_partner, make_society

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "en", "vi"]


def make_page(slug="about", **fields):
    defaults = {"title_ru": "Об ассоциации", "title_en": "About the Association", "title_vi": "Giới thiệu Hiệp hội"}
    page = Page(slug=slug, position=1, published_on=datetime.date(2020, 1, 1), **{**defaults, **fields})
    page.save()
    return page


def make_news(**fields):
    defaults = {
        "title_ru": "Новость",
        "title_en": "News item",
        "title_vi": "Tin tức",
        "published_on": datetime.date(2024, 5, 1),
    }
    item = NewsItem(**{**defaults, **fields})
    item.save()
    return item


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_shows_figures_events_societies_and_news(client, language):
    country = make_country()
    partner = make_partner(country=country, ties_since="1974")
    make_event(partners=[partner], start="2024-07-03", end="2024-07-06", report_year=2024, title_en="Vietnam Week")
    make_society(countries=[country], name_en="Friendship Society")
    make_news(title_en="Drawing contest")
    make_page(summary_en="A public-diplomacy association of 30+ friendship societies.")
    html = client.get(f"/{language}/").text
    assert '<ul class="stats"' in html
    if language == "en":
        assert '1</strong> <a href="/en/partners/">partner city or region' in html
        assert "Vietnam Week" in html and "3–6 July 2024" in html
        assert "Friendship Society" in html and "Drawing contest" in html
        assert "A public-diplomacy association" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_history_page_shows_its_timeline(client, language):
    page = make_page(slug="history", title_en="History", body_en="<h2>1925</h2><p>VOKS</p><script>alert(1)</script>")
    TimelineEntry.objects.create(page=page, year=1925, label_ru="ВОКС", label_en="VOKS", label_vi="VOKS")
    TimelineEntry.objects.create(
        page=page, year=2008, label_ru="Россотрудничество", label_en="Rossotrudnichestvo", label_vi="Rossotrudnichestvo"
    )
    response = client.get(f"/{language}/pages/history/")
    assert response.status_code == 200
    html = response.text
    assert html.index(">1925<") < html.index(">2008<")
    assert "<script>alert(1)</script>" not in html
    if language == "en":
        assert "<h2>1925</h2>" in html  # the safe subset of HTML is kept


def test_unpublished_and_future_pages_and_news_are_hidden(client):
    make_page(slug="draft", is_published=False)
    make_news(slug="future", published_on=datetime.date.today() + datetime.timedelta(days=3))
    assert client.get("/en/pages/draft/").status_code == 404
    assert client.get("/en/news/future/").status_code == 404
    assert "News item" not in client.get("/en/news/").text


@pytest.mark.parametrize("language", LANGUAGES)
def test_news_list_and_page(client, language):
    item = make_news(
        body_vi="<p>Bài viết gốc</p>", body_ru="<p>Перевод</p>", original_language="vi", source_name="Thời Đại"
    )
    assert item.slug
    assert client.get(f"/{language}/news/").status_code == 200
    html = client.get(f"/{language}/news/{item.slug}/").text
    assert "Thời Đại" in html
    if language == "en":
        assert "Original in Vietnamese" in html
        assert 'lang="ru"' in html  # no English body: the Russian one is shown and marked


def test_news_page_number_past_the_end_shows_the_last_page(client):
    make_news()
    assert client.get("/en/news/?page=99999").status_code == 200
    assert client.get("/en/news/?page=abc").status_code == 200


@pytest.mark.parametrize("n", [1, 10, 50])
def test_home_query_count_does_not_grow(client, django_assert_max_num_queries, n):
    country = make_country()
    for i in range(n):
        partner = make_partner(country=country, ties_since=f"{1950 + i}")
        make_event(partners=[partner], start=f"2024-0{1 + i % 9}-01", report_year=2024)
        make_society(countries=[country])
        make_news(slug=f"news-{i}")
    make_page()
    with django_assert_max_num_queries(14):
        assert client.get("/ru/").status_code == 200


@pytest.mark.parametrize("n", [1, 10, 50])
def test_societies_and_news_query_counts_do_not_grow(client, django_assert_max_num_queries, n):
    country = make_country()
    society = None
    for i in range(n):
        society = make_society(countries=[country, make_country()])
        make_event(partners=[make_partner(country=country)], societies=[society])
        make_news(slug=f"news-{i}")
    with django_assert_max_num_queries(5):
        assert client.get("/ru/societies/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/ru/societies/{society.slug}/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/ru/news/").status_code == 200


def test_sitemap_lists_every_language_with_alternates(client):
    partner = make_partner()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    xml = client.get("/sitemap-partners.xml").content.decode()
    for code in LANGUAGES:
        assert f"http://testserver/{code}/partners/{partner.slug}/" in xml
        assert f'hreflang="{code}"' in xml
    assert 'hreflang="x-default"' in xml


def test_sitemap_pages_hold_every_event_in_every_language_once(client, monkeypatch):
    monkeypatch.setattr("association.sitemaps.EventSitemap.limit", 4)
    events = [make_event() for _ in range(3)]
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-events.xml?p=3" in index and "sitemap-events.xml?p=4" not in index
    locations = []
    for page in (1, 2, 3):
        xml = client.get(f"/sitemap-events.xml?p={page}").content.decode()
        locations += re.findall(r"<loc>([^<]+)</loc>", xml)
    expected = [f"http://testserver/{code}/events/{event.pk}/" for event in events for code in LANGUAGES]
    assert sorted(locations) == sorted(expected)


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_canonical_hreflang_and_opengraph(client, language):
    partner = make_partner()
    html = client.get(f"/{language}/partners/{partner.slug}/").text
    assert f'<link rel="canonical" href="http://testserver/{language}/partners/{partner.slug}/">' in html
    assert 'hreflang="x-default"' in html
    assert '<meta property="og:title"' in html and '<meta property="og:locale"' in html


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("<str:lang>/boom/", _boom)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_page_in_each_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert f'<html lang="{language}">' in response.text


@override_settings(ROOT_URLCONF="tests.association.test_pages")
def test_500_page_is_served_without_a_traceback(client):
    client.raise_request_exception = False
    response = client.get("/en/boom/")
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert "<h1>" in response.text
