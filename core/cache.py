"""The public page cache: anonymous GET pages, per language and query string, kept until what they show changes.

``PublicPageCacheMiddleware`` sits right after the security and static-file middleware,
so a hit is answered before sessions, the database or the templates are touched
(zero SQL). What is stored:

- only GET/HEAD of language-prefixed public URLs (``/ru/…``, ``/en/…``, ``/vi/…``),
  never the admin;
- only for visitors without a session cookie — staff are always logged in, so they
  never see a cached page, and nothing they see is ever stored;
- only 200 responses that set no cookie (a page with a CSRF token sets one), are not
  streamed and are not marked private/no-store.

Every public response says whether the cache served it: ``X-Cache: HIT`` or
``X-Cache: MISS`` (staff, forms and errors included), so that a benchmark or an operator
behind a proxy can count hits.

Only the query parameters a page understands count: each view declares them with
``query_parameters`` (in its app's ``urls.py``; none when undeclared). Before the view
runs, the request's query string is rewritten to those parameters alone, non-empty, the
last value of each, in the declared order — so ``?x=1``, ``?x=2``… or a reordering
cannot make every request a miss, and the cached page (its language links, a feed's
own URL) is the same for every request that maps to it. URLs outside the language
prefixes (the sitemaps) are cached only when their view declares its parameters.

The key holds the host, the path with that canonical query string, the language and
today's date (the "upcoming" lists change at midnight). Each stored page records what it
was built from, as tags (``core.cache_tags``): the records it shows, the lists it belongs
to, the derived values it used. Saving, deleting, re-linking or importing content bumps
the tags of what changed, so an edit invalidates only the pages that depend on it — an
event's page, the lists and feeds, its partners', societies' and countries' pages, the
home page — rather than the whole site. Derived values (the menu, the home figures)
follow the same rule, and a page that used one is stale only when the value comes out
different.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import os
import pickle
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_path

from core.cache_tags import (
    TAG_SECONDS,
    Built,
    Reads,
    built_tags,
    clock,
    fresh,
    note_derived,
    reading,
    seeded_versions,
    storable,
)
from core.replicas import read_position

KEY_PREFIX = "public-pages:page:"
DERIVED_PREFIX = "public-pages:derived:"
T = TypeVar("T")
CACHEABLE_METHODS = {"GET", "HEAD"}
UNCACHEABLE_CONTROL = {"private", "no-cache", "no-store"}
HIT, MISS = "HIT", "MISS"


def _timeout() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 600))


def derived_key(name: str, *, part: str = "value", day: datetime.date | None = None) -> str:
    """A derived value's key (of today, or ``day``); ``part="about"``: what it was built from, without the value
    (for checks)."""
    return f"{DERIVED_PREFIX}{part}:{day or timezone.localdate()}:{name}"


def _abouts() -> Callable[[str], str]:
    """Where each derived value's record of today is: today read once for a whole check (a dozen keys)."""
    return functools.partial(derived_key, part="about", day=timezone.localdate())


# The cheap derived values (``derived(..., cheap=True)``) this process has computed, by name.
_cheap: dict[str, Callable[[], object]] = {}


def derived(name: str, compute: Callable[[], T], *, subject: models.Model | None = None, cheap: bool = False) -> T:
    """A small value computed from the content (the menu, the newest report year), kept until it changes.

    Keyed by today's date too (publication dates come into effect at midnight). It records
    what it read, like a page, and is computed again once that changes; the pages that
    used it are stale only when it then comes out different (its fingerprint).
    Unlike pages, it is kept when the page cache is off, so every page is spared the
    queries behind it; ``DERIVED_CACHE_SECONDS = 0`` turns it off.

    ``subject``: the record the value is about, whose neighbours it reads (a partner's other partners
    of its country, an event's other events of its partners): its tags are then a detail page's
    (``core.cache_tags``), ``C+partners.partner`` rather than any partner's change.

    ``cheap``: a value of a query or two that depends on nothing but the content and its name (the
    newest report year). A page that used it and finds it outdated computes it again on the spot and
    is still served from the cache if it came out the same. Otherwise every such page requested
    between a change and the next page that computes the value would be rendered again: after
    any event's edit, every partner page at once under load.
    """
    timeout = settings.DERIVED_CACHE_SECONDS
    if timeout <= 0:
        return compute()
    if cheap:
        _cheap[name] = compute
    entry = cache.get(derived_key(name))
    if not isinstance(entry, Built) or not fresh(entry, _abouts(), _recomputed):
        entry, _stored = _computed(name, compute, subject)
    note_derived(name, entry.fingerprint, entry.tags | entry.hints)
    return entry.value


def _computed(name: str, compute: Callable[[], T], subject: models.Model | None = None) -> tuple[Built, bool]:
    """The value computed now, and whether it was kept (not when read from a replica behind a change)."""
    since = clock()
    with reading() as reads:
        value = compute()
    fingerprint = hashlib.sha256(pickle.dumps(value)).hexdigest()
    entry = Built(since, built_tags(reads, subject), reads.derived, value, fingerprint, frozenset(reads.derived_tags))
    if not storable(entry, read_position()):
        return entry, False
    # Pages check a value's freshness without fetching it (the search vocabulary is large).
    about = _abouts()
    cache.set_many(
        {derived_key(name): entry, about(name): dataclasses.replace(entry, value=None)},
        timeout=settings.DERIVED_CACHE_SECONDS,
    )
    return entry, True


