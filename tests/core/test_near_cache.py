"""Each process's copy of the shared cache (core/near_cache.py): read without Redis, never stale once told.

Two cache objects with one key prefix stand for two processes: ``near`` keeps a copy, ``other``
(no copy of its own) writes as another worker would.
"""

import time

import pytest
from django.core.cache.backends.redis import RedisCache

from core import cache_backends
from core.cache_backends import ResilientRedisCache


@pytest.fixture
def at(redis_server):
    """Where the two processes' cache is: a Redis and a key prefix of the test's own."""
    yield redis_server
    for (server, channel), (_mirror, listener) in list(cache_backends._mirrors.items()):
        if channel.startswith(redis_server[1]):
            listener.stop()
            del cache_backends._mirrors[(server, channel)]


def backend(at: tuple[str, str], *, near_bytes: int = 2**20, seconds: float = 60) -> ResilientRedisCache:
    location, prefix = at
    options = {"NEAR_CACHE_BYTES": near_bytes, "NEAR_CACHE_SECONDS": seconds}
    return ResilientRedisCache(location, {"KEY_PREFIX": prefix, "OPTIONS": options})


def live(cache: ResilientRedisCache) -> ResilientRedisCache:
    """``cache`` once its listener is subscribed (its copy answers from then on)."""
    cache.get("public-pages:warm-up")
    until(lambda: cache._cache.mirror.live)
    return cache


def until(condition, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.005)


def unannounced_set(cache: ResilientRedisCache, key: str, value) -> None:
    """Writes ``key`` straight to Redis, telling no process (as if the message were lost)."""
    client = cache._cache.get_client(key, write=True)
    client.set(cache.make_key(key), cache._cache._serializer.dumps(value), ex=60)


