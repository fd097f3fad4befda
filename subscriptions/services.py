"""Everything that changes subscriptions or sends their mail.

Requests are limited per address and per client before anything is written; the answer
to a request is the same whether the address is new, waiting for confirmation or
already subscribed (the owner of an address that is already subscribed gets a mail
saying so, with the link to manage it).

``digest_send`` is the run of ``manage.py send_digests``: it plans every due digest,
then sends them in batches over one SMTP connection per batch, recording each message's
outcome as soon as the batch ends. Sending cannot happen inside one transaction, so each
step is a transaction of its own; a run that dies leaves no digest to be sent twice.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone, translation

from events.models import Event
from events.selection import stored_selection
from subscriptions import mail
from subscriptions.digests import digests_for
from subscriptions.models import MAX_FAILURES, Delivery, Subscription
from subscriptions.selections import selection_terms
from subscriptions.tokens import CONFIRM, InvalidLink, token_read

log = logging.getLogger("subscriptions")
BATCH_SIZE = 100
ERROR_LENGTH = 500
#: Held by the one run of send_digests at a time (a PostgreSQL advisory lock, freed if the run dies).
RUN_LOCK = 0x5D16E575


class RateLimited(Exception):
    """Too many requests for one address or from one client in the last hour."""


class MailUnavailable(Exception):
    """The mail server could not be reached or refused the message: nothing was kept."""


class AlreadyExists(Exception):
    """The address already receives the selection it asked to change to."""


# Subscribing ---------------------------------------------------------------------------


def _over_limit(kind: str, value: str, limit: int) -> bool:
    """Counts one more request for ``value`` in the current hour; whether it exceeds ``limit``."""
    key = f"subscriptions:rate:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    cache.add(key, 0, timeout=settings.SUBSCRIBE_RATE_WINDOW)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SUBSCRIBE_RATE_WINDOW)
        return False


def subscription_throttle(*, email: str | None = None, client: str | None = None) -> None:
    """Raise ``RateLimited`` if the address or the client has asked too often (each call counts)."""
    limited = False
    if client:
        limited |= _over_limit("client", client, settings.SUBSCRIBE_RATE_PER_CLIENT)
    if email:
        limited |= _over_limit("address", email.lower(), settings.SUBSCRIBE_RATE_PER_ADDRESS)
    if limited:
        raise RateLimited


def _send_now(message) -> None:
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("subscription mail not sent: %s", type(error).__name__)
        raise MailUnavailable from error


@transaction.atomic
def subscription_request(
    *, email: str, selection: str, frequency: str, language: str, client: str, now: datetime | None = None
) -> None:
    """Ask ``email`` to confirm a subscription to ``selection`` (the kept text of a valid selection)."""
    now = now or timezone.now()
    subscription_throttle(email=email, client=client)
    existing = Subscription.objects.select_for_update().for_address(email).filter(selection=selection).first()
    if existing and existing.is_confirmed and existing.deactivated_at is None:
        _send_now(mail.already_message(existing))
        return
    subscription = existing or Subscription(email=email, selection=selection)
    subscription.frequency, subscription.language, subscription.requested_at = frequency, language, now
    subscription.confirmed_at = subscription.deactivated_at = subscription.covered_until = None
    subscription.failures = 0
    subscription.save()
    _send_now(mail.confirmation_message(subscription))


def subscription_for_link(*, token: str, purpose: str) -> Subscription:
    """The subscription a link is about; ``InvalidLink`` if the link is bad or the subscription gone."""
    pk = token_read(token, purpose)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise InvalidLink(InvalidLink.GONE)
    expired = Subscription.objects.expired(timezone.now())
    if purpose == CONFIRM and not subscription.is_confirmed and expired.filter(pk=pk).exists():
        raise InvalidLink(InvalidLink.EXPIRED)
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str, now: datetime | None = None) -> Subscription:
    """Confirm the request a link signs; confirming twice changes nothing."""
    now = now or timezone.now()
    subscription = subscription_for_link(token=token, purpose=CONFIRM)
    if not subscription.is_confirmed:
        subscription.confirmed_at = now
        subscription.covered_until = None  # due at the next run, with what was published from now on
        subscription.save(update_fields=["confirmed_at", "covered_until"])
    return subscription


@transaction.atomic
def subscription_change(*, subscription: Subscription, frequency: str, selection: str) -> Subscription:
    """A new frequency or selection; the next digest reports from the last one on, as before."""
    subscription.frequency, subscription.selection = frequency, selection
    try:
        with transaction.atomic():
            subscription.save(update_fields=["frequency", "selection"])
    except IntegrityError as error:
        raise AlreadyExists from error
    return subscription


@transaction.atomic
def subscription_delete(*, subscription_id: int) -> bool:
    """Forget the subscription, its address and its digests; whether there was one."""
    deleted, _by_model = Subscription.objects.filter(pk=subscription_id).delete()
    return bool(deleted)


@transaction.atomic
def subscription_expire(*, now: datetime) -> int:
    """Delete the requests nobody confirmed in time: their addresses are not kept."""
    _deleted, by_model = Subscription.objects.expired(now).delete()
    return by_model.get(Subscription._meta.label, 0)


# Digests -------------------------------------------------------------------------------


@dataclass
class RunReport:
    planned: int = 0
    quiet: int = 0
    broken: int = 0
    selections: int = 0
    sent: int = 0
    refused: int = 0  # permanently, by the recipient's server
    failed: int = 0  # for the time being (server unreachable, temporary refusal)
    deactivated: int = 0
    interrupted: int = 0  # left by an earlier run that died while sending: not sent again
    expired: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return self.refused + self.failed


@transaction.atomic
def digest_plan(*, now: datetime) -> RunReport:
    """Write every digest due at ``now`` as pending; mark those with nothing new as examined."""
    due = list(
        Subscription.objects.confirmed()
        .due(now)
        .without_digest_in_progress()
        .only("pk", "selection", "language", "confirmed_at", "covered_until")
    )
    plan = digests_for(due, now=now)
    by_pk = {subscription.pk: subscription for subscription in due}
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription_id=pk,
                since=by_pk[pk].since,
                until=now,
                events=digest.as_json(),
                new_count=len(digest.new),
                changed_count=len(digest.changed),
                created_at=now,
            )
            for pk, digest in plan.digests.items()
        ],
        batch_size=1000,
    )
    # Nothing new, or a selection that names what no longer exists: the period is examined all the same.
    Subscription.objects.filter(pk__in=[*plan.quiet, *plan.broken]).update(covered_until=now)
    return RunReport(
        planned=len(plan.digests), quiet=len(plan.quiet), broken=len(plan.broken), selections=plan.selections
    )


@transaction.atomic
def digest_recover() -> int:
    """Digests a dead run left being sent may have gone out: never send them again, count their period as covered."""
    left = Delivery.objects.filter(status=Delivery.Status.SENDING)
    ids = list(left.values_list("pk", flat=True))
    if ids:
        _cover(Delivery.objects.filter(pk__in=ids), sent_at=None)
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.INTERRUPTED)
    return len(ids)


@transaction.atomic
def digest_batch_claim(*, size: int) -> list[int]:
    """Up to ``size`` pending digests, now marked as being sent by this run."""
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).order_by("pk")
    ids = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size])
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENDING)
    return ids


def _cover(deliveries, *, sent_at: datetime | None) -> None:
    """Their subscriptions' next digest starts where these end."""
    until = Delivery.objects.filter(pk__in=deliveries.values("pk"), subscription=OuterRef("pk")).values("until")[:1]
    changes = {"covered_until": Subquery(until)}
    if sent_at is not None:
        changes.update(last_sent_at=sent_at, failures=0)
    Subscription.objects.filter(deliveries__in=deliveries).update(**changes)


