"""Signed links of the e-mails: confirming a request, managing a subscription and leaving it.

A token signs the subscription's id with the purpose as salt, so a confirmation link
cannot be used to manage, and a changed id or signature is refused. Confirmation links
expire with the request (``CONFIRMATION_DAYS``); managing and leaving links do not, so
that the oldest digest in an inbox still lets its reader leave.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext as _

from subscriptions.models import CONFIRMATION_DAYS, Subscription

CONFIRM = "confirm"
MANAGE = "manage"
PURPOSES = (CONFIRM, MANAGE)


class InvalidLink(Exception):
    """A link that is forged, cut off, expired or about a subscription that no longer exists."""

    FORGED, EXPIRED, GONE = "forged", "expired", "gone"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        """What the visitor reads, in the current language."""
        if self.reason == self.EXPIRED:
            return _("This link has expired. Subscribe again and confirm within %(days)d days.") % {
                "days": CONFIRMATION_DAYS
            }
        if self.reason == self.GONE:
            return _("This subscription no longer exists: it was deleted, or never confirmed and expired.")
        return _("This link is not valid. Perhaps it was cut off: copy the whole link from the e-mail.")


def token_make(subscription: Subscription, purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return signing.dumps(subscription.pk, salt=f"subscriptions.{purpose}")


def token_read(token: str, purpose: str) -> int:
    """The subscription id a token signs; ``InvalidLink`` if forged or, for confirmation, expired."""
    max_age = timedelta(days=CONFIRMATION_DAYS) if purpose == CONFIRM else None
    try:
        pk = signing.loads(token, salt=f"subscriptions.{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink(InvalidLink.EXPIRED) from error
    except signing.BadSignature as error:
        raise InvalidLink(InvalidLink.FORGED) from error
    if not isinstance(pk, int):
        raise InvalidLink(InvalidLink.FORGED)
    return pk
