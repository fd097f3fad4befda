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

Only the query parameters a page understands count: each view declares them with
``query_parameters`` (in its app's ``urls.py``; none when undeclared). Before the view
runs, the request's query string is rewritten to those parameters alone, non-empty, the
last value of each, in the declared order — so ``?x=1``, ``?x=2``… or a reordering
cannot make every request a miss, and the cached page (its language links, a feed's
own URL) is the same for every request that maps to it. URLs outside the language
prefixes (the sitemaps) are cached only when their view declares its parameters.

The key holds the host, the path with that canonical query string, the language,
today's date (the "upcoming" lists change at midnight) and a content version. Saving or
deleting any content model (or changing its many-to-many links, or importing a
report) bumps the version, so every cached page is invalidated at once rather than
waiting for a timeout. The version lives in the cache when it is shared (Redis); with
the per-process local-memory cache it is a stamp file's mtime, which every worker
process sees.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
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


def pages_cached() -> bool:
    """Whether the page cache is on (``PUBLIC_CACHE_SECONDS`` above 0)."""
    return _timeout() > 0


def _files_dir() -> Path:
    return Path(getattr(settings, "PUBLIC_CACHE_FILES", settings.BASE_DIR / "var" / "public-files"))


def cached_file(name: str, chunks: Iterator[bytes]) -> BinaryIO | Iterator[bytes]:
    """A large derived file (an open-data download), produced once per content version.

    The file when it is there, opened; otherwise ``chunks`` (a lazy iterator), passed on to the
    client as they come and written to the file at the same time, so the first client
    does not wait for the whole file. Kept on disk rather than in the cache and read a
    block at a time, so memory does not grow with the data. The file appears under its
    name only when complete (a client that leaves halfway leaves nothing behind);
    folders of earlier versions are deleted a minute after a newer one appears. Callers
    use it only while ``pages_cached()``.
    """
    folder = _files_dir() / content_version()
    path = folder / name
    try:
        return path.open("rb")
    except FileNotFoundError:
        return _written_while_sent(path, chunks)


def _written_while_sent(path: Path, chunks: Iterator[bytes]) -> Iterator[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        with partial.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
                yield chunk
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    minute_ago = time.time() - 60
    for other in path.parent.parent.iterdir():
        if other != path.parent and other.is_dir() and other.stat().st_mtime < minute_ago:
            shutil.rmtree(other, ignore_errors=True)


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


def query_parameters(*names: str) -> Callable[[Callable], Callable]:
    """Declares the query parameters a public view understands; the page cache ignores every other one.

    Wraps the view (a function or ``as_view()``), for use in ``urls.py``::

        path("news/", query_parameters("page")(NewsListView.as_view()), name="news")
    """

    def declare(view: Callable) -> Callable:
        @functools.wraps(view)
        def understood(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        understood.query_parameters = tuple(names)
        return understood

    return declare


def canonical_query(query: QueryDict, names: Iterable[str]) -> str:
    """``names`` that ``query`` holds with a non-empty value — the last one, as views read it — in that order."""
    return urlencode([(name, query[name]) for name in names if query.get(name)])


def understood_parameters(request, language: str | None) -> tuple[str, ...] | None:
    """The parameters the view of ``request`` declares; None when it declares none (or nothing answers there)."""
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "query_parameters", None)


def page_key(request, language: str) -> str:
    raw = "|".join([request.get_host(), language, str(timezone.localdate()), request.get_full_path()])
    return f"{KEY_PREFIX}{content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cacheable_request(request) -> str | None:
    """The key's language when the request may be served from / stored in the cache; the query made canonical.

    Language-prefixed pages always qualify; other URLs only when their view declares its
    parameters (they are keyed by the visitor's language, which sets Content-Language).
    """
    if _timeout() <= 0 or request.method not in CACHEABLE_METHODS:
        return None
    private_cookies = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    if any(name in request.COOKIES for name in private_cookies):  # staff, or anyone with a session or a message
        return None
    language = get_language_from_path(request.path_info)  # None for the admin and other unprefixed URLs
    names = understood_parameters(request, language)
    if language is None:
        if names is None:
            return None
        language = "*" + translation.get_language_from_request(request)
    query = canonical_query(request.GET, names or ())
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return language


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