def _recomputed(name: str) -> Built | None:
    """The cheap derived value ``name`` computed again now, for a check that found it outdated; None for others,
    and when it could not be kept: read from a replica that has not replayed the change, it proves nothing."""
    compute = _cheap.get(name)
    if compute is None:
        return None
    entry, stored = _computed(name, compute)
    return entry if stored else None


def pages_cached() -> bool:
    """Whether the page cache is on (``PUBLIC_CACHE_SECONDS`` above 0)."""
    return _timeout() > 0


def _files_dir() -> Path:
    return Path(getattr(settings, "PUBLIC_CACHE_FILES", settings.BASE_DIR / "var" / "public-files"))


FILES_PREFIX = "public-pages:files:"


def cached_file(name: str, chunks: Iterator[bytes], *, group: str) -> BinaryIO | Iterator[bytes]:
    """A large derived file (an open-data download), produced once until the lists it is made from change.

    ``group``: the files made alike from the same tables (a dataset's, in every language and
    selection). The lists a group's files read (``events.event``, ``partners.partner``…) are
    recorded as they are made, and its files are kept in a folder named after those lists'
    versions: an event's edit leaves the partners' files as they are.

    The file when it is there, opened; otherwise ``chunks`` (a lazy iterator), passed on to the
    client as they come and written to the file at the same time, so the first client
    does not wait for the whole file. Kept on disk rather than in the cache and read a
    block at a time, so memory does not grow with the data. The file appears under its
    name only when complete, and only if nothing it read changed meanwhile (a client that
    leaves halfway leaves nothing behind); the group's folders of earlier versions are
    deleted a minute after a newer one appears. Callers use it only while ``pages_cached()``.
    """
    lists = cache.get(FILES_PREFIX + group)
    if lists:
        try:
            return (_files_dir() / _files_folder(group, seeded_versions(lists, clock())) / name).open("rb")
        except FileNotFoundError:
            pass
    return _written_while_sent(name, chunks, group=group)


def _files_folder(group: str, versions: dict[str, int | None]) -> str:
    return f"{group}-" + hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:16]


def _written_while_sent(name: str, chunks: Iterator[bytes], *, group: str) -> Iterator[bytes]:
    files, since, reads = _files_dir(), clock(), Reads()
    files.mkdir(parents=True, exist_ok=True)
    partial = files / f".{group}-{name}.{os.getpid()}.{threading.get_ident()}"
    try:
        with partial.open("wb") as file:
            chunks = iter(chunks)
            while True:
                with reading(reads):  # each chunk's queries, as it is made
                    chunk = next(chunks, None)
                if chunk is None:
                    break
                file.write(chunk)
                yield chunk
        lists = frozenset(reads.models) | (cache.get(FILES_PREFIX + group) or frozenset())
        versions = seeded_versions(lists, since)
        if not all(value is not None and value <= since for value in versions.values()):
            return  # a list it read changed while it was made
        folder = files / _files_folder(group, versions)
        folder.mkdir(exist_ok=True)
        partial.replace(folder / name)
        cache.set(FILES_PREFIX + group, lists, TAG_SECONDS)
    finally:
        partial.unlink(missing_ok=True)
    minute_ago = time.time() - 60
    for other in files.glob(f"{group}-*"):
        if other != folder and other.is_dir() and other.stat().st_mtime < minute_ago:
            shutil.rmtree(other, ignore_errors=True)


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
    return _declared_parameters(get_urlconf(), language or settings.LANGUAGE_CODE, request.path_info)


@functools.lru_cache(maxsize=4096)
def _declared_parameters(urlconf: str | None, language: str, path: str) -> tuple[str, ...] | None:
    """Resolving a path took a third of a page-cache hit; the answer depends on the path and language only."""
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "query_parameters", None)


def page_key(request, language: str) -> str:
    raw = "|".join([request.get_host(), language, str(timezone.localdate()), request.get_full_path()])
    return f"{KEY_PREFIX}{hashlib.sha256(raw.encode()).hexdigest()}"


def _public_language(request) -> str | None:
    """The language a public page is cached under; None for what is not a public page (the admin, health checks).

    Language-prefixed pages are public; other URLs only when their view declares its
    parameters (they are keyed by the visitor's language, which sets Content-Language).
    """
    language = get_language_from_path(request.path_info)  # None for the admin and other unprefixed URLs
    names = understood_parameters(request, language)
    if language is None:
        if names is None:
            return None
        language = "*" + translation.get_language_from_request(request)
    request.understood_parameters = names or ()
    return language


def _cacheable_request(request) -> bool:
    """Whether the request may be served from / stored in the cache; its query is then made canonical."""
    if _timeout() <= 0 or request.method not in CACHEABLE_METHODS:
        return False
    private_cookies = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    if any(name in request.COOKIES for name in private_cookies):  # staff, or anyone with a session or a message
        return False
    query = canonical_query(request.GET, request.understood_parameters)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return True


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
        language = _public_language(request)
        if language is None:
            return self.get_response(request)
        if not _cacheable_request(request):
            response = self.get_response(request)
            response["X-Cache"] = MISS
            return response
        key = page_key(request, language)
        cached = cache.get(key)
        if isinstance(cached, Built) and fresh(cached, _abouts(), _recomputed):
            response = cached.value
            response["X-Cache"] = HIT
            return response
        since = clock()
        with reading() as reads:
            response = self.get_response(request)
        if _cacheable_response(request, response):
            context = getattr(response, "context_data", None) or {}
            tags = built_tags(reads, context.get("object") or reads.subject)
            page = Built(since, tags, reads.derived, response, hints=frozenset(reads.derived_tags))
            if storable(page, read_position()):
                cache.set(key, page, _timeout())
        response["X-Cache"] = MISS
        return response
