"""Reads from PostgreSQL streaming replicas: anonymous page views there, everything else on the primary.

``DATABASE_REPLICA_URLS`` (comma-separated) adds read-only database aliases ``replica1``,
``replica2``… (``association/settings.py``). ``ReplicaMiddleware`` decides per request and
``ReplicaRouter`` follows:

- the reads of an anonymous GET or HEAD outside the admin go to one replica (taken in
  turn, one per request);
- everything else reads the primary: staff (any session cookie), the admin, forms and
  other POSTs, imports and commands (no request at all), and a request once it has
  written (its later reads see its own write);
- a client that wrote gets a cookie (``PIN_COOKIE``) that keeps its requests on the primary
  for ``REPLICA_PIN_SECONDS``, so that it sees its own edit at once whatever the lag;
- a replica that cannot be reached, or that replays more than ``REPLICA_MAX_LAG_SECONDS``
  behind (``pg_last_xact_replay_timestamp``, checked at most every
  ``REPLICA_CHECK_SECONDS`` per process), is left out; with none left, reads fall back to
  the primary.

The page cache must not keep a page that a replica rendered from rows older than a change
it was already told of: a request records the replica's replay position when it picks it
(``read_position``), each bump after a commit records the primary's WAL position
(``primary_position``), and ``core.cache_tags.storable`` keeps a page or value only when
the replica had replayed every change its tags name.

Why not a library: django-multidb-router (maintained; 0.11, 2025) pins a client to the
primary by cookie after a POST, but it has no notion of a replica that is down or behind —
it keeps sending reads there — it pins by HTTP method rather than by the writes a request
makes, and it reads from replicas for staff and the admin too. Those rules are the whole
of this module.
"""

from __future__ import annotations

import itertools
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

PIN_COOKIE = "primary-pin"
SAFE_METHODS = {"GET", "HEAD"}
#: Read on the primary only, whoever asks: sessions, accounts, sign-in attempts, the admin's log.
PRIMARY_APPS = {"sessions", "auth", "axes", "admin"}

LAG = """
SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""
REPLAYED = """
SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END) - '0/0'::pg_lsn
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


@dataclass
class _Request:
    replica_allowed: bool
    replica: str | None = None
    #: The chosen replica's replay position (WAL bytes) when it was chosen.
    position: int | None = None
    wrote: bool = False


_request: ContextVar[_Request | None] = ContextVar("database-request", default=None)


@dataclass
class _Health:
    checked: float = float("-inf")  # time.monotonic() of the last check
    healthy: bool = False


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()
_turn = itertools.count()


def _scalar(alias: str, sql: str):
    """One value from ``alias``; None when it cannot be reached or refuses."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    except DatabaseError:
        connection.close()  # the next try connects afresh
        return None


def replica_usable(alias: str) -> bool:
    """Reachable and no more than ``REPLICA_MAX_LAG_SECONDS`` behind, as last checked (at most every few seconds)."""
    with _health_lock:
        health = _health.setdefault(alias, _Health())
        due = time.monotonic() - health.checked >= settings.REPLICA_CHECK_SECONDS
        if due:
            health.checked = time.monotonic()
    if due:
        lag = _scalar(alias, LAG)
        health.healthy = lag is not None and float(lag) <= settings.REPLICA_MAX_LAG_SECONDS
    return health.healthy


def _choose(state: _Request) -> str | None:
    """A usable replica for this request, answering now; None (the primary from now on) when there is none."""
    aliases = replica_aliases()
    start = next(_turn)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if replica_usable(alias):
            position = _scalar(alias, REPLAYED)
            if position is not None:
                state.replica, state.position = alias, int(position)
                return alias
            _health.setdefault(alias, _Health()).healthy = False
    state.replica_allowed = False
    return None


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        state = _request.get()
        if state is None or not state.replica_allowed or state.wrote or model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return state.replica or _choose(state) or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        state = _request.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # a replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas get the schema by replication


def _may_read_a_replica(request: HttpRequest) -> bool:
    return (
        request.method in SAFE_METHODS
        and PIN_COOKIE not in request.COOKIES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(reverse("admin:index"))
    )


class ReplicaMiddleware:
    """Decides where the request reads (see the module); pins a client that wrote to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        state = _Request(replica_allowed=_may_read_a_replica(request))
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def read_position() -> int | None:
    """The replay position of the replica this request reads from; None on the primary or outside a request."""
    state = _request.get()
    return state.position if state is not None and state.replica else None


def primary_position() -> int | None:
    """The primary's WAL position now (after a commit: at least its commit's), when replicas are configured."""
    if not replica_aliases():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0])
