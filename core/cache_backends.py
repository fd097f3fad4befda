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

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


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


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A cache that waits longer than a page takes to render is worse than none.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = ReusedClients
        self._down_until = 0.0
        self._lock = threading.Lock()

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
