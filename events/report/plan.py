"""What an import of a report would do: the plan that the preview shows and the import carries out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.partial_dates import PartialDate, PartialPeriod
from core.text import fold_words
from events.models import Event, ReportImport
from events.report import ReportError, classify
from events.report.dates import DateError, Milestone, parse_milestones
from events.report.items import parse_items
from events.report.readers import read_table
from events.report.rows import ReportRow, report_rows
from events.report.rows import header_year as header_year_of
from events.report.titles import title_from_report
from partners.matching import Match, PartnerMatcher, partner_key
from partners.mentions import PartnerMentions
from partners.models import Agreement, Country, Partner

NEW = "new"


@dataclass
class PartnerPlan:
    key: str
    country: Country
    name: str  # as the report spells it; "" for the country's government
    region: str
    rows: list[int] = field(default_factory=list)
    matched: list[Partner] = field(default_factory=list)

    @property
    def is_matched(self) -> bool:
        return bool(self.matched)

    @property
    def display_name(self) -> str:
        return self.name or _("%(country)s (government)") % {"country": self.country.name}


@dataclass
class AgreementPlan:
    partner_key: str
    row: int
    title: str
    milestones: list[Milestone]
    existing: Agreement | None = None

    @property
    def kind(self) -> str:
        return classify.agreement_kind(self.title)


@dataclass
class EventPlan:
    partner_key: str  # the row it was first read in
    row: int
    text: str
    title: str
    period: PartialPeriod
    kind: str
    place: str
    source_key: str
    existing: Event | None = None
    # The same item, with the same date, under other partners' rows: one event of several partners.
    other_partner_keys: list[str] = field(default_factory=list)
    short_title: str = ""  # derived from the text, for staff to review (``events.report.titles``)
    named: list[Partner] = field(default_factory=list)  # partners the text names besides its rows'

    @property
    def partner_keys(self) -> list[str]:
        return [self.partner_key, *self.other_partner_keys]

    @property
    def kind_label(self) -> str:
        return Event.Kind(self.kind).label

    @property
    def place_label(self) -> str:
        return Event.Place(self.place).label


@dataclass
class Problem:
    row: int
    column: int
    text: str
    reason: str


@dataclass
class ReportPlan:
    year: int
    checksum: str
    filename: str
    partners: dict[str, PartnerPlan] = field(default_factory=dict)
    agreements: list[AgreementPlan] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    not_understood: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # they block the import
    already_imported: ReportImport | None = None

    def ties_since(self, key: str) -> PartialDate | None:
        """The earliest date of the partner's agreements in the report: when its ties were established."""
        dates = [m.date for plan in self.agreements if plan.partner_key == key for m in plan.milestones]
        return min(dates, default=None)

    @property
    def unmatched(self) -> list[PartnerPlan]:
        return [plan for plan in self.partners.values() if not plan.is_matched]

    @property
    def new_events(self) -> list[EventPlan]:
        return [plan for plan in self.events if plan.existing is None]

    @property
    def new_agreements(self) -> list[AgreementPlan]:
        return [plan for plan in self.agreements if plan.existing is None]

    def counts(self) -> dict[str, int]:
        return {
            "partners": len(self.partners),
            "partners_matched": len(self.partners) - len(self.unmatched),
            "partners_new": len(self.unmatched),
            "agreements": len(self.agreements),
            "agreements_new": len(self.new_agreements),
            "events": len(self.events),
            "events_new": len(self.new_events),
            "items_not_understood": len(self.not_understood),
        }


def source_key(year: int, country: Country, partner_key: str, period: PartialPeriod, title: str) -> str:
    digest = hashlib.sha256(f"{partner_key}|{period.isoformat()}|{fold_words(title)}".encode()).hexdigest()
    return f"r{year}-{country.code.lower()}-{digest[:12]}"


