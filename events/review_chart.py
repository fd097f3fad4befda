"""The year-in-review chart: events by month, each bar divided by region, drawn as SVG on the server.

Geometry only: the template draws it. Lengths across are percentages of the chart's width
and text keeps its size, so the chart fits a phone as well as a desktop without a viewBox
that would shrink the labels. Colours follow the regions' order; the legend and a table
give the same figures in words.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from babel.dates import get_month_names
from django.utils.translation import gettext, ngettext

from core.i18n import text_in_language
from core.partial_dates import BABEL_LOCALES
from events.review import WHOLE_YEAR, YearInReview

# Distinguishable for the common colour-vision deficiencies (Okabe–Ito), one per region in the reports' order.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
NO_PARTNER = "#6B6B6B"
ROW_HEIGHT, BAR_HEIGHT, LABEL_SIZE = 44, 16, 14


@dataclass(frozen=True)
class Series:
    region_id: int | None
    code: str  # for the events list's filter ("" for events without a partner)
    label: str
    colour: str
    total: int


@dataclass(frozen=True)
class Segment:
    x: str  # percent, formatted for SVG whatever the language's decimal mark
    width: str
    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Row:
    month: int
    label: str
    total: int
    counts: tuple[int, ...]  # per series, for the table
    segments: tuple[Segment, ...]
    text_y: int
    bar_y: int
    date_from: str
    date_to: str


@dataclass(frozen=True)
class Chart:
    rows: tuple[Row, ...]
    series: tuple[Series, ...]
    height: int
    summary: str


def _percent(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def month_labels(language: str) -> dict[int, str]:
    names = get_month_names("wide", "stand-alone", locale=BABEL_LOCALES.get(language, language))
    return {month: names[month][:1].upper() + names[month][1:] for month in range(1, 13)}


def _series(review: YearInReview, language: str) -> list[Series]:
    series = [
        Series(
            region.pk,
            region.code,
            text_in_language(region, "name", language)[0],
            PALETTE[index % len(PALETTE)],
            review.by_region.get(region.pk, 0),
        )
        for index, region in enumerate(review.regions)
        if review.by_region.get(region.pk)
    ]
    if review.by_region.get(None):
        series.append(Series(None, "", gettext("Without a partner"), NO_PARTNER, review.by_region[None]))
    return series


def _last_day(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def month_chart(review: YearInReview, language: str) -> Chart:
    series = _series(review, language)
    labels = month_labels(language)
    months = ([WHOLE_YEAR] if any(month == WHOLE_YEAR for month, _r in review.by_month_region) else []) + list(
        range(1, 13)
    )
    counts = {month: [review.by_month_region.get((month, s.region_id), 0) for s in series] for month in months}
    widest = max((sum(values) for values in counts.values()), default=0) or 1
    rows = []
    for index, month in enumerate(months):
        top = index * ROW_HEIGHT
        x, segments = 0.0, []
        for one, n in zip(series, counts[month], strict=True):
            if n:
                width = 100 * n / widest
                segments.append(Segment(_percent(x), _percent(width), one.colour, one.label, n))
                x += width
        whole = month == WHOLE_YEAR
        rows.append(
            Row(
                month,
                gettext("Throughout the year") if whole else labels[month],
                sum(counts[month]),
                tuple(counts[month]),
                tuple(segments),
                top + LABEL_SIZE + 2,
                top + LABEL_SIZE + 8,
                "" if whole else f"{review.year}-{month:02d}-01",
                "" if whole else _last_day(review.year, month),
            )
        )
    return Chart(tuple(rows), tuple(series), len(rows) * ROW_HEIGHT, _summary(review, rows, series))


def _summary(review: YearInReview, rows: list[Row], series: list[Series]) -> str:
    busiest = max((row for row in rows if row.month != WHOLE_YEAR), key=lambda row: row.total, default=None)
    parts = [
        ngettext("%(count)s event in %(year)s.", "%(count)s events in %(year)s.", review.events)
        % {"count": review.events, "year": review.year}
    ]
    if busiest and busiest.total:
        parts.append(
            gettext("The busiest month: %(month)s, with %(count)s.") % {"month": busiest.label, "count": busiest.total}
        )
    if series:
        by_region = ", ".join(f"{one.label}: {one.total}" for one in series)
        parts.append(gettext("By region: %(regions)s.") % {"regions": by_region})
    return " ".join(parts)
