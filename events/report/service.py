"""Importing a yearly report: preview what it would do, then do it in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.bulk import content_bulk_create, content_bulk_update
from core.history import history_links_amend
from core.slugs import free_slug
from events.models import Event, ReportImport
from events.report import ReportError, classify
from events.report.plan import NEW, PartnerPlan, ReportPlan, build_plan
from partners.matching import normalise_name
from partners.mentions import PartnerMentions
from partners.models import Agreement, Milestone, Partner

# Per unmatched partner (by its key, e.g. ``VN/хошимин``): NEW, or the partner it is.
Decisions = Mapping[str, "str | Partner"]
# Per new partner (by its key): its coordinates as staff accepted or corrected them, or None for none yet.
Places = Mapping[str, "tuple[Decimal, Decimal] | None"]

BATCH = 500  # rows per INSERT or UPDATE


@dataclass
class ImportOutcome:
    plan: ReportPlan
    report_import: ReportImport | None = None
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    created_partner_ids: set[int] = field(default_factory=set)
    changed_partner_ids: set[int] = field(default_factory=set)  # existing partners given the year or a spelling

    @property
    def created_nothing(self) -> bool:
        return not any(self.counts.get(name) for name in ("partners", "agreements", "events"))


def report_preview(*, data: bytes, filename: str, year: int) -> ReportPlan:
    """What importing the file would do; writes nothing. Raises ReportError for a refused file.

    Messages are in the caller's language; the report's own text stays Russian.
    """
    return build_plan(data=data, filename=filename, year=year)


def _refuse_blocking(plan: ReportPlan, decisions: Decisions, create_missing: bool) -> None:
    if plan.errors:
        first = plan.errors[0]
        raise ReportError(f"«{first.text}»: {first.reason}", row=first.row, column=first.column)
    undecided = [p for p in plan.unmatched if not create_missing and p.key not in decisions]
    if undecided:
        names = "; ".join(
            f"«{p.display_name}» ({p.country.name}, " + _("row %(row)s") % {"row": p.rows[0]} + ")"
            for p in undecided[:10]
        )
        raise ReportError(
            _(
                "These partners match none in the portal: %(names)s. Choose for each: create it, or map it to an "
                "existing partner (or add the spelling to the partner's spellings in reports)."
            )
            % {"names": names}
        )


@transaction.atomic
def report_import(
    *,
    data: bytes,
    filename: str,
    year: int,
    user: AbstractBaseUser | None = None,
    decisions: Decisions | None = None,
    places: Places | None = None,
    events: set[str] | None = None,
    agreements: set[int] | None = None,
    create_missing: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Import the report: partners, agreements and events it names that the portal lacks, as drafts.

    All or nothing; a file already imported for that year, or events already present
    (from the seed or a previous import, ``events.report.similar``), create nothing.
    ``events`` (source keys) and ``agreements`` (indexes in the plan) are what staff chose
    to import in the preview, overriding what is found already present; ``places`` the
    coordinates they accepted for new partners (by default the gazetteer's proposal).
    ``dry_run`` does the work and rolls it back.
    """
    decisions = decisions or {}
    plan = build_plan(data=data, filename=filename, year=year)
    plan.choose(events=events, agreements=agreements)
    _refuse_blocking(plan, decisions, create_missing)
    outcome = ImportOutcome(plan, dry_run=dry_run, counts=dict.fromkeys(("partners", "agreements", "events"), 0))
    if plan.already_imported is not None:
        return outcome
    # The report's text is Russian, the language of record: it is written to the Russian fields.
    with translation.override("ru"):
        partners = _apply_partners(plan, decisions, places or {}, outcome, user)
        _apply_agreements(plan, partners, outcome, user)
        events = _apply_events(plan, partners, outcome, user)
        if not outcome.created_nothing:
            outcome.report_import = _record(plan, data, user, outcome, events, dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _apply_partners(
    plan: ReportPlan, decisions: Decisions, places: Places, outcome: ImportOutcome, user: AbstractBaseUser | None
) -> dict[str, list[Partner]]:
    """The partners of each key: new ones created, the others given the year (and a mapped spelling), in bulk."""
    resolved: dict[str, list[Partner]] = {}
    changed: dict[int, Partner] = {}  # one instance per existing partner that gains a year or a spelling
    to_create: dict[str, PartnerPlan] = {}
    for key, partner_plan in plan.partners.items():
        choice = decisions.get(key, NEW)
        if partner_plan.is_matched:
            resolved[key] = partner_plan.matched
            for partner in partner_plan.matched:
                partner = changed.get(partner.pk, partner)
                if _note_report_year(partner, plan.year):
                    changed[partner.pk] = partner
        elif isinstance(choice, Partner):
            partner = changed.get(choice.pk, choice)
            resolved[key] = [partner]
            if _add_spelling(partner, partner_plan.name, plan.year):
                changed[partner.pk] = partner
        else:
            to_create[key] = partner_plan
    _update_partners(list(changed.values()), user)
    created = _create_partners(plan, list(to_create.values()), places, user)
    for key, partner in zip(to_create, created, strict=True):
        resolved[key] = [partner]
    outcome.created_partner_ids = {partner.pk for partner in created}
    outcome.counts["partners"] = len(created)
    outcome.changed_partner_ids = set(changed)
    return resolved


def _note_report_year(partner: Partner, year: int) -> bool:
    if year in partner.report_years:
        return False
    partner.report_years = sorted([*partner.report_years, year])
    return True


def _add_spelling(partner: Partner, spelling: str, year: int) -> bool:
    added = normalise_name(spelling) not in partner.normalised_aliases
    if added:
        partner.aliases = [*partner.aliases, spelling]
        partner.normalise_aliases()
    return _note_report_year(partner, year) or added


def _update_partners(partners: list[Partner], user: AbstractBaseUser | None) -> None:
    """Save the year and spellings of existing partners as saving each would (history, search entries)."""
    now = timezone.now()
    for partner in partners:
        partner.updated_at = now  # bulk_update applies no auto_now
    fields = ["aliases", "normalised_aliases", "report_years", "updated_at", "text_edited_at"]
    content_bulk_update(partners, fields, history_user=user)


def _create_partners(
    plan: ReportPlan, plans: list[PartnerPlan], places: Places, user: AbstractBaseUser | None
) -> list[Partner]:
    """Insert the new partners in bulk as saving each would (history, search entries)."""
    if not plans:
        return []
    taken_slugs = set(Partner.objects.order_by().values_list("slug", flat=True))
    partners = [_new_partner(partner_plan, plan, taken_slugs) for partner_plan in plans]
    for partner, partner_plan in zip(partners, plans, strict=True):
        proposed = partner_plan.place.coordinates if partner_plan.place else None
        partner.latitude, partner.longitude = places.get(partner_plan.key, proposed) or (None, None)
    return content_bulk_create(partners, history_user=user)


def _partner_kind(name: str) -> str:
    lowered = name.lower()
    if not name:
        return Partner.Kind.GOVERNMENT
    if "район" in lowered:
        return Partner.Kind.DISTRICT
    if "провинц" in lowered or "пров." in lowered or "област" in lowered:
        return Partner.Kind.REGION
    return Partner.Kind.CITY


def _new_partner(plan: PartnerPlan, report: ReportPlan, taken_slugs: set[str]) -> Partner:
    """A partner the report names for the first time, a draft until staff publish it; its ties date from its
    earliest agreement in the report."""
    name = plan.name
    for prefix in ("г. ", "г."):
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
            break
    name = name or plan.country_cell or plan.country.name_ru  # a government: the country as the report names it
    return Partner(
        slug=free_slug(name, taken_slugs),
        name_ru=name,
        country=plan.country,
        kind=_partner_kind(plan.name),
        aliases=[plan.name],
        report_years=[report.year],
        ties_since=report.ties_since(plan.key),
        is_published=False,
    )


def _apply_agreements(
    plan: ReportPlan, partners: dict[str, list[Partner]], outcome: ImportOutcome, user: AbstractBaseUser | None
) -> None:
    positions = _agreement_counts(plan, partners, outcome)
    agreements = []
    for agreement_plan in plan.new_agreements:
        partner = partners[agreement_plan.partner_key][0]
        valid_from, valid_to = classify.agreement_validity(agreement_plan.title)
        agreements.append(
            Agreement(
                partner=partner,
                kind=agreement_plan.kind,
                spb_party=classify.agreement_party(agreement_plan.title),
                title_ru=agreement_plan.title,
                valid_from_year=valid_from,
                valid_to_year=valid_to,
                position=positions[partner.pk],
            )
        )
        positions[partner.pk] += 1
    content_bulk_create(agreements, history_user=user)
    milestones = []
    for agreement, agreement_plan in zip(agreements, plan.new_agreements, strict=True):
        for milestone_plan in agreement_plan.milestones:
            milestone = Milestone(agreement=agreement, label_ru=milestone_plan.label)
            milestone.date = milestone_plan.date
            milestones.append(milestone)
    content_bulk_create(milestones, history_user=user)
    outcome.counts["agreements"] = len(agreements)


def _agreement_counts(plan: ReportPlan, partners: dict[str, list[Partner]], outcome: ImportOutcome) -> dict[int, int]:
    """How many agreements each partner given a new one has already: where the new ones are placed (one query)."""
    ids = {partners[agreement_plan.partner_key][0].pk for agreement_plan in plan.new_agreements}
    counts = dict.fromkeys(ids, 0)
    existing = ids - outcome.created_partner_ids
    if existing:
        rows = Agreement.objects.filter(partner__in=existing).order_by().values("partner").annotate(n=Count("pk"))
        counts.update(rows.values_list("partner", "n"))
    return counts


def _apply_events(
    plan: ReportPlan, partners: dict[str, list[Partner]], outcome: ImportOutcome, user: AbstractBaseUser | None
) -> list[Event]:
    events = []
    for event_plan in plan.new_events:
        event = Event(
            title_ru=event_plan.short_title or event_plan.title,
            report_text_ru=event_plan.title,
            title_needs_review=True,
            kind=event_plan.kind,
            place=event_plan.place,
            report_year=plan.year,
            source_key=event_plan.source_key,
            is_published=False,  # staff publish it once reviewed (the import's review page)
        )
        event.start = event_plan.period.start
        event.end = event_plan.period.end
        events.append(event)
    content_bulk_create(events, history_user=user)
    # Each event has the partners of its rows (where the report printed it) and those its text names:
    # those the preview proposed, and those this import has just created.
    mentions = PartnerMentions()
    rows, links = Event.reported_under.through, Event.partners.through
    reported, linked = [], []
    for event, event_plan in zip(events, plan.new_events, strict=True):
        row_ids = dict.fromkeys(partner.pk for key in event_plan.partner_keys for partner in partners[key])
        reported += [rows(event_id=event.pk, partner_id=partner_id) for partner_id in row_ids]
        named = dict.fromkeys([*row_ids, *(partner.pk for partner in mentions.named_in(event_plan.text))])
        linked += [links(event_id=event.pk, partner_id=partner_id) for partner_id in named]
    rows.objects.bulk_create(reported, batch_size=BATCH)
    links.objects.bulk_create(linked, batch_size=BATCH)
    history_links_amend(events)  # the versions the bulk write made show these links (restoring one keeps them)
    outcome.counts["events"] = len(events)
    return events


def _record(
    plan: ReportPlan,
    data: bytes,
    user: AbstractBaseUser | None,
    outcome: ImportOutcome,
    events: list[Event],
    dry_run: bool,
) -> ReportImport:
    counts = {**plan.counts(), **{f"{name}_created": n for name, n in outcome.counts.items()}}
    record = ReportImport(year=plan.year, file_sha256=plan.checksum, imported_by=user, counts=counts)
    if not dry_run:  # files are not transactional: a dry run stores none
        record.file.save(plan.filename or f"report-{plan.year}", ContentFile(data), save=False)
    record.save()
    Event.objects.filter(pk__in=[event.pk for event in events]).update(report_import=record)
    record.partners.add(*outcome.created_partner_ids)
    return record
