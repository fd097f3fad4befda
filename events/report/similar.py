"""Whether an item of a report is already in the portal: the same event or agreement, worded alike.

An imported event is the one already present when it concerns the same country — a
partner of its row, another partner of that country (the reports file a country's events
under its capital or its government alike: the 2024 Minsk rows), or a partner the item
names («визит делегации в Минск») — its dates overlap, and its text says the same. Texts
are compared as the likeliest lemmas of their meaningful words
(``core.morphology.content_lemmas``), so «визит делегации Шанхая» and «Визит делегация из
Шанхая» meet; rapidfuzz's ``token_sort_ratio`` of the two (0–100) must reach
``SIMILAR``. When the two start on the same day, a text contained in the other counts too
(``token_set_ratio``): staff often enter a short title for an event the report tells at
length («Концерт» for «5 августа – концерт …»).

An agreement is already present when one of its partner's agreements has the same title
(worded alike, as above) or is dated on the same days (the reports reword titles).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from rapidfuzz import fuzz

from core.morphology import content_lemmas, lemmas, words
from core.partial_dates import PartialDate, PartialPeriod
from events.models import Event
from partners.matching import PartnerMatcher
from partners.models import Agreement, Partner

SIMILAR = 80  # rapidfuzz's ratio of the lemmas, 0–100


def lemma_text(text: str) -> str:
    return " ".join(content_lemmas(text))


def similarity(one: str, other: str, *, same_start: bool = False) -> float:
    """How alike two lemma texts (``lemma_text``) are, 0–100."""
    score = fuzz.token_sort_ratio(one, other)
    if same_start and one and other:
        score = max(score, fuzz.token_set_ratio(one, other))
    return score


@dataclass
class _Candidate:
    event: Event
    first_day: date
    last_day: date
    lemmas: str


class ExistingEvents:
    """The events of a report's year, read once, that an imported item may already be."""

    def __init__(self, year: int, matcher: PartnerMatcher) -> None:
        self.matcher = matcher
        self.by_key: dict[str, Event] = {}
        self.by_country: dict[int, list[_Candidate]] = defaultdict(list)
        in_year = Q(report_year=year) | Q(start_on__year__lte=year, last_day__year__gte=year)
        partners = Prefetch("partners", queryset=Partner.objects.only("id", "country_id"))
        for event in Event.objects.filter(in_year).prefetch_related(partners).order_by("pk"):
            if event.source_key:
                self.by_key[event.source_key] = event
            text = event.report_text_ru or event.title_ru or ""  # the report's sentence, as printed
            candidate = _Candidate(event, event.start_on, event.last_day, lemma_text(text))
            for country_id in {partner.country_id for partner in event.partners.all()}:
                self.by_country[country_id].append(candidate)

    def find(
        self, key: str, partners: Iterable[Partner], country_ids: Iterable[int], period: PartialPeriod, title: str
    ) -> Event | None:
        """The event already present that the item (its source key, row's partners and country) is, if any."""
        if key in self.by_key:
            return self.by_key[key]
        countries = {*country_ids, *(partner.country_id for partner in partners), *self._named(title)}
        first, last = period.start.first_day, (period.end or period.start).last_day
        text = lemma_text(title)
        best: tuple[float, int] | None = None
        found = None
        for country_id in countries:
            for candidate in self.by_country.get(country_id, ()):
                if candidate.first_day > last or candidate.last_day < first:
                    continue
                same_start = _same_start(candidate.event, period.start)
                score = similarity(text, candidate.lemmas, same_start=same_start)
                rank = (score, -candidate.event.pk)
                if score >= SIMILAR and (best is None or rank > best):
                    best, found = rank, candidate.event
        return found

    def _named(self, title: str) -> set[int]:
        """The countries of the partners a text names by a one-word name: «в Минск» → Belarus."""
        countries = set()
        for word in words(title):
            if word[:1].isupper():
                for form in lemmas(word):
                    countries |= {partner.country_id for partner in self.matcher.anywhere(form)}
        return countries


def _same_start(event: Event, start: PartialDate) -> bool:
    return event.start_on == start.first_day and event.start_precision == start.precision


def similar_agreement(
    agreements: Iterable[Agreement], title: str, dates: list[PartialDate], *, strict: bool = False
) -> Agreement | None:
    """The agreement among ``agreements`` (with their milestones prefetched) that the report's row is.

    One of the partner's own agreements is it when worded alike or dated alike; one of another
    partner of the country (``strict``) only when both (the 2024 Minsk rows hold the
    government's agreement of 2006).
    """
    text = lemma_text(title)
    for agreement in agreements:
        worded = similarity(text, lemma_text(agreement.title_ru or "")) >= SIMILAR
        dated = _dated_alike(dates, [milestone.date for milestone in agreement.milestones.all()])
        if (worded and dated) if strict else (worded or (dated and dates)):
            return agreement
    return None


def _dated_alike(wanted: list[PartialDate], found: list[PartialDate]) -> bool:
    """Each date of the row is one of the agreement's, or contains it or lies in it: «2014» and 16.06.2014."""
    return all(any(_nested(date, other) or _nested(other, date) for other in found) for date in wanted)


def _nested(outer: PartialDate, inner: PartialDate) -> bool:
    return outer.first_day <= inner.first_day and inner.last_day <= outer.last_day