def told(cache: ResilientRedisCache, write) -> None:
    """Makes ``write`` (one message) and waits until ``cache``'s listener has heard it."""
    mirror = cache._cache.mirror
    heard = mirror.heard
    write()
    until(lambda: mirror.heard > heard)


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the reads that reach Redis."""
    calls = []
    real = cache_backends.NearClients.get_client

    def counted(self, key=None, *, write=False):
        if not write:
            calls.append(key)
        return real(self, key, write=write)

    monkeypatch.setattr(cache_backends.NearClients, "get_client", counted)
    return calls


def test_what_was_read_once_is_read_again_without_redis(at, round_trips):
    other, near = backend(at, near_bytes=0), live(backend(at))
    told(near, lambda: other.set_many({"public-pages:tag:a": 1, "public-pages:tag:b": 2}, 60))
    told(near, lambda: other.set("public-pages:page:x", {"html": "<p>x</p>"}, 60))
    tags = {"public-pages:tag:a": 1, "public-pages:tag:b": 2}
    assert near.get_many(list(tags)) == tags
    assert near.get("public-pages:page:x") == {"html": "<p>x</p>"}
    round_trips.clear()
    for _ in range(3):
        assert near.get_many(list(tags)) == tags
        assert near.get("public-pages:page:x") == {"html": "<p>x</p>"}
    assert round_trips == []


def test_keys_outside_the_pages_are_always_read_from_redis(at, round_trips):
    other, near = backend(at, near_bytes=0), live(backend(at))
    other.set("login-attempts:1.2.3.4", 3, 60)
    round_trips.clear()
    assert near.get("login-attempts:1.2.3.4") == 3
    assert near.get("login-attempts:1.2.3.4") == 3
    assert len(round_trips) == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda cache: cache.set("public-pages:tag:a", 2, 60),
        lambda cache: cache.set_many({"public-pages:tag:a": 2, "public-pages:tag:b": 5}, 60),
        lambda cache: cache.incr("public-pages:tag:a"),
        lambda cache: cache.delete("public-pages:tag:a"),
        lambda cache: cache.delete_many(["public-pages:tag:a"]),
    ],
    ids=["set", "set_many", "incr", "delete", "delete_many"],  # not clear(): FLUSHDB, and the server may be shared
)
def test_a_write_by_another_process_is_seen(at, change):
    other, near = backend(at, near_bytes=0), live(backend(at))
    other.set("public-pages:tag:a", 1, 60)
    assert near.get("public-pages:tag:a") == 1
    change(other)
    expected = RedisCache.get(other, "public-pages:tag:a")
    assert expected != 1
    until(lambda: near.get("public-pages:tag:a") == expected)


def test_an_addition_by_another_process_is_seen(at):
    other, near = backend(at, near_bytes=0), live(backend(at))
    other.set("public-pages:tag:a", 1, 60)
    assert near.get("public-pages:tag:a") == 1
    RedisCache.delete(other, "public-pages:tag:a")  # gone without a word (expired, evicted)
    assert other.add("public-pages:tag:a", 7, 60)
    until(lambda: near.get("public-pages:tag:a") == 7)


def test_a_process_reads_its_own_write_at_once(at):
    near = live(backend(at))
    near.set("public-pages:tag:a", 1, 60)
    assert near.get("public-pages:tag:a") == 1
    near.set("public-pages:tag:a", 2, 60)
    assert near.get("public-pages:tag:a") == 2
    near.set_many({"public-pages:tag:a": 3}, 60)
    assert near.get("public-pages:tag:a") == 3
    assert near.incr("public-pages:tag:a") == 4
    assert near.get("public-pages:tag:a") == 4


def test_a_value_changed_while_it_was_being_read_is_not_kept(at, monkeypatch):
    """The read returns what Redis had; the message that came meanwhile keeps it from being kept."""
    other, near = backend(at, near_bytes=0), live(backend(at))
    other.set("public-pages:tag:a", 1, 60)
    client = near._cache.get_client(None)
    real_mget = type(client).mget

    def changed_meanwhile(self, keys, *args):
        values = real_mget(self, keys, *args)
        other.set("public-pages:tag:a", 2, 60)
        mirror = near._cache.mirror
        until(lambda: "public-pages" not in str(mirror._pending))  # the listener has read the message
        return values

    monkeypatch.setattr(type(client), "mget", changed_meanwhile)
    assert near.get("public-pages:tag:a") == 1
    monkeypatch.undo()
    assert near.get("public-pages:tag:a") == 2


def test_without_its_listener_a_process_reads_through_and_forgets_what_it_kept(at, round_trips):
    import redis

    other, near = backend(at, near_bytes=0), live(backend(at))
    other.set("public-pages:tag:a", 1, 60)
    assert near.get("public-pages:tag:a") == 1
    server = redis.Redis.from_url(at[0])
    for client in server.client_list(_type="pubsub"):
        if client["name"] == "near-cache":
            server.client_kill_filter(_id=client["id"])
    until(lambda: not near._cache.mirror.live, seconds=2)
    other.set("public-pages:tag:a", 2, 60)  # told to nobody
    round_trips.clear()
    assert near.get("public-pages:tag:a") == 2
    assert round_trips  # read from Redis
    until(lambda: near._cache.mirror.live)  # subscribed again, starting empty
    assert near.get("public-pages:tag:a") == 2


def test_a_kept_value_is_used_for_a_limited_time(at):
    other, near = backend(at, near_bytes=0), live(backend(at, seconds=0.2))
    told(near, lambda: other.set("public-pages:tag:a", 1, 60))
    assert near.get("public-pages:tag:a") == 1
    unannounced_set(other, "public-pages:tag:a", 2)  # a change no message told of
    assert near.get("public-pages:tag:a") == 1
    time.sleep(0.25)
    assert near.get("public-pages:tag:a") == 2


def test_the_copy_holds_at_most_its_size_the_least_recently_read_going_first(at):
    other, near = backend(at, near_bytes=0), live(backend(at, near_bytes=10_000))
    for number in range(10):
        told(near, lambda number=number: other.set(f"public-pages:page:{number}", "x" * 2_000, 60))
        near.get(f"public-pages:page:{number}")
        near.get("public-pages:page:0")  # read again and again: kept
    mirror = near._cache.mirror
    assert mirror.size <= 10_000
    kept = mirror.get_many([near.make_key(f"public-pages:page:{number}") for number in range(10)])
    assert near.make_key("public-pages:page:0") in kept
    assert near.make_key("public-pages:page:1") not in kept
    assert near.make_key("public-pages:page:9") in kept


def test_every_thread_of_a_process_shares_one_copy(at):
    assert backend(at)._cache.mirror is backend(at)._cache.mirror


def test_a_read_made_while_the_process_writes_does_not_outlive_the_write(at, monkeypatch):
    """The process skips its own messages, so its copy forgets a key only after the write has reached Redis."""
    near = live(backend(at))
    near.set("public-pages:tag:a", 1, 60)
    assert near.get("public-pages:tag:a") == 1
    pipeline_class = type(near._cache.get_client(None, write=True).pipeline())
    real_execute = pipeline_class.execute
    read_meanwhile = []

    def execute(self, *args, **kwargs):
        read_meanwhile.append(near.get("public-pages:tag:a"))  # another thread, before the write lands
        return real_execute(self, *args, **kwargs)

    monkeypatch.setattr(pipeline_class, "execute", execute)
    near.set_many({"public-pages:tag:a": 2}, 60)
    monkeypatch.undo()
    assert read_meanwhile == [1]
    assert near.get("public-pages:tag:a") == 2
