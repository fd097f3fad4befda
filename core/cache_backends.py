"""The shared cache as the portal uses it: a Redis outage costs speed, never an answer or an edit.

Every public page, derived value, row fragment and tag version goes through the cache. With
Django's Redis backend as it is, an unreachable Redis answered every page with a 500 and
refused every save in the admin (a save bumps its tags). ``ResilientRedisCache`` reads as an
empty cache and writes to nowhere while Redis cannot be reached: pages are rendered from the
database (``X-Cache: MISS``), saves go through, a missing counter reads as missing
(``incr`` raises ``ValueError`` as for an absent key), rate limits let requests through.

After a failure Redis is left alone for ``RETRY_SECONDS`` (each attempt would wait for its
connection timeout), then tried again. What was cached before the outage may come back with
Redis; a change made meanwhile could not bump its tags, so such a page can be served until it
expires (``PUBLIC_CACHE_SECONDS``, 10 minutes): docs/OPERATIONS.md, "When Redis is down".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from core.near_cache import ALL, NOBODY, Listener, Mirror, message

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
#: What each process keeps a copy of (``NEAR_CACHE_BYTES``): pages, derived values, rows and versions.
NEAR_PREFIXES = ("public-pages:",)
#: Of those, what nobody changes once read (tag versions, the records of derived values): kept decoded and
#: shared by every thread, a dozen unpicklings less on each page-cache hit.
SHARED_PREFIXES = ("public-pages:tag:", "public-pages:derived:about:")


class ReusedClients(RedisCacheClient):
    """One ``redis.Redis`` per connection pool, instead of a new one for every operation.

    Django's client builds a ``redis.Redis`` per call, which copies redis-py's table of some
    eighty response callbacks each time: about 40 µs a call, a millisecond on a page that
    reads a dozen cached values, and most of what a page-cache hit costs. A client over a
    pool is thread-safe, so one per pool serves every thread.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


_mirrors: dict[tuple[str, str], tuple[Mirror, Listener]] = {}
_mirrors_lock = threading.Lock()


