"""The public page cache: hits without SQL, precise invalidation on change, staff and admin never cached."""

import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from association.models import Page
from core import cache as page_cache
from core.bulk import content_bulk_create
from events.models import Event
from tests.factories import make_country, make_event, make_partner, make_society


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
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
    assert first["X-Cache"] == "MISS" and first_queries > 0
    assert second["X-Cache"] == "HIT" and second_queries == 0
    assert second.content == first.content


def test_a_content_change_invalidates_at_once(client, db, cached, partner):
    get(client, f"/ru/partners/{partner.slug}/")
    partner.name_ru = "Новое имя"
    partner.save()
    response, queries = get(client, f"/ru/partners/{partner.slug}/")
    assert response["X-Cache"] == "MISS" and queries > 0
    assert "Новое имя" in response.content.decode()


def test_a_new_many_to_many_link_invalidates(client, db, cached, partner):
    event = make_event()
    get(client, f"/ru/partners/{partner.slug}/")
    event.partners.add(partner)
    response, _queries = get(client, f"/ru/partners/{partner.slug}/")
    assert response["X-Cache"] == "MISS"


def test_publishing_a_draft_partner_or_society_reaches_the_pages_of_its_events(client, db, cached):
    draft_partner = make_partner(name_en="Tampere", is_published=False)
    draft_society = make_society(name_en="Tampere Society", is_published=False)
    event = make_event(partners=[make_partner()], societies=[draft_society])
    event.partners.add(draft_partner)
    url = f"/en/events/{event.pk}/"
    assert "Tampere" not in client.get(url).text
    for draft in (draft_partner, draft_society):
        assert client.get(url)["X-Cache"] == "HIT"
        draft.is_published = True
        draft.save()
        assert f">{draft.name_en}<" in client.get(url).text


def test_languages_and_query_strings_are_cached_apart(client, db, cached, partner):
    ru, _ = get(client, "/ru/events/")
    en, _ = get(client, "/en/events/")
    filtered, _ = get(client, "/en/events/?kind=festival")
    assert [ru["X-Cache"], en["X-Cache"], filtered["X-Cache"]] == ["MISS", "MISS", "MISS"]
    assert ru.content != en.content
    assert get(client, "/en/events/")[0]["X-Cache"] == "HIT"


def test_staff_never_get_or_fill_the_cache(client, staff_client, db, cached, partner):
    get(client, "/ru/partners/")
    response, queries = get(staff_client, "/ru/partners/")
    assert response["X-Cache"] == "MISS" and queries > 0


def test_the_admin_is_never_cached(staff_client, client, db, cached):
    response, _ = get(client, "/admin/login/")
    again, _ = get(client, "/admin/login/")
    assert not response.has_header("X-Cache") and not again.has_header("X-Cache")  # not a public page


