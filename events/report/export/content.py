"""What a year's table holds, read in three streamed queries and joined partner by partner.

The partners, their agreements (with the steps of each as arrays) and their events (one
row per event and partner) are each read in the report's order, in chunks from a
server-side cursor, and merged like sorted files: each partner takes the agreements and
events that follow it in their streams. Memory holds one chunk of each stream, never the
year; the number of queries does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max
from django.utils import timezone

from core.i18n import text_in_language, translated_columns
from core.partial_dates import PartialPeriod
from events.models import Event
from events.report.export.dates import event_when, milestones_text
from partners.models import Agreement, Country, Partner, Region

CHUNK = 500  # rows fetched at a time from each stream
_EVENT_COLUMNS = (*Event.PERIOD_COLUMNS, *translated_columns("title"), *translated_columns("report_text"))


@dataclass(frozen=True)
class Text:
    """A text of the report, and the language it is in when that is not the report's (not yet translated)."""

    text: str
    fallback: str | None = None


@dataclass(frozen=True)
class AgreementLine:
    title: Text
    dates: str  # «1956 г. – установление связей; 20.09.1962»


@dataclass(frozen=True)
class EventLine:
    when: str  # «3–6 июля»
    title: Text
    period: PartialPeriod


@dataclass(frozen=True)
class JointLine:
    """Events of this partner together with others of its country, listed once in a row naming them all."""

    names: tuple[Text, ...]
    events: tuple[EventLine, ...]


@dataclass
class PartnerBlock:
    """One partner's part of the table, with whether it opens a region or a country."""

    partner: Partner
    region: Region
    country: Country
    opens_region: bool
    opens_country: bool
    agreements: list[AgreementLine] = field(default_factory=list)
    events: list[EventLine] = field(default_factory=list)
    joint: list[JointLine] = field(default_factory=list)

    @property
    def is_government(self) -> bool:
        return self.partner.kind == Partner.Kind.GOVERNMENT


@dataclass(frozen=True)
class ReportScope:
    year: int
    language: str
    regions: tuple[str, ...] = ()  # region codes; all when empty


def text(instance, field_name: str, language: str) -> Text:
    value, actual = text_in_language(instance, field_name, language)
    return Text(value, None if actual == language else actual)


def report_partners(scope: ReportScope):
    events = Event.objects.published().in_year(scope.year)
    partners = Partner.objects.in_yearly_report(scope.year, active=events.row_partner_ids())
    if scope.regions:
        partners = partners.filter(country__region__code__in=scope.regions)
    return partners


def partner_blocks(scope: ReportScope) -> Iterator[PartnerBlock]:
    """The table's partners in order, each with its agreements and the year's events."""
    partners = report_partners(scope)
    events = Event.objects.published().in_year(scope.year)
    agreement_rows = Agreement.objects.for_report(partners, scope.language).iterator(CHUNK)
    event_rows = events.per_partner_in_report(partners, scope.language).only(*_EVENT_COLUMNS).iterator(CHUNK)
    agreements, events_by_partner = _Stream(agreement_rows, "partner_id"), _Stream(event_rows, "report_partner_id")
    region_id = country_id = None
    for partner in partners.in_report_order(scope.language).iterator(CHUNK):
        country = partner.country
        block = PartnerBlock(
            partner,
            country.region,
            country,
            opens_region=country.region_id != region_id,
            opens_country=country.pk != country_id,
        )
        region_id, country_id = country.region_id, country.pk
        block.agreements = [_agreement_line(row, scope.language) for row in agreements.take(partner.pk)]
        joint: dict[tuple[int, ...], list[Event]] = {}
        for row in events_by_partner.take(partner.pk):
            if not _listed_together(row):
                block.events.append(_event_line(row, scope))
            elif row.together_ids[0] == partner.pk:  # listed once, after the first of its partners
                joint.setdefault(tuple(row.together_ids), []).append(row)
        block.joint = [_joint_line(rows, scope) for rows in joint.values()]
        yield block
    agreements.check_exhausted()
    events_by_partner.check_exhausted()


def _agreement_line(agreement: Agreement, language: str) -> AgreementLine:
    dates = milestones_text(
        agreement.milestone_days, agreement.milestone_precisions, agreement.milestone_labels, language
    )
    return AgreementLine(text(agreement, "title", language), dates)


def _event_line(event: Event, scope: ReportScope) -> EventLine:
    when = event_when(event.period, year=scope.year, language=scope.language)
    # The report's own sentence where the event came from a report: the table reproduces the report.
    field = "report_text" if event.report_text_ru else "title"
    return EventLine(when, text(event, field, scope.language), event.period)


def _listed_together(event: Event) -> bool:
    """An event of several partners of one country, none of them its government, has a row of its own."""
    return (
        len(event.together_ids) > 1
        and len(set(event.together_countries)) == 1
        and Partner.Kind.GOVERNMENT not in event.together_kinds
    )


def _joint_line(events: list[Event], scope: ReportScope) -> JointLine:
    names = tuple(Text(name) for name in events[0].together_names)
    return JointLine(names, tuple(_event_line(event, scope) for event in events))


class _Stream:
    """Rows of one query in the partners' order, taken partner by partner."""

    def __init__(self, rows: Iterable, key: str) -> None:
        self.rows, self.key = iter(rows), key
        self.head = next(self.rows, None)

    def take(self, partner_id: int) -> Iterator:
        while self.head is not None and getattr(self.head, self.key) == partner_id:
            yield self.head
            self.head = next(self.rows, None)

    def check_exhausted(self) -> None:
        if self.head is not None:  # the queries disagree on the order: never silently drop a row
            raise RuntimeError(f"report rows out of order: {self.key}={getattr(self.head, self.key)}")


def data_day(scope: ReportScope) -> date:
    """The day the table's data is of: the newest change to the partners or events it holds."""
    partners = report_partners(scope)
    newest = [
        partners.aggregate(day=Max("updated_at"))["day"],
        Event.objects.published()
        .in_year(scope.year)
        .filter(partners__in=partners)
        .aggregate(day=Max("updated_at"))["day"],
    ]
    found = [timezone.localtime(moment).date() for moment in newest if moment]
    return max(found, default=timezone.localdate())
