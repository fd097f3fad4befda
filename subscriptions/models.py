"""E-mail subscriptions to a selection of events, and the digests sent for them.

A subscription keeps its selection as the canonical query string of the events list
(``subscriptions.selections``): the list, the calendar, the Atom feed and the digest
read the same filters. ``covered_until`` is the end of the last period a digest run
examined for it, sent or not (nothing is sent when nothing is new); the next digest
reports what changed after it.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Unconfirmed requests and their confirmation links expire after this long.
CONFIRMATION_DAYS = 7
#: Permanent refusals in a row after which an address is no longer written to.
MAX_FAILURES = 3


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the last day of that month when it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> Self:
        """Confirmed by their owner and still written to (not deactivated after refusals)."""
        return self.filter(confirmed_at__isnull=False, deactivated_at__isnull=True)

    def unconfirmed(self) -> Self:
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now: datetime) -> Self:
        """Requests that were never confirmed within ``CONFIRMATION_DAYS``."""
        return self.unconfirmed().filter(requested_at__lt=now - timedelta(days=CONFIRMATION_DAYS))

    def due(self, now: datetime) -> Self:
        """Whose period has come by ``now``'s day; one that never had a digest run is due at once.

        Periods count in days of the site's time zone, so a daily run at a fixed hour finds a weekly
        subscriber due on the same weekday every week, whatever minute the previous run reached it.
        """
        today = timezone.localdate(now)
        weekly = start_of_day(today - timedelta(days=6))
        monthly = start_of_day(months_before(today, 1) + timedelta(days=1))
        return self.filter(
            Q(covered_until__isnull=True)
            | Q(frequency=Subscription.Frequency.WEEKLY, covered_until__lt=weekly)
            | Q(frequency=Subscription.Frequency.MONTHLY, covered_until__lt=monthly)
        )

    def without_digest_in_progress(self) -> Self:
        return self.exclude(Exists(Delivery.objects.in_progress().filter(subscription=OuterRef("pk"))))

    def for_address(self, email: str) -> Self:
        return self.filter(email__iexact=email)


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    email = models.EmailField(_("e-mail address"))
    selection = models.CharField(
        _("selection"),
        max_length=2000,
        blank=True,
        help_text=_("The filters of the events list, as its query string; empty for all events."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    covered_until = models.DateTimeField(
        _("digests cover until"),
        null=True,
        blank=True,
        help_text=_("The end of the last period a digest run examined; empty until the first run."),
    )
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(
        _("refusals in a row"), default=0, help_text=_("Permanent refusals of the address by its mail server.")
    )
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        permissions = [("view_address", _("Can see subscribers' e-mail addresses"))]
        constraints = [
            models.UniqueConstraint(Lower("email"), "selection", name="subscription_one_per_address_and_selection"),
        ]
        indexes = [models.Index(fields=["confirmed_at", "covered_until"], name="subscription_due")]

    def __str__(self) -> str:
        return f"{self.pk}: {self.get_frequency_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def since(self) -> datetime | None:
        """The start of the period the next digest reports on."""
        return self.covered_until or self.confirmed_at


class DeliveryQuerySet(models.QuerySet):
    def in_progress(self) -> Self:
        return self.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])


class Delivery(models.Model):
    """One digest for one subscriber: what it reports, and whether and when it was sent.

    A run writes every digest it will send as ``pending`` first, then claims a batch
    (``sending``), sends it over one SMTP connection and marks each message ``sent`` or
    ``failed``. A digest left ``sending`` by a run that died may have gone out; the next
    run marks it ``interrupted`` and does not send it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted (may have been sent)")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    since = models.DateTimeField(_("changes after"))
    until = models.DateTimeField(_("changes until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    #: {"new": [event ids], "changed": [[event id, "cancelled" | "postponed" | "moved", previous period or None]]}
    events = models.JSONField(_("events"), default=dict)
    new_count = models.PositiveIntegerField(_("new events"), default=0)
    changed_count = models.PositiveIntegerField(_("changed events"), default=0)
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        indexes = [
            models.Index(
                fields=["status"], name="delivery_in_progress", condition=Q(status__in=["pending", "sending"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.get_status_display()}"