def test_responses_that_set_cookies_are_not_stored(db, cached, rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("csrftoken", "x")
        return response

    middleware = page_cache.PublicPageCacheMiddleware(view)
    assert middleware(rf.get("/ru/"))["X-Cache"] == "MISS"
    assert middleware(rf.get("/ru/"))["X-Cache"] == "MISS"


def test_not_found_pages_are_not_stored(client, db, cached):
    assert get(client, "/ru/partners/no-such-city/")[0]["X-Cache"] == "MISS"
    assert get(client, "/ru/partners/no-such-city/")[0]["X-Cache"] == "MISS"


def test_a_disabled_cache_stores_nothing(client, db, settings, partner):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert get(client, "/ru/partners/")[0]["X-Cache"] == "MISS"
    assert get(client, "/ru/partners/")[0]["X-Cache"] == "MISS"


def test_menu_and_report_year_are_kept_until_the_content_changes(client, db, partner):
    page = Page.objects.create(slug="statutes", title_ru="Устав", title_en="Statutes", position=3)
    url = f"/en/events/{make_event(partners=[partner], report_year=2024).pk}/"
    first, first_queries = get(client, url)
    again, again_queries = get(client, url)
    assert ">Statutes</a>" in first.text and ">Statutes</a>" in again.text
    # the menu's, the contacts' and the related events' queries, derived once per version
    assert again_queries == first_queries - 3
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


# Precise invalidation: a change reaches the pages that show what changed, and only those.


def x_cache(client, *urls) -> list[str]:
    return [client.get(url)["X-Cache"] for url in urls]


@pytest.fixture
def world(db, cached):
    """Two partners of one country and one of another, an event of the first with a society."""
    country = make_country()
    society = make_society(countries=[country])
    linked, neighbour = make_partner(country=country), make_partner(country=country)
    unrelated = make_partner()
    event = make_event(partners=[linked], societies=[society], report_year=2024)
    make_event(partners=[unrelated], report_year=2024)
    return {
        "country": country,
        "society": society,
        "linked": linked,
        "neighbour": neighbour,
        "unrelated": unrelated,
        "event": event,
    }


def urls_of(world) -> dict[str, str]:
    return {
        "event": f"/en/events/{world['event'].pk}/",
        "linked": f"/en/partners/{world['linked'].slug}/",
        "neighbour": f"/en/partners/{world['neighbour'].slug}/",
        "unrelated": f"/en/partners/{world['unrelated'].slug}/",
        "country": f"/en/partners/countries/{world['country'].slug}/",
        "society": f"/en/societies/{world['society'].slug}/",
        "events": "/en/events/",
        "feed": "/en/events/feed.atom",
        "home": "/en/",
    }


def states(client, urls) -> dict[str, str]:
    return {name: client.get(url)["X-Cache"] for name, url in urls.items()}


def test_editing_an_event_invalidates_the_pages_that_show_it_and_no_other(client, world):
    urls = urls_of(world)
    states(client, urls)
    assert set(states(client, urls).values()) == {"HIT"}
    event = world["event"]
    event.title_en = "Jazz evening"
    event.save()
    after = states(client, urls)
    assert after == {
        "event": "MISS",
        "linked": "MISS",
        "neighbour": "HIT",  # same country, not concerned
        "unrelated": "HIT",
        "country": "MISS",
        "society": "MISS",
        "events": "MISS",
        "feed": "MISS",
        "home": "MISS",
    }
    assert "Jazz evening" in client.get(urls["linked"]).text
    assert "Jazz evening" in client.get(urls["event"]).text


def test_values_about_a_page_s_subject_follow_its_neighbours_only(client, world):
    """An event page's related events and a partner page's neighbours are derived values about the page's subject:
    an edit elsewhere leaves the pages cached, an edit among the neighbours reaches them."""
    urls = {name: url for name, url in urls_of(world).items() if name in {"event", "linked", "neighbour", "unrelated"}}

    def after_a_change() -> dict[str, str]:
        return states(client, urls)

    states(client, urls)
    elsewhere = Event.objects.get(partners=world["unrelated"])
    elsewhere.title_en = "Elsewhere, renamed"
    elsewhere.save()
    assert after_a_change() == {"event": "HIT", "linked": "HIT", "neighbour": "HIT", "unrelated": "MISS"}
    make_event(partners=[world["linked"]], start="2024-02-01", title_en="A second visit")
    assert after_a_change() == {"event": "MISS", "linked": "MISS", "neighbour": "HIT", "unrelated": "HIT"}
    assert "A second visit" in client.get(urls["event"]).text  # among the related events
    far = world["unrelated"]
    far.name_en = "Far away, renamed"
    far.save()
    assert after_a_change() == {"event": "HIT", "linked": "HIT", "neighbour": "HIT", "unrelated": "MISS"}
    world["neighbour"].name_en = "Next door, renamed"
    world["neighbour"].save()
    assert after_a_change()["linked"] == "MISS"
    assert "Next door, renamed" in client.get(urls["linked"]).text


def test_one_event_s_calendar_file_follows_that_event_only(client, world):
    """«Add to calendar» answers a file, with no template context naming its subject: it says it (``page_about``)."""
    url = f"/en/events/{world['event'].pk}/event.ics"
    assert [client.get(url)["X-Cache"] for _ in range(2)] == ["MISS", "HIT"]
    elsewhere = Event.objects.get(partners=world["unrelated"])
    elsewhere.title_en = "Elsewhere, renamed"
    elsewhere.save()
    assert client.get(url)["X-Cache"] == "HIT"
    world["event"].title_en = "Jazz evening"
    world["event"].save()
    response = client.get(url)
    assert response["X-Cache"] == "MISS" and "Jazz evening" in response.content.decode()


def test_relinking_an_event_invalidates_the_partner_it_leaves_and_the_one_it_joins(client, world):
    urls = urls_of(world)
    states(client, urls)
    world["event"].partners.set([world["neighbour"]])
    assert x_cache(client, urls["linked"], urls["neighbour"], urls["unrelated"], urls["event"]) == [
        "MISS",
        "MISS",
        "HIT",
        "MISS",
    ]
    assert world["event"].title_en in client.get(urls["neighbour"]).text
    assert world["event"].title_en not in client.get(urls["linked"]).text


def test_deleting_an_event_invalidates_its_partners_page(client, world):
    urls = urls_of(world)
    states(client, urls)
    title = world["event"].title_en
    world["event"].delete()
    assert x_cache(client, urls["linked"], urls["unrelated"]) == ["MISS", "HIT"]
    assert title not in client.get(urls["linked"]).text


def test_a_partner_moved_to_another_country_leaves_both_country_pages(client, world):
    elsewhere = world["unrelated"].country
    urls = {**urls_of(world), "elsewhere": f"/en/partners/countries/{elsewhere.slug}/"}
    states(client, urls)
    moved = world["neighbour"]
    moved.country = elsewhere
    moved.save()
    assert x_cache(client, urls["country"], urls["elsewhere"], urls["unrelated"]) == ["MISS", "MISS", "MISS"]
    assert moved.name_en not in client.get(urls["country"]).text
    assert moved.name_en in client.get(urls["elsewhere"]).text


def test_a_new_partner_appears_beside_the_others_of_its_country(client, world):
    urls = urls_of(world)
    states(client, urls)
    newcomer = make_partner(country=world["country"], name_en="Newtown")
    assert x_cache(client, urls["linked"], urls["unrelated"]) == ["MISS", "HIT"]
    assert "Newtown" in client.get(urls["linked"]).text
    assert newcomer.name_en in client.get(urls["country"]).text


@pytest.mark.django_db(transaction=True)
def test_an_import_written_in_bulk_reaches_the_partners_it_links_after_the_commit(client, cached):
    """Links written after the events (as the report import does) count: what is above is read at the commit."""
    partner, unrelated = make_partner(), make_partner()
    urls = {"partner": f"/en/partners/{partner.slug}/", "unrelated": f"/en/partners/{unrelated.slug}/"}
    states(client, urls)
    with transaction.atomic():
        imported = Event(title_ru="Импорт", title_en="Imported concert")
        imported.start = "2024-05-01"
        events = content_bulk_create([imported])
        Event.partners.through.objects.bulk_create(
            [Event.partners.through(event_id=events[0].pk, partner_id=partner.pk)]
        )
    assert states(client, urls) == {"partner": "MISS", "unrelated": "HIT"}
    assert "Imported concert" in client.get(urls["partner"]).text


def test_a_derived_value_that_comes_out_the_same_leaves_the_pages_that_use_it(client, world, monkeypatch):
    """Every partner page shows which partners are dormant, from the newest report year: an edit keeping it keeps them.

    The first page to need the value after the change computes it again (here the edited
    partner's, which is rendered again anyway); the others compare it with theirs.
    """
    urls = urls_of(world)
    states(client, urls)
    make_event(partners=[world["linked"]], report_year=2024)
    assert x_cache(client, urls["linked"], urls["unrelated"], urls["neighbour"]) == ["MISS", "HIT", "HIT"]
    # The first page requested after the change, not the edited partner's, computes it again and is still a hit.
    make_event(partners=[world["linked"]], report_year=2023)
    assert x_cache(client, urls["unrelated"], urls["neighbour"], urls["linked"]) == ["HIT", "HIT", "MISS"]
    # Computed again where the change has not arrived yet (a replica behind it), it proves nothing.
    make_event(partners=[world["linked"]], report_year=2022)
    with monkeypatch.context() as behind:
        behind.setattr(page_cache, "storable", lambda built, position=None: False)
        assert x_cache(client, urls["unrelated"]) == ["MISS"]
    make_event(partners=[world["linked"]], report_year=2031)  # a newer report: the dormant line moves
    assert x_cache(client, urls["linked"], urls["unrelated"], urls["neighbour"]) == ["MISS", "MISS", "MISS"]


def test_the_menu_follows_its_titles_not_the_pages_bodies(client, world):
    page = Page.objects.create(slug="statutes", title_ru="Устав", title_en="Statutes", position=3)
    urls = urls_of(world)
    states(client, urls)
    page.body_en = "<p>Article 1</p>"
    page.save()
    assert x_cache(client, f"/en/pages/{page.slug}/", urls["unrelated"], urls["event"]) == ["MISS", "HIT", "HIT"]
    page.title_en = "Charter"
    page.save()
    assert x_cache(client, f"/en/pages/{page.slug}/", urls["unrelated"], urls["event"]) == ["MISS", "MISS", "MISS"]
    assert ">Charter</a>" in client.get(urls["unrelated"]).text


def test_every_public_response_says_whether_the_cache_served_it(world, django_user_model):
    visitor, staff = Client(), Client()
    staff.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "pass-word-123"))
    urls = urls_of(world)
    assert set(states(visitor, urls).values()) == {"MISS"}
    assert set(states(visitor, urls).values()) == {"HIT"}
    assert visitor.get("/en/partners/no-such-city/")["X-Cache"] == "MISS"
    assert visitor.post("/en/subscriptions/", {"email": "x"})["X-Cache"] == "MISS"
    assert set(states(staff, urls).values()) == {"MISS"}
    assert "X-Cache" not in visitor.get("/healthz") and "X-Cache" not in staff.get("/admin/")


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
    assert first["X-Cache"] == "MISS"
    for n in range(2, 5):
        response, queries = get(client, f"{path}?x={n}&utm_source=mail{n}")
        assert response["X-Cache"] == "HIT" and queries == 0, n
        assert response.content == first.content
    assert get(client, path)[0]["X-Cache"] == "HIT"


