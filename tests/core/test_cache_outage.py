"""Redis down: the site answers from the database and staff keep editing (core/cache_backends.py)."""

import socket
import time

import pytest
from django.core.cache import cache

from core import cache_backends
from tests.factories import make_event, make_partner


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    settings.PUBLIC_CACHE_SECONDS = 600
    yield


@pytest.mark.django_db
def test_pages_are_served_uncached_and_an_edit_shows_at_once(client, redis_down):
    partner = make_partner(name_en="Harbourtown")
    event = make_event(partners=[partner], title_en="Harbour festival")
    pages = ("/en/", "/en/events/", f"/en/events/{event.pk}/", f"/en/partners/{partner.slug}/", "/en/search/?q=harbour")
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Cache"] == "MISS"
    event.title_en = "Harbour night"
    event.save()  # bumps its tags: nowhere to write them, and no error
    assert "Harbour night" in client.get("/en/events/").text


@pytest.mark.django_db
def test_a_staff_edit_in_the_admin_goes_through(staff_client, redis_down):
    event = make_event(title_en="Harbour festival")
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200


def test_redis_is_left_alone_for_a_while_after_a_failure(redis_down, monkeypatch):
    attempts = []
    real = cache_backends.RedisCache.get

    def counted(self, *args, **kwargs):
        attempts.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cache_backends.RedisCache, "get", counted)
    assert cache.get("a") is None and cache.get("b", "default") == "default"
    assert len(attempts) == 1
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.add("a", 1) is False and cache.get_many(["a", "b"]) == {}
    now = time.monotonic
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: now() + cache_backends.RETRY_SECONDS + 1)
    cache.get("a")
    assert len(attempts) == 2


def test_a_reachable_redis_is_used(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-outage-{time.monotonic_ns()}",
        }
    }
    try:
        cache.set("a", 1)
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    if cache.get("a") != 1:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.incr("a") == 2 and cache.get_many(["a"]) == {"a": 2}
    cache.delete("a")
