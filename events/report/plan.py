"""What an import of a report would do: the plan that the preview shows and the import carries out."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
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
from events.report.similar import ExistingEvents, similar_agreement
from events.report.titles import title_from_report
from partners.gazetteer import Place, gazetteer
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
    country_inherited: bool = False  # its row's country cell was blank: the country above is assumed
    country_from_gazetteer: bool = False  # the country cell named a city, placed by the gazetteer
    places: list[Place] = field(default_factory=list)  # where a new partner may be, the likeliest first
    country_cell: str = ""  # the country as the report writes it: «Белоруссия» (a government is named so)

    @property
    def is_matched(self) -> bool:
        return bool(self.matched)

    @property
    def display_name(self) -> str:
        return self.name or _("%(country)s (government)") % {"country": self.country.name}

    @property
    def place(self) -> Place | None:
        """The place proposed for a new partner: the likeliest, unless an unstated country leaves it in doubt."""
        if not self.places or (self.country_inherited and self.places[0].approximate):
            return None
        return self.places[0]

    @property
    def flags(self) -> list[str]:
        """What staff should check before publishing the new partner."""
        flags = []
        if self.country_from_gazetteer:
            flags.append(
                _("The country cell names a city: the gazetteer places it in %(country)s.")
                % {"country": self.country.name}
            )
        if self.country_inherited and self.place is None:
            flags.append(
                _("The country cell is empty and the gazetteer does not place it in %(country)s (the row above's).")
                % {"country": self.country.name}
            )
        if self.place is None:
            flags.append(_("No place found: enter its coordinates before publishing it."))
        elif self.place.approximate:
            flags.append(_("The place is found by a similar name: check it."))
        return flags


@dataclass
class AgreementPlan:
    partner_key: str
    row: int
    title: str
    milestones: list[Milestone]
    existing: Agreement | None = None
    create: bool = True  # to be imported: new, unless staff chose otherwise in the preview

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
    create: bool = True  # to be imported: new, unless staff chose otherwise in the preview

    @property
    def overridable(self) -> bool:
        """Staff may import it as new: it is not the very item an earlier import of the report created."""
        return self.existing is None or self.existing.source_key != self.source_key

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
        return [plan for plan in self.events if plan.create]

    @property
    def new_agreements(self) -> list[AgreementPlan]:
        return [plan for plan in self.agreements if plan.create]

    def choose(self, *, events: set[str] | None = None, agreements: set[int] | None = None) -> None:
        """Staff's choice in the preview: the events (by source key) and agreements (by index) to import.

        ``None`` keeps the default: what is not already present. An event an earlier import of the
        report created stays as it is.
        """
        if events is not None:
            for plan in self.events:
                plan.create = plan.source_key in events if plan.overridable else False
        if agreements is not None:
            for index, plan in enumerate(self.agreements):
                plan.create = index in agreements

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
        partners = list(Partner.objects.select_related("country").prefetch_related("agreements__milestones"))
        self.matcher = PartnerMatcher(partners)
        self.country_agreements: dict[int, list[Agreement]] = defaultdict(list)
        for partner in partners:
            self.country_agreements[partner.country_id] += partner.agreements.all()
        self.mentions = PartnerMentions()
        self.seen_events: set[tuple[str, str, str]] = set()
        self.existing = ExistingEvents(plan.year, self.matcher)

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
            plan = PartnerPlan(
                match.key,
                match.country,
                match.partner_name,
                row.region,
                matched=match.partners,
                country_inherited=row.country_inherited,
                country_from_gazetteer=match.country_from_gazetteer,
                country_cell=row.country,
            )
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
        dates = [milestone.date for milestone in milestones]
        mine = [agreement for candidate in partner.matched for agreement in candidate.agreements.all()]
        existing = similar_agreement(mine, title, dates) or similar_agreement(
            self.country_agreements[partner.country.pk], title, dates, strict=True
        )
        duplicate = any(
            plan.partner_key == partner.key and fold_words(plan.title) == fold_words(title)
            for plan in self.plan.agreements
        )
        if not duplicate:
            self.plan.agreements.append(
                AgreementPlan(partner.key, row.number, title, milestones, existing, create=existing is None)
            )

    def _event(self, row: ReportRow, partner: PartnerPlan, text: str, title: str, period: PartialPeriod) -> None:
        identity = (partner.key, period.isoformat(), fold_words(title))
        if identity in self.seen_events:
            return
        self.seen_events.add(identity)
        key = source_key(self.plan.year, partner.country, partner.key, period, title)
        existing = self.existing.find(key, partner.matched, [partner.country.pk], period, title)
        kind = classify.event_kind(title)
        event = EventPlan(
            partner.key,
            row.number,
            text,
            title,
            period,
            kind,
            classify.event_place(title, kind),
            key,
            existing,
            create=existing is None,
        )
        event.short_title = title_from_report(text, year=self.plan.year)
        event.named = self.mentions.named_in(text)
        self.plan.events.append(event)

    def places(self) -> None:
        """Where each new partner may be, from the gazetteer (loaded only when a partner is new)."""
        for partner in self.plan.unmatched:
            names = [partner.name] if partner.name else []
            government = not partner.name
            partner.places = gazetteer().locate(names, partner.country.code, government=government)[:5]

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
                    event.existing = event.existing or self.existing.find(
                        event.source_key, matched, [joint.country.pk], event.period, event.title
                    )
                    event.create = event.existing is None

    def named_besides_rows(self) -> None:
        """Keep of the partners each text names those its rows do not already give it."""
        for event in self.plan.events:
            rows = {partner.pk for key in event.partner_keys for partner in self.plan.partners[key].matched}
            event.named = [partner for partner in event.named if partner.pk not in rows]


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
    planner.places()
    return plan
