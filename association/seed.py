"""Loading the seed content of ``fixtures/`` (see its README for the format).

Every record is matched by its natural key (a code, slug or event key) and updated
in place, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from association.models import NewsItem, Page, TimelineEntry
from core.partial_dates import PartialDate
from events.models import Event
from partners.geography import geography_refresh
from partners.matching import PartnerMatcher
from partners.mentions import PartnerMentions
from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region
from societies.models import Society

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class SeedError(ValueError):
    pass


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _texts(prefix: str, value: dict[str, str] | str | None) -> dict[str, str]:
    """``{ru, en, vi}`` → ``{prefix_ru: …, prefix_en: …, prefix_vi: …}``."""
    if value is None:
        value = {}
    if isinstance(value, str):
        value = {"ru": value}
    return {f"{prefix}_{code}": (value.get(code) or "").strip() for code in LANGUAGES}


def _read(name: str) -> Any:
    path = FIXTURES_DIR / name
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.0001"))


def _upsert(model, lookup: dict, values: dict, result: SeedResult, name: str):
    """Create or update one record, saving only when a value differs (so a reload changes nothing)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup)
    _assign(instance, values, result, name)
    return instance


def _assign(instance, values: dict, result: SeedResult, name: str) -> None:
    changed = instance.pk is None
    for attr, value in values.items():
        if changed or getattr(instance, attr) != value:
            setattr(instance, attr, value)
            changed = True
    if changed:
        instance.save()
        result.add(f"{name} written")
    result.add(name)


def _date(value: Any) -> PartialDate:
    """A date as the files write it: 2017, "06.2017", "2017-06", or unquoted 2017-06-15 (a date to YAML)."""
    return PartialDate.coerce(value)


def _load_geography(result: SeedResult) -> None:
    """The reference geography (partners/geography.py: CLDR, GeoNames and geography.yaml), as migrate loads it."""
    counts = geography_refresh()
    result.add("regions", Region.objects.count())
    result.add("countries", Country.objects.count())
    for name in ("regions", "countries"):
        if counts[f"{name} created"] or counts[f"{name} changed"]:
            result.add(f"{name} written", counts[f"{name} created"] + counts[f"{name} changed"])


def _load_partners(data: list, result: SeedResult) -> None:
    countries = {country.code: country for country in Country.objects.all()}
    for item in data:
        ties_since = _date(item["ties_since"]) if item.get("ties_since") else None
        values = {
            **_texts("name", item["name"]),
            **_texts("description", item.get("description")),
            "country": countries[item["country"]],
            "kind": item["kind"],
            "latitude": _decimal(item.get("latitude")),
            "longitude": _decimal(item.get("longitude")),
            "ties_since": ties_since,
            "aliases": [str(alias) for alias in item.get("aliases", [])],
            "report_years": item.get("reports", []),
        }
        partner = _upsert(Partner, {"slug": item["slug"]}, values, result, "partners")
        _sync_statuses(partner, item.get("status", []))
        _sync_agreements(partner, item.get("agreements", []), result)


def _sync_statuses(partner: Partner, items: list) -> None:
    wanted = [(item["status"], _date(item["date"]), _texts("source", item.get("source"))) for item in items]
    existing = [
        (entry.status, entry.date, {f"source_{code}": getattr(entry, f"source_{code}") for code in LANGUAGES})
        for entry in partner.statuses.all()
    ]
    if wanted == existing:
        return
    partner.statuses.all().delete()
    for item in items:
        status = PartnerStatus(partner=partner, status=item["status"], **_texts("source", item.get("source")))
        status.date = _date(item["date"])
        status.save()


def _sync_agreements(partner: Partner, items: list, result: SeedResult) -> None:
    partner.agreements.filter(position__gte=len(items)).delete()
    for position, item in enumerate(items):
        values = {
            "kind": item["kind"],
            "spb_party": item.get("spb_party", Agreement.Party.GOVERNMENT),
            "valid_from_year": _date(item["valid_from"]).year if item.get("valid_from") else None,
            "valid_to_year": _date(item["valid_to"]).year if item.get("valid_to") else None,
            **_texts("title", item["title"]),
        }
        agreement = _upsert(Agreement, {"partner": partner, "position": position}, values, result, "agreements")
        wanted = [(_date(m["date"]), _texts("label", m.get("label"))) for m in item.get("milestones", [])]
        existing = [
            (m.date, {f"label_{c}": getattr(m, f"label_{c}") for c in LANGUAGES}) for m in agreement.milestones.all()
        ]
        if existing != wanted:
            agreement.milestones.all().delete()
            for date, labels in wanted:
                milestone = Milestone(agreement=agreement, **labels)
                milestone.date = date
                milestone.save()
        result.add("milestones", len(wanted))


