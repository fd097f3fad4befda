"""The public page cache: hits without SQL, invalidation on change, staff and admin never cached."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.models import Page
from core import cache as page_cache
from tests.factories import make_event, make_partner


@pytest.fixture
def cached(settings, tmp_path):
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_STAMP = tmp_path / "version"
    cache.clear()
    yield
    cache.clear()


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_a_second_request_is_served_from_the_cache_without_sql(client, db, cached, partner):
    first, first_queries = get(client, "/ru/partners/")
    second, second_queries = get(client, "/ru/partners/")
    assert first["X-Cache"] == "miss" and first_queries > 0
    assert second["X-Cache"] == "hit" and second_queries == 0
    assert second.content == first.content


def test_a_content_change_invalidates_at_once(client, db, cached, partner):
    get(client, f"/ru/partners/{partner.slug}/")
    partner.name_ru = "Новое имя"
    partner.save()
    response, queries = get(client, f"/ru/partners/{partner.slug}/")
    assert response["X-Cache"] == "miss" and queries > 0
    assert "Новое имя" in response.content.decode()


def test_a_new_many_to_many_link_invalidates(client, db, cached, partner):
    event = make_event()
    get(client, f"/ru/partners/{partner.slug}/")
    event.partners.add(partner)
    response, _queries = get(client, f"/ru/partners/{partner.slug}/")
    assert response["X-Cache"] == "miss"


def test_languages_and_query_strings_are_cached_apart(client, db, cached, partner):
    ru, _ = get(client, "/ru/events/")
    en, _ = get(client, "/en/events/")
    filtered, _ = get(client, "/en/events/?kind=festival")
    assert [ru["X-Cache"], en["X-Cache"], filtered["X-Cache"]] == ["miss", "miss", "miss"]
    assert ru.content != en.content
    assert get(client, "/en/events/")[0]["X-Cache"] == "hit"


def test_staff_never_get_or_fill_the_cache(client, staff_client, db, cached, partner):
    get(client, "/ru/partners/")
    response, queries = get(staff_client, "/ru/partners/")
    assert not response.has_header("X-Cache") and queries > 0


def test_the_admin_is_never_cached(staff_client, client, db, cached):
    response, _ = get(client, "/admin/login/")
    again, _ = get(client, "/admin/login/")
    assert not response.has_header("X-Cache") and not again.has_header("X-Cache")


def test_responses_that_set_cookies_are_not_stored(db, cached, rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("csrftoken", "x")
        return response

    middleware = page_cache.PublicPageCacheMiddleware(view)
    assert not middleware(rf.get("/ru/")).has_header("X-Cache")
    assert not middleware(rf.get("/ru/")).has_header("X-Cache")


def test_not_found_pages_are_not_stored(client, db, cached):
    assert not get(client, "/ru/partners/no-such-city/")[0].has_header("X-Cache")


def test_the_version_also_lives_in_a_shared_cache(settings, cached):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert page_cache._shared_cache()


def test_bumping_the_stamp_changes_the_version(cached):
    before = page_cache.content_version()
    page_cache.bump_version()
    middle = page_cache.content_version()
    page_cache.bump_version()
    assert len({before, middle, page_cache.content_version()}) == 3


def test_a_disabled_cache_stores_nothing(client, db, settings, partner):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert not get(client, "/ru/partners/")[0].has_header("X-Cache")


def test_menu_and_report_year_are_kept_until_the_content_changes(client, db, partner):
    page = Page.objects.create(slug="statutes", title_ru="Устав", title_en="Statutes", position=3)
    url = f"/en/events/{make_event(partners=[partner], report_year=2024).pk}/"
    first, first_queries = get(client, url)
    again, again_queries = get(client, url)
    assert ">Statutes</a>" in first.text and ">Statutes</a>" in again.text
    assert again_queries == first_queries - 2  # the menu's and the contacts' queries, derived once per version
    page.title_en = "Charter"
    page.save()
    changed = client.get(url).text
    assert ">Charter</a>" in changed and ">Statutes</a>" not in changed
    assert ">Устав</a>" in client.get(url.replace("/en/", "/ru/")).text  # one menu per language


def test_derived_values_can_be_switched_off(client, db, settings, partner):
    settings.DERIVED_CACHE_SECONDS = 0
    _first, first_queries = get(client, "/en/events/")
    _again, again_queries = get(client, "/en/events/")
    assert again_queries == first_queries


def test_home_figures_follow_a_new_partner_at_once(client, db, partner):
    assert "<strong>1</strong>" in client.get("/en/").text
    _again, cached_queries = get(client, "/en/")
    make_partner(country=partner.country)
    html, fresh_queries = get(client, "/en/")
    assert "<strong>2</strong>" in html.text
    assert fresh_queries > cached_queries  # the figures were derived again, once


# Query strings: only the parameters a page understands make a page of its own.


@pytest.fixture
def cached_files(cached, settings, tmp_path):
    settings.PUBLIC_CACHE_FILES = tmp_path / "files"


@pytest.mark.parametrize(
    "path", ["/ru/events/calendar.ics", "/en/events/feed.atom", "/vi/events/", "/ru/partners/", "/ru/", "/sitemap.xml"]
)
def test_unknown_parameters_cannot_force_a_page_past_the_cache(client, db, cached, partner, path):
    make_event(partners=[partner])
    first, _ = get(client, path + "?x=1")
    assert first["X-Cache"] == "miss"
    for n in range(2, 5):
        response, queries = get(client, f"{path}?x={n}&utm_source=mail{n}")
        assert response["X-Cache"] == "hit" and queries == 0, n
        assert response.content == first.content
    assert get(client, path)[0]["X-Cache"] == "hit"


def test_the_order_repeats_and_empty_values_of_parameters_do_not_matter(client, db, cached, partner):
    get(client, "/en/events/?kind=festival&year=2024")
    for query in ["year=2024&kind=festival", "kind=festival&year=2024&when=", "kind=talk&kind=festival&year=2024"]:
        assert get(client, f"/en/events/?{query}")[0]["X-Cache"] == "hit", query


def test_understood_parameters_still_select(client, db, cached, partner):
    jazz = make_event(partners=[partner], kind="festival", title_en="Jazz festival")
    make_event(partners=[partner], kind="exhibition", title_en="Photo exhibition")
    festivals = get(client, "/en/events/calendar.ics?kind=festival&x=1")[0].text
    assert "Jazz festival" in festivals and "Photo exhibition" not in festivals
    assert "Photo exhibition" in get(client, "/en/events/calendar.ics?kind=exhibition")[0].text
    assert f"/en/events/{jazz.pk}/" in get(client, "/en/search/?q=jazz")[0].text
    assert f"/en/events/{jazz.pk}/" not in get(client, "/en/search/?q=photo")[0].text


def test_a_cached_page_never_carries_another_visitors_parameters(client, db, cached, partner):
    first = get(client, "/ru/events/?kind=festival&ref=attacker-text")[0]
    later = get(client, "/ru/events/?kind=festival")[0]
    assert later["X-Cache"] == "hit"
    assert "attacker-text" not in first.text and "attacker-text" not in later.text
    assert "/en/events/?kind=festival" in later.text  # the language links keep the understood ones


def test_sitemaps_are_cached_per_page(client, db, cached, partner):
    make_event(partners=[partner])
    first, queries = get(client, "/sitemap-events.xml")
    assert first["X-Cache"] == "miss" and queries > 0
    again, again_queries = get(client, "/sitemap-events.xml?x=2")
    assert again["X-Cache"] == "hit" and again_queries == 0
    assert get(client, "/sitemap-events.xml?p=1")[0]["X-Cache"] == "miss"  # a page of its own


def test_open_data_is_written_once_per_content_version(client, db, cached_files, partner, settings):
    def download(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            body = b"".join(response.streaming_content)
        return body, len(queries)

    first, first_queries = download("/en/open-data/partners.json")
    again, again_queries = download("/en/open-data/partners.json?x=1")
    assert again == first and again_queries < first_queries
    assert [path.name for path in (settings.PUBLIC_CACHE_FILES).glob("*/*")] == [
        next(settings.PUBLIC_CACHE_FILES.glob("*/partners-en-*.json")).name
    ]
    make_partner(country=partner.country, name_en="Newcity")
    assert b"Newcity" in download("/en/open-data/partners.json")[0]


@pytest.mark.django_db(transaction=True)  # closing the response closes the connection, as a server does
def test_a_download_left_halfway_leaves_no_file(client, cached_files, partner, settings):
    make_partner(country=partner.country)
    response = client.get("/en/open-data/partners.csv")
    next(iter(response.streaming_content))
    response.close()  # the client went away
    assert not [path for path in settings.PUBLIC_CACHE_FILES.rglob("*") if path.is_file()]
    complete = b"".join(client.get("/en/open-data/partners.csv").streaming_content)
    assert b"".join(client.get("/en/open-data/partners.csv").streaming_content) == complete
