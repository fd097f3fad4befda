"""A year at a glance: the figures behind ``/<lang>/events/<year>/review/``.

Every figure is one aggregate query over the year's published events, whatever their
number: the totals, the partners and countries involved, events by month and region,
the most active partners and the agreements first signed that year. An event counts
once: under the month it starts in (January if it began the year before, «throughout the
year» at year precision) and the first of its partners' regions in the reports' order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import ExtractMonth

from core.partial_dates import PartialDate, Precision
from events.models import Event
from partners.models import Agreement, Milestone, Partner, Region

WHOLE_YEAR = 0  # the "month" of an event dated by its year alone
TOP_PARTNERS = 10
NEW_AGREEMENTS = 20


@dataclass
class YearInReview:
    year: int
    events: int
    incoming: int
    outgoing: int
    partners: int
    countries: int
    regions: list[Region]
    by_month_region: dict[tuple[int, int | None], int]  # (month or WHOLE_YEAR, region id or None) → events
    top_partners: list[Partner]  # each with ``event_count``
    new_agreements: list[Agreement]  # each with ``first_step`` (a PartialDate)
    new_agreement_count: int
    by_region: dict[int | None, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for (_month, region), n in self.by_month_region.items():
            self.by_region[region] = self.by_region.get(region, 0) + n


def year_events(year: int, today: date | None = None) -> QuerySet:
    return Event.objects.published(today).in_year(year)


def _first_region(events: QuerySet) -> Subquery:
    links = Event.partners.through.objects.filter(event=OuterRef("pk"), partner__is_published=True)
    first = links.order_by("partner__country__region__position", "partner__country__region_id")
    return Subquery(first.values("partner__country__region_id")[:1], output_field=IntegerField())


def _month(year: int) -> Case:
    return Case(
        When(start_on__year__lt=year, then=Value(1)),
        When(start_precision=Precision.YEAR, then=Value(WHOLE_YEAR)),
        default=ExtractMonth("start_on"),
        output_field=IntegerField(),
    )


def year_in_review(year: int, today: date | None = None) -> YearInReview | None:
    """The year's figures in a fixed number of queries; ``None`` when no published event falls in it."""
    events = year_events(year, today)
    totals = events.aggregate(
        events=Count("pk"),
        incoming=Count("pk", filter=Q(kind=Event.Kind.INCOMING)),
        outgoing=Count("pk", filter=Q(kind=Event.Kind.OUTGOING)),
    )
    if not totals["events"]:
        return None
    links = Event.partners.through.objects.filter(event__in=events, partner__is_published=True)
    involved = links.aggregate(
        partners=Count("partner", distinct=True), countries=Count("partner__country", distinct=True)
    )
    cells = (
        events.annotate(month=_month(year), region=_first_region(events))
        .order_by()
        .values("month", "region")
        .annotate(n=Count("pk"))
    )
    top = (
        Partner.objects.published()
        .annotate(event_count=Count("events", filter=Q(events__in=events)))
        .filter(event_count__gt=0)
        .select_related("country")
        .order_by("-event_count", "name")[:TOP_PARTNERS]
    )
    first_steps = Milestone.objects.filter(agreement=OuterRef("pk")).order_by("date_on", "pk")
    agreements = (
        Agreement.objects.filter(partner__is_published=True)
        .annotate(first_on=Min("milestones__date_on"))
        .filter(first_on__year=year)
    )
    listed = (
        agreements.annotate(
            first_precision=Subquery(first_steps.values("date_precision")[:1]),
            of_all=Window(Count("pk")),  # how many there are, in the same query
        )
        .select_related("partner__country")
        .order_by("first_on", "pk")[:NEW_AGREEMENTS]
    )
    new_agreements = list(listed)
    for agreement in new_agreements:
        agreement.first_step = PartialDate.from_db(agreement.first_on, agreement.first_precision)
    return YearInReview(
        year=year,
        events=totals["events"],
        incoming=totals["incoming"],
        outgoing=totals["outgoing"],
        partners=involved["partners"],
        countries=involved["countries"],
        regions=list(Region.objects.all()),
        by_month_region={(row["month"], row["region"]): row["n"] for row in cells},
        top_partners=list(top),
        new_agreements=new_agreements,
        new_agreement_count=new_agreements[0].of_all if new_agreements else 0,
    )