def _partner(matcher: PartnerMatcher, reference: str) -> Partner:
    """The partner an event names as the reports do: «Вьетнам / г. Хошимин», «Киргизия / »."""
    country_name, _sep, name = reference.partition("/")
    match = matcher.match(country_name.strip(), name.strip())
    if match.country is None:
        raise SeedError(f"unknown country in partner reference {reference!r}")
    if not match.partners:
        raise SeedError(f"no partner matches {reference!r}")
    if len(match.partners) > 1:
        raise SeedError(f"{reference!r} matches several partners: {', '.join(p.slug for p in match.partners)}")
    return match.partners[0]


def _load_events(
    data: list, result: SeedResult, matcher: PartnerMatcher, mentions: PartnerMentions, societies: dict[str, Society]
) -> None:
    """Events by key; each has the partners of its report row (``partners``) and those its Russian text names."""
    for item in data:
        key = item["key"]
        start = _date(item["start"])
        end = _date(item["end"]) if item.get("end") else None
        event = Event.objects.filter(source_key=key).first() or Event(source_key=key)
        report_year = int(key[1:5]) if key.startswith("r") and key[1:5].isdigit() else None
        values = {
            **_texts("title", item["title"]),
            **_texts("report_text", item.get("report_text")),
            **_texts("description", item.get("description")),
            "title_needs_review": False,
            "start": start,
            "end": end,
            "kind": item.get("kind", Event.Kind.OTHER),
            "place": item.get("place", Event.Place.UNKNOWN),
            "status": item.get("status", Event.Status.SCHEDULED),
            "report_year": report_year,
        }
        _assign(event, values, result, "events")
        rows = [_partner(matcher, reference) for reference in item.get("partners", [])]
        named = mentions.named_in(f"{event.report_text_ru or event.title_ru}\n{event.description_ru or ''}")
        event.reported_under.set(rows if report_year else [])
        event.partners.set(list(dict.fromkeys([*rows, *named])))
        event.societies.set([societies[slug] for slug in item.get("societies", [])])
        result.add("event links to partners named in the text", len(set(named) - set(rows)))


def _load_societies(data: list, result: SeedResult) -> None:
    countries = {country.code: country for country in Country.objects.all()}
    for item in data:
        values = {
            "kind": item["kind"],
            "based_abroad": item.get("based_abroad", False),
            "founded_year": _date(item["founded"]).year if item.get("founded") else None,
            **_texts("name", item["name"]),
            **_texts("description", item.get("description")),
        }
        society = _upsert(Society, {"slug": item["slug"]}, values, result, "societies")
        society.countries.set([countries[code] for code in item.get("countries", [])])


def _load_pages(data: list, result: SeedResult) -> None:
    for position, item in enumerate(data, start=1):
        published = _date(item["published"]).first_day if item.get("published") else datetime.date(2014, 1, 1)
        values = {
            "position": position,
            "published_on": published,
            **_texts("title", item["title"]),
            **_texts("summary", item.get("summary")),
            **_texts("body", item.get("body")),
        }
        page = _upsert(Page, {"slug": item["slug"]}, values, result, "pages")
        wanted = [(int(str(entry["year"])[:4]), _texts("label", entry["label"])) for entry in item.get("timeline", [])]
        existing = [
            (entry.year, {f"label_{code}": getattr(entry, f"label_{code}") for code in LANGUAGES})
            for entry in page.timeline.all()
        ]
        if wanted != existing:
            page.timeline.all().delete()
            for year, labels in wanted:
                TimelineEntry.objects.create(page=page, year=year, **labels)


def _load_news(data: list, result: SeedResult) -> None:
    for item in data:
        values = {
            "published": _date(item["published"]),
            "original_language": item.get("original_language", "ru"),
            "source_name": item.get("source_name", ""),
            **_texts("title", item["title"]),
            **_texts("summary", item.get("summary")),
            **_texts("body", item.get("body")),
        }
        _upsert(NewsItem, {"slug": item["slug"]}, values, result, "news")


@transaction.atomic
def seed_load() -> SeedResult:
    """Load every fixture file; all or nothing."""
    result = SeedResult()
    _load_geography(result)
    _load_partners(_read("partners.yaml") or [], result)
    _load_societies(_read("societies.yaml") or [], result)
    matcher, mentions = PartnerMatcher(), PartnerMentions()
    societies = {society.slug: society for society in Society.objects.all()}
    for path in sorted(FIXTURES_DIR.glob("events-*.yaml")):
        _load_events(_read(path.name) or [], result, matcher, mentions, societies)
    _load_pages(_read("pages.yaml") or [], result)
    _load_news(_read("news.yaml") or [], result)
    return result