class NearClients(ReusedClients):
    """Reads of keys under ``near_prefixes`` answered from this process's copy (``core.near_cache``).

    Every write of such a key drops it from this process's copy and names it on ``channel``,
    where every other process's listener hears it. ``near_bytes=0``: no copy.
    """

    def __init__(
        self, *args, near_prefixes=(), shared_prefixes=(), near_bytes=0, near_seconds=60.0, channel="", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._near_prefixes = tuple(near_prefixes)
        self._shared_prefixes = tuple(shared_prefixes)
        self._channel = channel
        self.mirror = self.listener = None
        if near_bytes > 0 and self._near_prefixes:
            # One copy per process, shared by its threads (Django makes a cache object per thread).
            with _mirrors_lock:
                key = (self._servers[0], channel)
                if key not in _mirrors:
                    mirror = Mirror(max_bytes=near_bytes, seconds=near_seconds)
                    _mirrors[key] = (mirror, Listener(mirror, channel=channel, connect=self._subscriber))
                self.mirror, self.listener = _mirrors[key]

    def _subscriber(self) -> redis.Redis:
        return redis.Redis.from_url(
            self._servers[0],
            socket_connect_timeout=self._pool_options.get("socket_connect_timeout"),
            socket_keepalive=True,
            client_name="near-cache",
            health_check_interval=10,
            retry=Retry(NoBackoff(), 0),
        )

    @property
    def _sender(self) -> bytes:
        return NOBODY if self.mirror is None else self.mirror.sender

    def _near(self, keys) -> list[str]:
        return [key for key in keys if key.startswith(self._near_prefixes)]

    def get(self, key, default):
        if self.mirror is None or not key.startswith(self._near_prefixes):
            return super().get(key, default)
        return self.get_many([key]).get(key, default)

    def get_many(self, keys):
        if self.mirror is None:
            return super().get_many(keys)
        self.listener.ensure_started()
        keys = list(keys)
        loads = self._serializer.loads
        found = {
            key: loads(raw) if decoded is None else decoded
            for key, (raw, decoded) in self.mirror.get_many(self._near(keys)).items()
        }
        rest = [key for key in keys if key not in found]
        if rest:
            kept = self._near(rest)
            token = self.mirror.begin(kept)
            values = self.get_client(None).mget(rest)
            read = {key: value for key, value in zip(rest, values, strict=True) if value is not None}
            shared = {key: loads(value) for key, value in read.items() if key.startswith(self._shared_prefixes)}
            self.mirror.keep(token, kept, read, shared)
            found |= shared | {key: loads(value) for key, value in read.items() if key not in shared}
        return found

    def _written(self, keys) -> None:
        """After a write has reached Redis: this process's copy forgets ``keys`` and every other process is told.

        Not before: a read of this process starting in between would keep the old value, and it
        skips its own messages.
        """
        near = self._near(keys)
        if near:
            if self.mirror is not None:
                self.mirror.drop(near)
            self.get_client(None, write=True).publish(self._channel, message(self._sender, near))

    def add(self, key, value, timeout):
        added = super().add(key, value, timeout)
        if added:
            self._written([key])
        return added

    def set(self, key, value, timeout):
        super().set(key, value, timeout)
        self._written([key])

    def delete(self, key):
        deleted = super().delete(key)
        self._written([key])
        return deleted

    def incr(self, key, delta):
        value = super().incr(key, delta)
        self._written([key])
        return value

    def set_many(self, data, timeout):
        super().set_many(data, timeout)
        self._written(list(data))

    def delete_many(self, keys):
        super().delete_many(keys)
        self._written(keys)

    def clear(self):
        cleared = super().clear()
        if self.mirror is not None:
            self.mirror.clear()
        if self._near_prefixes:
            self.get_client(None, write=True).publish(self._channel, message(self._sender, [ALL]))
        return cleared


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}  # the settings stay as they are
        options = params["OPTIONS"]
        # A cache that waits longer than a page takes to render is worse than none.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        near = {
            "near_bytes": int(options.pop("NEAR_CACHE_BYTES", 0)),
            "near_seconds": float(options.pop("NEAR_CACHE_SECONDS", 60)),
        }
        super().__init__(server, params)
        self._options |= near | {
            "near_prefixes": tuple(self.make_key(prefix) for prefix in NEAR_PREFIXES),
            "shared_prefixes": tuple(self.make_key(prefix) for prefix in SHARED_PREFIXES),
            "channel": self.make_key("near-cache:changes"),
        }
        self._class = NearClients
        self._down_until = 0.0
        self._lock = threading.Lock()

    def validate_key(self, key):
        """Redis takes any key: the check for memcached's limits, a character at a time, cost 10 µs a read."""

    def _guarded(self, call: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            return call()
        except RedisError as error:
            with self._lock:
                if time.monotonic() >= self._down_until:
                    logger.warning("cache unreachable, pages are rendered uncached: %s", error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback()

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: RedisCache.get(self, key, default, version), lambda: default)

    def get_many(self, keys, version=None):
        return self._guarded(lambda: RedisCache.get_many(self, keys, version), dict)

    def has_key(self, key, version=None):
        return self._guarded(lambda: RedisCache.has_key(self, key, version), lambda: False)

    def add(self, *args, **kwargs):
        return self._guarded(lambda: RedisCache.add(self, *args, **kwargs), lambda: False)

    def set(self, *args, **kwargs):
        return self._guarded(lambda: RedisCache.set(self, *args, **kwargs), lambda: None)

    def set_many(self, data, *args, **kwargs):
        return self._guarded(lambda: RedisCache.set_many(self, data, *args, **kwargs), lambda: list(data))

    def touch(self, *args, **kwargs):
        return self._guarded(lambda: RedisCache.touch(self, *args, **kwargs), lambda: False)

    def delete(self, *args, **kwargs):
        return self._guarded(lambda: RedisCache.delete(self, *args, **kwargs), lambda: False)

    def delete_many(self, *args, **kwargs):
        return self._guarded(lambda: RedisCache.delete_many(self, *args, **kwargs), lambda: None)

    def clear(self):
        return self._guarded(lambda: RedisCache.clear(self), lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")

        return self._guarded(lambda: RedisCache.incr(self, key, delta, version), missing)