@transaction.atomic
def digest_batch_record(
    *, sent: Iterable[int], refused: dict[int, str], failed: dict[int, str], unsent: Iterable[int], now: datetime
) -> int:
    """Record a batch's outcome; the number of addresses deactivated after ``MAX_FAILURES`` refusals."""
    sent, unsent = list(sent), list(unsent)
    if sent:
        Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.SENT, sent_at=now)
        _cover(Delivery.objects.filter(pk__in=sent), sent_at=now)
    errors = {**refused, **failed}
    if errors:
        rows = list(Delivery.objects.filter(pk__in=errors).only("pk"))
        for row in rows:
            row.status, row.error = Delivery.Status.FAILED, errors[row.pk][:ERROR_LENGTH]
        Delivery.objects.bulk_update(rows, ["status", "error"])
    deactivated = 0
    if refused:
        subscriptions = Subscription.objects.filter(deliveries__in=list(refused))
        subscriptions.update(failures=F("failures") + 1)
        deactivated = (
            Subscription.objects.filter(pk__in=subscriptions.values("pk"), failures__gte=MAX_FAILURES)
            .filter(deactivated_at__isnull=True)
            .update(deactivated_at=now)
        )
    if unsent:
        Delivery.objects.filter(pk__in=unsent).update(status=Delivery.Status.PENDING)
    return deactivated


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {message.decode(errors='replace')}" for code, message in error.recipients.values())
    code, message = getattr(error, "smtp_code", None), getattr(error, "smtp_error", b"")
    if code:
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{code} {text}"
    return f"{type(error).__name__}: {error}"


