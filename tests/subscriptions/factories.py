from datetime import datetime, timedelta

from django.utils import timezone

from subscriptions.models import Subscription


def make_subscription(*, email=None, selection="", language="en", frequency="weekly", confirmed=True, **fields):
    now = timezone.now()
    subscription = Subscription.objects.create(
        email=email or f"member-{Subscription.objects.count() + 1}@example.org",
        selection=selection,
        language=language,
        frequency=frequency,
        requested_at=fields.pop("requested_at", now - timedelta(minutes=5)),
        confirmed_at=fields.pop("confirmed_at", now if confirmed else None),
        **fields,
    )
    return subscription


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)
