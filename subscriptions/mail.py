"""The e-mails of a subscription, each in its subscriber's language, with plain-text and HTML parts.

Every one carries the link to leave and the one-click headers of RFC 8058
(``List-Unsubscribe`` with an HTTPS URL, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``);
no header holds anything a visitor typed but the validated address.
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import text_in_language
from core.partial_dates import PartialDate, PartialPeriod
from events.models import Event
from events.selection import stored_selection
from subscriptions.models import CONFIRMATION_DAYS, Delivery, Subscription
from subscriptions.selections import selection_terms
from subscriptions.tokens import CONFIRM, MANAGE, token_make


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def links(subscription: Subscription) -> dict[str, str]:
    """The absolute links of ``subscription``'s e-mails, in the active language."""
    manage = token_make(subscription, MANAGE)
    return {
        "manage_url": absolute(reverse("subscriptions:manage", kwargs={"token": manage})),
        "unsubscribe_url": absolute(reverse("subscriptions:unsubscribe", kwargs={"token": manage})),
        "site_url": absolute(reverse("association:home")),
    }


def terms_of(subscription: Subscription) -> list[tuple[str, str]]:
    """How the subscription's selection reads in its language (a few queries: callers keep it per selection)."""
    with translation.override(subscription.language):
        return selection_terms(stored_selection(subscription.selection))


def _message(subscription, template: str, subject: str, context: dict, message_id: str, terms=None):
    context = {
        **context,
        **links(subscription),
        "subscription": subscription,
        "site_name": settings.SITE_NAME,
        "confirmation_days": CONFIRMATION_DAYS,
        "terms": terms_of(subscription) if terms is None else terms,
    }
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{_('Events')} <events.{site_domain()}>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": subscription.language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    with translation.override(subscription.language):
        token = token_make(subscription, CONFIRM)
        confirm_url = absolute(reverse("subscriptions:confirm", kwargs={"token": token}))
        return _message(
            subscription,
            "confirm",
            _("Confirm your subscription to events"),
            {"confirm_url": confirm_url},
            make_msgid("confirm", domain=site_domain()),
        )


def already_message(subscription: Subscription) -> EmailMultiAlternatives:
    """To an address that asked again for a selection it already receives: only its owner learns it."""
    with translation.override(subscription.language):
        return _message(
            subscription,
            "already",
            _("You are already subscribed to these events"),
            {},
            make_msgid("already", domain=site_domain()),
        )


def digest_message(delivery: Delivery, events: dict[int, Event], terms: list[tuple[str, str]]):
    """The digest ``delivery`` plans, over ``events`` by id (an event deleted since is left out)."""
    subscription = delivery.subscription
    with translation.override(subscription.language):
        new = [_item(events[pk]) for pk in delivery.events.get("new", []) if pk in events]
        changed = [
            _item(events[pk], change=change, previous=previous)
            for pk, change, previous in delivery.events.get("changed", [])
            if pk in events
        ]
        count = len(new) + len(changed)
        subject = ngettext(
            "%(count)d update on the events you follow", "%(count)d updates on the events you follow", count
        ) % {"count": count}
        context = {"new": new, "changed": changed, "count": count, "since": delivery.since}
        # The same Message-ID for the same digest: a mailbox that got it already keeps one copy.
        message_id = f"<digest-{delivery.pk}@{site_domain()}>"
        return _message(subscription, "digest", subject, context, message_id, terms)


def _item(event: Event, *, change: str | None = None, previous: str | None = None) -> dict:
    """An event as a digest lists it, in the active language: plain values for both parts."""
    title, _language = text_in_language(event, "title")
    return {
        "title": title,
        "period": event.period,
        "place": event.get_place_display(),
        "status": event.status,
        "status_label": event.get_status_display(),
        "url": absolute(event.get_absolute_url()),
        "change": change,
        "previous": _period(previous) if previous else None,
    }


def _period(text: str) -> PartialPeriod:
    start, _slash, end = text.partition("/")
    return PartialPeriod(PartialDate.parse(start), PartialDate.parse(end) if end else None)
