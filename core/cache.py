"""The public page cache: anonymous GET pages, per language and query string, dropped on any content change.

``PublicPageCacheMiddleware`` sits right after the security and static-file middleware,
so a hit is answered before sessions, the database or the templates are touched
(zero SQL). What is stored:

- only GET/HEAD of language-prefixed public URLs (``/ru/…``, ``/en/…``, ``/vi/…``),
  never the admin;
- only for visitors without a session cookie — staff are always logged in, so they
  never see a cached page, and nothing they see is ever stored;
- only 200 responses that set no cookie (a page with a CSRF token sets one), are not
  streamed and are not marked private/no-store.

The key holds the host, the full path with its query string, the language, today's
date (the "upcoming" lists change at midnight) and a content version. Saving or
deleting any content model (or changing its many-to-many links, or importing a
report) bumps the version, so every cached page is invalidated at once rather than
waiting for a timeout. The version lives in the cache when it is shared (Redis); with
the per-process local-memory cache it is a stamp file's mtime, which every worker
process sees.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_path

from core.registry import Content, content_connect, link_throughs, on_bulk_saved, on_content_registered

VERSION_KEY = "public-pages:version"
KEY_PREFIX = "public-pages:page:"
DERIVED_PREFIX = "public-pages:derived:"
_MISSING = object()
T = TypeVar("T")
CACHEABLE_METHODS = {"GET", "HEAD"}
UNCACHEABLE_CONTROL = {"private", "no-cache", "no-store"}


def _timeout() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 600))


def _shared_cache() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _stamp() -> Path:
    return Path(getattr(settings, "PUBLIC_CACHE_STAMP", settings.BASE_DIR / "var" / "public-cache-version"))


def content_version() -> str:
    if _shared_cache():
        version = cache.get(VERSION_KEY)
        if version is None:
            version = time.time_ns()
            cache.add(VERSION_KEY, version, timeout=None)
        return str(version)
    try:
        return str(_stamp().stat().st_mtime_ns)
    except FileNotFoundError:
        return "0"


def bump_version() -> None:
    """Invalidate every cached public page."""
    if _shared_cache():
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
        return
    stamp = _stamp()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    try:
        previous = stamp.stat().st_mtime_ns
    except FileNotFoundError:
        stamp.touch()
        previous = 0
    now = max(time.time_ns(), previous + 1000)
    os.utime(stamp, ns=(now, now))


def content_changed() -> None:
    """Invalidate every cached public page, now and again after the commit.

    Saving or deleting content calls it through signals; bulk writes through ``core.bulk``.
    Now, so nothing cached before the change survives; after
    the commit, so a page rendered from the old rows while the transaction was open is
    not kept either.
    """
    bump_version()
    transaction.on_commit(bump_version)


def derived(name: str, compute: Callable[[], T]) -> T:
    """A small value computed from the content (the menu, the newest report year), kept until it changes.

    Keyed like the pages: by the content version and today's date (publication dates come
    into effect at midnight). Unlike pages, it is kept when the page cache is off, so every
    page is spared the queries behind it; ``DERIVED_CACHE_SECONDS = 0`` turns it off.
    """
    timeout = settings.DERIVED_CACHE_SECONDS
    if timeout <= 0:
        return compute()
    key = f"{DERIVED_PREFIX}{content_version()}:{timezone.localdate()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _on_change(*args, **kwargs) -> None:
    content_changed()


@on_content_registered
def _connect(entry: Content) -> None:
    """Any save, delete or change of links of content invalidates the cached pages."""
    content_connect(post_save, _on_change, entry, "public-cache-save")
    content_connect(post_delete, _on_change, entry, "public-cache-delete")
    for through in link_throughs(entry):
        content_connect(m2m_changed, _on_change, entry, "public-cache-links", sender=through)


@on_bulk_saved
def _changed_in_bulk(entry: Content, records) -> None:
    """Once per transaction, however many bulk writes it makes (an import writes five kinds of record)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is bump_version for _ids, func, _robust in connection.run_on_commit):
        return  # bumped already, and bumped again when the transaction commits
    content_changed()


def page_key(request, language: str) -> str:
    raw = "|".join([request.get_host(), language, str(timezone.localdate()), request.get_full_path()])
    return f"{KEY_PREFIX}{content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cacheable_request(request) -> str | None:
    """The page's language when the request may be served from / stored in the cache."""
    if _timeout() <= 0 or request.method not in CACHEABLE_METHODS:
        return None
    private_cookies = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    if any(name in request.COOKIES for name in private_cookies):  # staff, or anyone with a session or a message
        return None
    return get_language_from_path(request.path_info)  # None for the admin and other unprefixed URLs


def _cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    control = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not control & UNCACHEABLE_CONTROL


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _cacheable_request(request)
        if language is None:
            return self.get_response(request)
        key = page_key(request, language)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, _timeout())
            response["X-Cache"] = "miss"
        return response
