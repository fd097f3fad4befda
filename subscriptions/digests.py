"""What each due subscriber's digest reports: new events of their selection, and events that changed.

Each distinct selection is evaluated once per run, however many subscribers share it
(once per language when it searches text, since the search reads each language's
text). Its candidates are the events that could have appeared or changed since the
earliest subscriber's last digest: saved since then, or public since their publication
date came. The events' history (django-simple-history records every save, bulk writes
included) then says, for each subscriber's own start, what the event was then:

- **new**: public now, and not public then (a draft, not yet due, or not yet entered);
- **cancelled** / **postponed**: public then and now, with that status now and another then;
- **moved**: public then and now, with other dates then (the previous dates are reported).

An event whose state at the start is unknown (entered before its history was kept) is
taken to have been as it is now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import parse_qsl

from django.db.models import Q
from django.utils import timezone, translation

from core.partial_dates import PartialDate, PartialPeriod
from events.models import Event
from events.selection import stored_selection
from subscriptions.models import Subscription
from subscriptions.selections import selection_errors

STATE = ("is_published", "published_on", "status", *Event.PERIOD_COLUMNS)
REPORTED_STATUSES = (Event.Status.CANCELLED, Event.Status.POSTPONED)
ID_CHUNK = 5000


@dataclass(frozen=True)
class State:
    is_published: bool
    published_on: date
    status: str
    start_on: date
    start_precision: int
    end_on: date | None
    end_precision: int | None

    def public_on(self, day: date) -> bool:
        return self.is_published and self.published_on <= day

    @property
    def dates(self) -> tuple:
        return (self.start_on, self.start_precision, self.end_on, self.end_precision)

    def period(self) -> str:
        start = PartialDate.from_db(self.start_on, self.start_precision)
        end = PartialDate.from_db(self.end_on, self.end_precision)
        return PartialPeriod(start, end).isoformat()


@dataclass
class History:
    """An event's recorded states, oldest first: (recorded at, created then, state)."""

    records: list[tuple[datetime, bool, State]] = field(default_factory=list)

    def state_at(self, moment: datetime, now: State) -> State | None:
        """The event at ``moment``: ``None`` if it did not exist yet; as now if nothing says otherwise."""
        before = [state for recorded, _created, state in self.records if recorded <= moment]
        if before:
            return before[-1]
        after = [created for recorded, created, _state in self.records if recorded > moment]
        if after and after[0]:
            return None  # created after the moment
        return now


@dataclass
class Digest:
    """What one subscriber's digest reports (event ids in date order)."""

    new: list[int] = field(default_factory=list)
    changed: list[list] = field(default_factory=list)  # [event id, change, previous period or None]

    def __bool__(self) -> bool:
        return bool(self.new or self.changed)

    def as_json(self) -> dict:
        return {"new": self.new, "changed": self.changed}


@dataclass
class Plan:
    digests: dict[int, Digest]  # by subscription id: only those with something to send
    quiet: list[int]  # subscriptions with nothing new
    broken: list[int]  # subscriptions whose selection names what no longer exists (nothing sent)
    selections: int  # selections evaluated


def selection_key(subscription: Subscription) -> tuple[str, str]:
    """Subscribers sharing this key share one evaluation: the language matters only to a text search."""
    searches = any(key == "q" for key, _value in parse_qsl(subscription.selection))
    return subscription.selection, subscription.language if searches else ""


def digests_for(subscriptions: list[Subscription], *, now: datetime) -> Plan:
    today = timezone.localdate(now)
    groups: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        groups[selection_key(subscription)].append(subscription)

    candidates: dict[tuple[str, str], list[tuple[int, State]]] = {}
    broken: list[int] = []
    for key, members in groups.items():
        earliest = min(member.since for member in members)
        events = _candidates(key, earliest=earliest, today=today)
        if events is None:
            broken += [member.pk for member in members]
        else:
            candidates[key] = events

    ids = {pk for events in candidates.values() for pk, _state in events}
    earliest = min((member.since for key in candidates for member in groups[key]), default=now)
    histories = _histories(ids, since=earliest)

    digests, quiet = {}, []
    for key, events in candidates.items():
        for member in groups[key]:
            digest = _digest(events, histories, since=member.since)
            if digest:
                digests[member.pk] = digest
            else:
                quiet.append(member.pk)
    return Plan(digests=digests, quiet=quiet, broken=broken, selections=len(groups))


def _candidates(key: tuple[str, str], *, earliest: datetime, today: date) -> list[tuple[int, State]] | None:
    """The selection's public events that may have appeared or changed since ``earliest``, in date order.

    ``None`` when a filter's value is no longer understood (a society that was unpublished, say):
    the selection would silently widen to every event otherwise.
    """
    text, language = key
    with translation.override(language or None):
        selection = stored_selection(text, today=today)
        if selection_errors(selection):
            return None
        recent = Q(updated_at__gt=earliest) | Q(published_on__gt=timezone.localdate(earliest))
        rows = selection.qs.filter(recent).order_by("start_on", "pk").values_list("pk", *STATE)
        return [(pk, State(*values)) for pk, *values in rows]


def _histories(ids: Iterable[int], *, since: datetime) -> dict[int, History]:
    """Each event's last recorded state at ``since`` and every state recorded after it."""
    Historical = Event.history.model
    histories: dict[int, History] = defaultdict(History)
    ids = sorted(ids)
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        columns = ("id", "history_date", "history_type", *STATE)
        before = (
            Historical.objects.filter(id__in=chunk, history_date__lte=since)
            .order_by("id", "-history_date", "-history_id")
            .distinct("id")
            .values_list(*columns)
        )
        after = (
            Historical.objects.filter(id__in=chunk, history_date__gt=since)
            .order_by("id", "history_date", "history_id")
            .values_list(*columns)
        )
        for rows in (before, after):
            for pk, recorded, kind, *values in rows:
                histories[pk].records.append((recorded, kind == "+", State(*values)))
    return histories


def _digest(events: list[tuple[int, State]], histories: dict[int, History], *, since: datetime) -> Digest:
    digest = Digest()
    then_day = timezone.localdate(since)
    for pk, now in events:
        then = histories[pk].state_at(since, now) if pk in histories else now
        if then is None or not then.public_on(then_day):
            digest.new.append(pk)
        elif now.status != then.status and now.status in REPORTED_STATUSES:
            digest.changed.append([pk, now.status, None])
        elif now.dates != then.dates:
            digest.changed.append([pk, "moved", then.period()])
    return digest
