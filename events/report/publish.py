"""Publishing what an import brought, once staff have reviewed it: its draft events and new partners."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from events.models import Event, ReportImport
from partners.models import Partner


@dataclass
class PublishOutcome:
    events: int = 0
    partners: int = 0
    refused: list[tuple[Partner, list[str]]] = field(default_factory=list)  # partners not ready, and why


def import_drafts(report_import: ReportImport) -> tuple[list[Event], list[Partner]]:
    """The import's events and new partners that are still drafts, in report order (two queries)."""
    events = report_import.events.filter(is_published=False).prefetch_related("partners").order_by("start_on", "pk")
    partners = report_import.partners.filter(is_published=False).select_related("country").order_by("name_ru", "pk")
    return list(events), list(partners)


@transaction.atomic
def import_publish(
    *,
    report_import: ReportImport,
    event_ids: Iterable[int],
    partner_ids: Iterable[int],
    user: AbstractBaseUser | None = None,
) -> PublishOutcome:
    """Publish the chosen drafts of ``report_import``: each saved (history, search entries), from today.

    A partner without its place or country stays a draft (``Partner.publish_problems``); ids that
    are not drafts of this import are ignored.
    """
    outcome = PublishOutcome()
    today = timezone.localdate()
    events, partners = import_drafts(report_import)
    chosen_events, chosen_partners = set(map(int, event_ids)), set(map(int, partner_ids))
    for partner in partners:
        if partner.pk not in chosen_partners:
            continue
        if problems := partner.publish_problems():
            outcome.refused.append((partner, list(problems.values())))
            continue
        partner.is_published = True
        partner._history_user = user
        partner.save()
        outcome.partners += 1
    for event in events:
        if event.pk in chosen_events:
            event.is_published = True
            event.published_on = min(event.published_on, today)
            event._history_user = user
            event.save()
            outcome.events += 1
    return outcome