class _Terms(dict):
    """How each selection reads in each language: its values are looked up once per run, whatever the language."""

    def of(self, subscription: Subscription):
        key = (subscription.selection, subscription.language)
        if key not in self:
            if subscription.selection not in self:
                self[subscription.selection] = stored_selection(subscription.selection)
            with translation.override(subscription.language):
                self[key] = selection_terms(self[subscription.selection])
        return self[key]


def digest_batch_send(*, ids: list[int], now: datetime, report: RunReport, terms: _Terms) -> None:
    """Send the claimed digests ``ids`` over one SMTP connection and record each outcome.

    Whatever stops the batch (the server gone, an interrupt), what was sent is recorded as sent
    and what was not attempted goes back to pending before the exception goes on.
    """
    deliveries = list(Delivery.objects.filter(pk__in=ids).select_related("subscription").order_by("pk"))
    wanted = {pk for delivery in deliveries for pk in _event_ids(delivery)}
    events = Event.objects.in_bulk(wanted) if wanted else {}
    sent: list[int] = []
    refused: dict[int, str] = {}
    failed: dict[int, str] = {}
    attempted: set[int] = set()
    try:
        with get_connection(fail_silently=False) as smtp:
            for delivery in deliveries:
                attempted.add(delivery.pk)
                message = mail.digest_message(delivery, events, terms.of(delivery.subscription))
                try:
                    smtp.send_messages([message])
                except smtplib.SMTPServerDisconnected:
                    attempted.discard(delivery.pk)  # not accepted: it goes back to pending
                    raise
                except (smtplib.SMTPException, OSError) as error:
                    (refused if _is_permanent(error) else failed)[delivery.pk] = _describe(error)
                else:
                    sent.append(delivery.pk)
    finally:
        unsent = [delivery.pk for delivery in deliveries if delivery.pk not in attempted]
        unsent += [pk for pk in ids if pk not in {delivery.pk for delivery in deliveries}]  # deleted meanwhile
        report.deactivated += digest_batch_record(sent=sent, refused=refused, failed=failed, unsent=unsent, now=now)
        report.sent += len(sent)
        report.refused += len(refused)
        report.failed += len(failed)


def _event_ids(delivery: Delivery) -> list[int]:
    return [*delivery.events.get("new", []), *(row[0] for row in delivery.events.get("changed", []))]


def digest_send(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> RunReport:
    """Send every digest due at ``now``: the work of ``manage.py send_digests``.

    Not one transaction: planning, each batch's claim and each batch's outcome commit on their
    own, so a run stopped half-way leaves what it sent recorded as sent. A second run at once
    finds nothing due.
    """
    now = now or timezone.now()
    with _run_lock():
        report = RunReport(interrupted=digest_recover(), expired=subscription_expire(now=now))
        planned = digest_plan(now=now)
        report.planned, report.quiet, report.broken = planned.planned, planned.quiet, planned.broken
        report.selections = planned.selections
        terms = _Terms()
        with translation.override(settings.LANGUAGE_CODE):
            while ids := digest_batch_claim(size=batch_size):
                try:
                    digest_batch_send(ids=ids, now=now, report=report, terms=terms)
                except (smtplib.SMTPException, OSError) as error:
                    report.errors.append(_describe(error))
                    break  # the server is gone: the rest stays pending for the next run
    return report


class RunInProgress(Exception):
    """Another run of send_digests holds the lock."""


class _run_lock:
    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK])
            (locked,) = cursor.fetchone()
        if not locked:
            raise RunInProgress
        return self

    def __exit__(self, *exc) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])