class _Planner:
    def __init__(self, plan: ReportPlan) -> None:
        self.plan = plan
        self.matcher = PartnerMatcher(
            Partner.objects.select_related("country").prefetch_related("agreements__milestones")
        )
        self.mentions = PartnerMentions()
        self.seen_events: set[tuple[str, str, str]] = set()
        self.existing_events = self._existing_events(plan.year)

    @staticmethod
    def _existing_events(year: int) -> dict[tuple, Event]:
        found: dict[tuple, Event] = {}
        # The year's events whatever their origin: the report's, and those staff entered (a report the
        # portal generated lists them too).
        events = Event.objects.filter(report_year=year) | Event.objects.in_year(year)
        for event in events.prefetch_related("partners"):
            found[("key", event.source_key)] = event
            text = fold_words(event.report_text_ru or event.title_ru or "")  # the report's sentence, as printed
            for partner in event.partners.all():
                found[(partner.pk, event.start_on, event.start_precision, text)] = event
        return found

    def row(self, row: ReportRow) -> None:
        match = self.matcher.match(row.country, row.partner)
        if match.country is None:
            self.plan.errors.append(
                Problem(
                    row.number,
                    1,
                    row.country,
                    _(
                        "No country is known under this name: add it (or this spelling "
                        "to a country's spellings in reports) first."
                    ),
                )
            )
            return
        partner = self._partner(row, match)
        if row.basis:
            self._agreement(row, partner)
        for item in parse_items(row.events, year=self.plan.year):
            if item.period is None:
                self.plan.not_understood.append(Problem(row.number, 5, item.text, _("The item names no date.")))
                continue
            self._event(row, partner, item.text, item.title, item.period)

    def _partner(self, row: ReportRow, match: Match) -> PartnerPlan:
        plan = self.plan.partners.get(match.key)
        if plan is None:
            plan = PartnerPlan(match.key, match.country, match.partner_name, row.region, matched=match.partners)
            self.plan.partners[match.key] = plan
        plan.rows.append(row.number)
        return plan

    def _agreement(self, row: ReportRow, partner: PartnerPlan) -> None:
        try:
            milestones = parse_milestones(row.year_text) if row.year_text else []
        except DateError:
            milestones = []
            self.plan.not_understood.append(
                Problem(row.number, 4, row.year_text, _("The year of ties or signature is not a date."))
            )
        title = " ".join(row.basis.split())
        existing = None
        for candidate in partner.matched:
            existing = _matching_agreement(candidate, title, milestones)
            if existing:
                break
        duplicate = any(
            plan.partner_key == partner.key and fold_words(plan.title) == fold_words(title)
            for plan in self.plan.agreements
        )
        if not duplicate:
            self.plan.agreements.append(AgreementPlan(partner.key, row.number, title, milestones, existing))

    def _event(self, row: ReportRow, partner: PartnerPlan, text: str, title: str, period: PartialPeriod) -> None:
        identity = (partner.key, period.isoformat(), fold_words(title))
        if identity in self.seen_events:
            return
        self.seen_events.add(identity)
        key = source_key(self.plan.year, partner.country, partner.key, period, title)
        existing = self.existing_events.get(("key", key)) or self._existing(partner.matched, period, title)
        kind = classify.event_kind(title)
        event = EventPlan(
            partner.key, row.number, text, title, period, kind, classify.event_place(title, kind), key, existing
        )
        event.short_title = title_from_report(text, year=self.plan.year)
        event.named = self.mentions.named_in(text)
        self.plan.events.append(event)

    def _existing(self, partners: list[Partner], period: PartialPeriod, title: str) -> Event | None:
        start = period.start
        for candidate in partners:
            if found := self.existing_events.get((candidate.pk, start.first_day, start.precision, fold_words(title))):
                return found
        return None

    def joint_rows(self) -> None:
        """Read a row of partners named together («Хайфон и провинция Кханьхоа») as their joint events.

        A partner cell that names no known partner, whose parts joined by «и» are each a partner
        of the same country that other rows name (or the portal knows), and that carries no
        agreement, holds the events of those partners together: each becomes one event of them all.
        """
        plan = self.plan
        with_agreements = {agreement.partner_key for agreement in plan.agreements}
        for joint in list(plan.unmatched):
            parts = [part for part in re.split(r"\s+и\s+", joint.name) if part.strip()]
            if len(parts) < 2 or joint.key in with_agreements:
                continue
            keys = [partner_key(joint.country, part) for part in parts]
            known = {key: plan.partners[key] for key in keys if key in plan.partners and key != joint.key}
            for key, part in zip(keys, parts, strict=True):
                if key not in known and (matched := self.matcher.partners(joint.country, part)):
                    known[key] = PartnerPlan(key, joint.country, part, joint.region, matched=matched)
            if len(known) < len(keys):
                continue
            del plan.partners[joint.key]
            for key in keys:
                plan.partners.setdefault(key, known[key]).rows.extend(joint.rows)
            for event in plan.events:
                if event.partner_key == joint.key:
                    event.partner_key, event.other_partner_keys = keys[0], keys[1:]
                    matched = [partner for key in keys for partner in plan.partners[key].matched]
                    event.existing = event.existing or self._existing(matched, event.period, event.title)

    def named_besides_rows(self) -> None:
        """Keep of the partners each text names those its rows do not already give it."""
        for event in self.plan.events:
            rows = {partner.pk for key in event.partner_keys for partner in self.plan.partners[key].matched}
            event.named = [partner for partner in event.named if partner.pk not in rows]


def _matching_agreement(partner: Partner, title: str, milestones: list[Milestone]) -> Agreement | None:
    """The partner's agreement with this title, or dated on the same days (the reports reword titles)."""
    wanted = {milestone.date for milestone in milestones}
    for agreement in partner.agreements.all():
        if fold_words(agreement.title_ru or "") == fold_words(title):
            return agreement
        dates = {milestone.date for milestone in agreement.milestones.all()}
        if wanted and wanted <= dates:
            return agreement
    return None


def build_plan(*, data: bytes, filename: str, year: int) -> ReportPlan:
    raw = read_table(data, filename)
    rows, header = report_rows(raw)
    header_year = header_year_of(header.cells)
    if header_year is not None and header_year != year:
        raise ReportError(
            _("The table is the report for %(found)d, not for %(year)d.") % {"found": header_year, "year": year},
            row=header.number,
            column=5,
        )
    plan = ReportPlan(year=year, checksum=hashlib.sha256(data).hexdigest(), filename=filename)
    plan.already_imported = ReportImport.objects.filter(year=year, file_sha256=plan.checksum).first()
    planner = _Planner(plan)
    for row in rows:
        planner.row(row)
    planner.joint_rows()
    planner.named_besides_rows()
    return plan
