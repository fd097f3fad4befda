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
    assert again_queries == first_queries - 1  # the menu's query, derived once per content version
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
