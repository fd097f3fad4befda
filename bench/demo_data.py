"""Synthetic content for benchmarks: N times the seed's volume, reproducible from a seed number.

Never loaded by ``make run``. Every record is marked: names start with «[демо]» /
"[demo]" / "[demo]", slugs with ``demo-`` and events carry a ``demo-…`` source key,
so ``demo_data_delete`` removes exactly them. Rows are written in bulk through
``core.bulk``, which applies what saving each would (history, search index…).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from core.bulk import content_bulk_create
from core.partial_dates import PartialDate, PartialPeriod
from events.models import Event
from partners.models import Agreement, Country, Milestone, Partner
from societies.models import Society

# The seed's volume (fixtures/): one "scale" unit of synthetic data.
SEED_VOLUME = {"partners": 64, "agreements": 74, "events": 231, "societies": 9}
PREFIX = {"ru": "[демо] ", "en": "[demo] ", "vi": "[demo] "}
SLUG_PREFIX = "demo-"
BATCH = 1000
LAST_YEAR = 2026  # fixed, so that a seed number gives the same data in any year

_WORDS_RU = ["визит", "делегация", "выставка", "фестиваль", "форум", "концерт", "память", "дружба", "культура", "наука"]
_WORDS_EN = ["visit", "delegation", "exhibition", "festival", "forum", "concert", "memory", "friendship", "culture"]
_WORDS_VI = ["chuyến thăm", "đoàn", "triển lãm", "lễ hội", "diễn đàn", "hòa nhạc", "hữu nghị", "văn hóa"]


def _texts(field: str, rng: random.Random, n: int, label: dict[str, str], words: int = 0) -> dict[str, str]:
    pools = {"ru": _WORDS_RU, "en": _WORDS_EN, "vi": _WORDS_VI}
    values = {}
    for code, pool in pools.items():
        extra = " ".join(rng.choice(pool) for _ in range(words))
        values[f"{field}_{code}"] = f"{PREFIX[code]}{label[code]} {n} {extra}".strip()
    return values


def _partial(rng: random.Random, year: int) -> PartialDate:
    """A year, a month or a day: all three precisions occur."""
    roll = rng.random()
    if roll < 0.15:
        return PartialDate(year)
    if roll < 0.35:
        return PartialDate(year, rng.randint(1, 12))
    return PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))


def _period(rng: random.Random) -> PartialPeriod:
    start = _partial(rng, rng.randint(2000, LAST_YEAR))
    if start.day is not None and rng.random() < 0.3:  # a range of days «29 января – 16 февраля»
        end_day = start.first_day + datetime.timedelta(days=rng.randint(1, 20))
        return PartialPeriod(start, PartialDate(end_day.year, end_day.month, end_day.day))
    return PartialPeriod(start)


def _partners(rng: random.Random, count: int, countries: list[Country]) -> list[Partner]:
    rows = []
    for n in range(count):
        ties = _partial(rng, rng.randint(1950, 2023)) if rng.random() < 0.8 else None
        names = _texts("name", rng, n, {"ru": "Город", "en": "City", "vi": "Thành phố"})
        rows.append(
            Partner(
                slug=f"{SLUG_PREFIX}partner-{n}",
                country=rng.choice(countries),
                kind=rng.choice(Partner.Kind.values),
                latitude=Decimal(rng.randint(-6000, 7000)) / 100,
                longitude=Decimal(rng.randint(-17000, 17000)) / 100,
                ties_since_on=ties.first_day if ties else None,
                ties_since_precision=ties.precision if ties else None,
                report_years=sorted(rng.sample(range(2015, 2025), 2)),
                **names,
                **_texts("description", rng, n, {"ru": "Описание", "en": "About", "vi": "Giới thiệu"}, words=30),
            )
        )
    return content_bulk_create(rows)


def _agreements(rng: random.Random, count: int, partners: list[Partner]) -> list[Agreement]:
    agreements = content_bulk_create(
        [
            Agreement(
                partner=rng.choice(partners),
                kind=rng.choice(Agreement.Kind.values),
                spb_party=rng.choice(Agreement.Party.values),
                position=n % 5,
                **_texts("title", rng, n, {"ru": "Соглашение", "en": "Agreement", "vi": "Hiệp định"}, words=5),
            )
            for n in range(count)
        ]
    )
    milestones = []
    for agreement in agreements:
        for _ in range(rng.randint(1, 3)):
            date = _partial(rng, rng.randint(1956, 2024))
            milestones.append(Milestone(agreement=agreement, date_on=date.first_day, date_precision=date.precision))
    content_bulk_create(milestones)
    return agreements


def _societies(rng: random.Random, count: int, countries: list[Country]) -> list[Society]:
    societies = content_bulk_create(
        [
            Society(
                slug=f"{SLUG_PREFIX}society-{n}",
                kind=rng.choice(Society.Kind.values),
                founded_year=rng.randint(1950, 2020),
                **_texts("name", rng, n, {"ru": "Общество дружбы", "en": "Friendship society", "vi": "Hội hữu nghị"}),
                **_texts("description", rng, n, {"ru": "Общество", "en": "Society", "vi": "Hội"}, words=20),
            )
            for n in range(count)
        ]
    )
    links = Society.countries.through
    links.objects.bulk_create(
        [
            links(society_id=society.pk, country_id=country.pk)
            for society in societies
            for country in rng.sample(countries, min(len(countries), 2))
        ],
        batch_size=BATCH,
    )
    return societies


def _events(rng: random.Random, count: int, partners: list[Partner], societies: list[Society]) -> list[Event]:
    rows = []
    for n in range(count):
        period = _period(rng)
        rows.append(
            Event(
                source_key=f"{SLUG_PREFIX}event-{n}",
                kind=rng.choice(Event.Kind.values),
                place=rng.choice(Event.Place.values),
                status=Event.Status.SCHEDULED if rng.random() < 0.95 else Event.Status.CANCELLED,
                start_on=period.start.first_day,
                start_precision=period.start.precision,
                end_on=period.end.first_day if period.end else None,
                end_precision=period.end.precision if period.end else None,
                report_year=period.start.year if rng.random() < 0.8 else None,
                **_texts("title", rng, n, {"ru": "Событие", "en": "Event", "vi": "Sự kiện"}, words=6),
                **_texts("description", rng, n, {"ru": "Описание", "en": "Details", "vi": "Chi tiết"}, words=40),
            )
        )
    events = content_bulk_create(rows)
    partner_links, society_links = Event.partners.through, Event.societies.through
    partner_links.objects.bulk_create(
        [
            partner_links(event_id=event.pk, partner_id=partner.pk)
            for event in events
            for partner in rng.sample(partners, rng.randint(1, 2))
        ],
        batch_size=BATCH,
    )
    society_links.objects.bulk_create(
        [
            society_links(event_id=event.pk, society_id=rng.choice(societies).pk)
            for event in events
            if rng.random() < 0.3
        ],
        batch_size=BATCH,
    )
    return events


def demo_data_delete() -> None:
    """Remove every synthetic record, with its history (deleting writes some too) and its search entries."""
    from core.models import SearchEntry

    partner_ids = list(Partner.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True))
    agreement_ids = list(Agreement.objects.filter(partner__in=partner_ids).values_list("pk", flat=True))
    marked = (
        (Event, "event", {"source_key__startswith": SLUG_PREFIX}),
        (Partner, "partner", {"slug__startswith": SLUG_PREFIX}),
        (Society, "society", {"slug__startswith": SLUG_PREFIX}),
    )
    SearchEntry.objects.filter(kind="agreement", object_id__in=agreement_ids).delete()
    for model, kind, lookup in marked:
        queryset = model.objects.filter(**lookup)
        SearchEntry.objects.filter(kind=kind, object_id__in=queryset.values("pk")).delete()
        queryset.delete()
        model.history.filter(**lookup).delete()
    Agreement.history.filter(partner_id__in=partner_ids).delete()
    Milestone.history.filter(agreement_id__in=agreement_ids).delete()


@transaction.atomic
def demo_data_generate(*, scale: int, seed: int = 1) -> dict[str, int]:
    """Replace the synthetic records by ``scale`` times the seed's volume, the same for the same ``seed``."""
    countries = list(Country.objects.order_by("code"))
    if not countries:
        raise ValueError("no countries: load the seed first (manage.py load_seed)")
    rng = random.Random(seed)  # noqa: S311 — reproducible synthetic data, not secrets
    demo_data_delete()
    counts = {name: volume * scale for name, volume in SEED_VOLUME.items()}
    partners = _partners(rng, counts["partners"], countries)
    _agreements(rng, counts["agreements"], partners)
    societies = _societies(rng, counts["societies"], countries)
    _events(rng, counts["events"], partners, societies)
    return counts