def test_the_order_repeats_and_empty_values_of_parameters_do_not_matter(client, db, cached, partner):
    get(client, "/en/events/?kind=festival&year=2024")
    for query in ["year=2024&kind=festival", "kind=festival&year=2024&when=", "kind=talk&kind=festival&year=2024"]:
        assert get(client, f"/en/events/?{query}")[0]["X-Cache"] == "HIT", query


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
    assert later["X-Cache"] == "HIT"
    assert "attacker-text" not in first.text and "attacker-text" not in later.text
    assert "/en/events/?kind=festival" in later.text  # the language links keep the understood ones


def test_sitemaps_are_cached_per_page(client, db, cached, partner):
    make_event(partners=[partner])
    first, queries = get(client, "/sitemap-events.xml")
    assert first["X-Cache"] == "MISS" and queries > 0
    again, again_queries = get(client, "/sitemap-events.xml?x=2")
    assert again["X-Cache"] == "HIT" and again_queries == 0
    assert get(client, "/sitemap-events.xml?p=1")[0]["X-Cache"] == "MISS"  # a page of its own


def test_open_data_is_written_once_until_the_lists_it_reads_change(client, db, cached_files, partner, settings):
    def download(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            body = b"".join(response.streaming_content)
        return body, len(queries)

    event = make_event(partners=[partner], title_en="Jazz evening")
    first, first_queries = download("/en/open-data/partners.json")
    again, again_queries = download("/en/open-data/partners.json?x=1")
    assert again == first and again_queries < first_queries
    assert [path.name for path in (settings.PUBLIC_CACHE_FILES).glob("*/*")] == [
        next(settings.PUBLIC_CACHE_FILES.glob("*/partners-en-*.json")).name
    ]
    assert b"Jazz evening" in download("/en/open-data/events.json")[0]
    event.title_en = "Jazz night"
    event.save()
    # The partners' file reads no event: it is kept; the events' file is made again.
    assert download("/en/open-data/partners.json") == (first, again_queries)
    assert b"Jazz night" in download("/en/open-data/events.json")[0]
    make_partner(country=partner.country, name_en="Newcity")
    assert b"Newcity" in download("/en/open-data/partners.json")[0]


def test_an_open_data_file_made_while_its_lists_changed_is_not_kept(client, db, cached_files, partner):
    response = client.get("/en/open-data/partners.csv")
    chunks = iter(response.streaming_content)
    first = next(chunks)
    make_partner(country=partner.country, name_en="Newcity")  # saved while the file is being sent
    b"".join([first, *chunks])
    assert b"Newcity" in b"".join(client.get("/en/open-data/partners.csv").streaming_content)


@pytest.mark.django_db(transaction=True)  # closing the response closes the connection, as a server does
def test_a_download_left_halfway_leaves_no_file(client, cached_files, partner, settings):
    make_partner(country=partner.country)
    response = client.get("/en/open-data/partners.csv")
    next(iter(response.streaming_content))
    response.close()  # the client went away
    assert not [path for path in settings.PUBLIC_CACHE_FILES.rglob("*") if path.is_file()]
    complete = b"".join(client.get("/en/open-data/partners.csv").streaming_content)
    assert b"".join(client.get("/en/open-data/partners.csv").streaming_content) == complete


# Shared by every process: with Redis, an edit made by one process invalidates another's pages.

EDIT_IN_ANOTHER_PROCESS = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "association.settings_test"
django.setup()
from django.conf import settings
location, prefix, database, pk, backend = sys.argv[1:]
settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": prefix}}
settings.DATABASES["default"]["NAME"] = database
from events.models import Event
event = Event.objects.get(pk=pk)
event.title_en = "Edited elsewhere"
event.save()
"""


@pytest.fixture(
    params=[
        ("django.core.cache.backends.redis.RedisCache", {}),
        # as in production: each process keeps a copy, told of changes (core/near_cache.py)
        ("core.cache_backends.ResilientRedisCache", {"NEAR_CACHE_BYTES": 2**24}),
    ],
    ids=["redis", "redis-with-copies"],
)
def redis_cache(settings, request, redis_server):
    backend, options = request.param
    location, prefix = redis_server
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": prefix, "OPTIONS": options}}
    settings.PUBLIC_CACHE_SECONDS = 600
    return location, prefix, backend


@pytest.mark.django_db(transaction=True)
def test_with_redis_an_edit_in_another_process_invalidates_exactly_its_pages(client, redis_cache):
    location, prefix, backend = redis_cache
    linked, unrelated = make_partner(), make_partner()
    event = make_event(partners=[linked], report_year=2024)
    make_event(partners=[unrelated], report_year=2024)
    urls = {"linked": f"/en/partners/{linked.slug}/", "unrelated": f"/en/partners/{unrelated.slug}/"}
    states(client, urls)
    assert states(client, urls) == {"linked": "HIT", "unrelated": "HIT"}
    database = connection.settings_dict["NAME"]
    subprocess.run(
        [sys.executable, "-c", EDIT_IN_ANOTHER_PROCESS, location, prefix, database, str(event.pk), backend],
        check=True,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        timeout=120,
    )
    # With copies in each process: as soon as this one has heard of the change (within milliseconds).
    deadline = time.monotonic() + 2
    while client.get(urls["linked"])["X-Cache"] == "HIT":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert states(client, urls) == {"linked": "HIT", "unrelated": "HIT"}
    assert "Edited elsewhere" in client.get(urls["linked"]).text


def test_a_view_that_shows_more_than_its_subject_names_it(world):
    """A detail page depends on its subject's attachments only; a sidebar of all events is declared."""
    from core.cache_tags import built_tags, depends_on, reading

    with reading() as reads:
        list(Event.objects.all())
    assert "events.event" not in built_tags(reads, subject=world["linked"])
    with reading() as reads:
        list(Event.objects.all())
        depends_on(Event)
    assert "events.event" in built_tags(reads, subject=world["linked"])


@pytest.mark.django_db(transaction=True)
def test_with_copies_in_each_process_a_page_cache_hit_asks_redis_nothing(client, redis_cache, monkeypatch):
    from core import cache_backends

    if redis_cache[2] != "core.cache_backends.ResilientRedisCache":
        pytest.skip("each process's copy is ResilientRedisCache's")
    partner = make_partner()
    make_event(partners=[partner], report_year=2024)
    url = f"/en/partners/{partner.slug}/"
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    asked = []
    real = cache_backends.NearClients.get_client
    monkeypatch.setattr(
        cache_backends.NearClients, "get_client", lambda self, *a, **k: asked.append(a) or real(self, *a, **k)
    )
    for _ in range(3):
        assert client.get(url)["X-Cache"] == "HIT"
    assert asked == []
