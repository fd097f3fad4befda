"""The partnership at a glance: what the records say of a partner over the years, in words and as a chart.

Built from rows the partner page holds anyway (its events, its agreements with their milestones),
so it costs no query. The chart is SVG drawn on the server, geometry here and drawing in
templates/partners/includes/glance.html: lengths across are percentages of the chart's width
and lengths down are pixels, so that it fills a phone or a desktop while its text keeps its size.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext, ngettext

from core.partial_dates import PartialDate, Precision, format_partial_date

# Pixels down the chart: count labels, bars down to the baseline, the row of dated marks, the years.
TOP, BASELINE, MARK_Y, TICK_Y, HEIGHT = 18, 96, 112, 138, 146
# Percent across: the plot leaves room at both sides for the first and the last year's label.
LEFT, RIGHT = 6.0, 94.0
MAX_BAR = 8.0  # percent: a few years' bars stay bars, not slabs
MAX_TICKS = 6  # year labels that fit a 320-pixel chart side by side
COUNTS_UP_TO = 16  # years: up to so many, each bar carries its count
STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def _percent(value: float) -> str:
    """A percentage for an SVG attribute, whatever the page language's decimal mark."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: str  # percent
    width: str  # percent
    centre: str  # percent
    y: int  # pixels
    height: int  # pixels


@dataclass(frozen=True)
class Mark:
    """A dated step on the timeline: an agreement's milestone, or the ties established."""

    kind: str  # "agreement" or "ties"
    date: PartialDate
    text: str  # the date and what happened, in words
    x: str  # percent


@dataclass(frozen=True)
class Tick:
    year: int
    x: str  # percent


@dataclass(frozen=True)
class Chart:
    first_year: int
    last_year: int
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    peak: int
    peak_y: int
    counts_shown: bool
    height: int = HEIGHT
    top: int = TOP
    baseline: int = BASELINE
    mark_y: int = MARK_Y
    tick_y: int = TICK_Y
    left: str = _percent(LEFT)
    right: str = _percent(RIGHT)


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


@dataclass(frozen=True)
class Glance:
    events: int
    agreements: int
    per_year: tuple[YearCount, ...]  # the first to the last year with a recorded event, none left out
    marks: tuple[Mark, ...]
    last_activity_year: int | None
    last_activity_report: int | None  # the Committee's report the latest event comes from, if it does
    chart: Chart | None
    summary: tuple[str, ...]  # the glance in a few phrases, in the active language

    @property
    def has_empty_years(self) -> bool:
        return any(not item.count for item in self.per_year)

    @property
    def ties_marked(self) -> bool:
        """Whether the ties established have a mark of their own on the timeline."""
        return any(mark.kind == "ties" for mark in self.marks)

    @property
    def first_year(self) -> int | None:
        return self.per_year[0].year if self.per_year else None

    @property
    def last_year(self) -> int | None:
        return self.per_year[-1].year if self.per_year else None


def _year_fraction(value: PartialDate) -> float:
    """Where in its year a date falls (0…1): the middle of its month or day, or of the year when only it is known."""
    if value.precision == Precision.YEAR:
        return 0.5
    if value.precision == Precision.MONTH:
        return (value.month - 0.5) / 12
    days = 366 if calendar.isleap(value.year) else 365
    return (value.first_day.timetuple().tm_yday - 0.5) / days


def _ticks(first: int, last: int, slot: float) -> tuple[Tick, ...]:
    """The first and the last year, and round years between them far enough from both to keep apart."""
    span = last - first + 1
    step = next((step for step in STEPS if span / step <= MAX_TICKS - 1), STEPS[-1])
    years = [first]
    for year in range(first - first % step + step, last, step):
        if year - first >= step * 0.6 and last - year >= step * 0.6:
            years.append(year)
    if last != first:
        years.append(last)
    return tuple(Tick(year, _percent(LEFT + slot * (year - first + 0.5))) for year in years)


def year_chart(per_year: Sequence[YearCount], marks: Sequence[tuple[str, PartialDate, str]]) -> Chart | None:
    """Bars of ``per_year`` and ``marks`` (kind, date, text) on one timeline from the earliest to the latest year."""
    years = [item.year for item in per_year] + [when.year for _kind, when, _text in marks]
    if not years:
        return None
    first, last = min(years), max(years)
    slot = (RIGHT - LEFT) / (last - first + 1)
    width = min(slot * 0.7, MAX_BAR)
    peak = max((item.count for item in per_year), default=0)
    plot = BASELINE - TOP
    bars = []
    for item in per_year:
        # A year with no recorded event keeps a sliver on the baseline: a zero, not a gap.
        height = max(round(plot * item.count / peak), 1) if item.count else 2
        centre = LEFT + slot * (item.year - first + 0.5)
        bars.append(
            Bar(
                item.year,
                item.count,
                _percent(centre - width / 2),
                _percent(width),
                _percent(centre),
                BASELINE - height,
                height,
            )
        )
    placed = tuple(
        Mark(kind, when, text, _percent(LEFT + slot * (when.year - first + _year_fraction(when))))
        for kind, when, text in sorted(marks, key=lambda mark: mark[1])
    )
    return Chart(
        first_year=first,
        last_year=last,
        bars=tuple(bars),
        marks=placed,
        ticks=_ticks(first, last, slot),
        peak=peak,
        peak_y=TOP,
        counts_shown=last - first < COUNTS_UP_TO,
    )


def _dated_steps(partner, language: str) -> list[tuple[str, PartialDate, str]]:
    """The ties established and every agreement's milestones, each with its date and what it was, in words."""
    steps = []
    for agreement in partner.agreements.all():
        for milestone in agreement.milestones.all():
            what = milestone.label or agreement.get_kind_display()
            text = f"{format_partial_date(milestone.date, language)}: {what}"
            steps.append(("agreement", milestone.date, text))
    # The ties have a mark of their own unless a milestone of that date stands for them («1956 — установление связей»).
    if partner.ties_since and all(when != partner.ties_since for _kind, when, _text in steps):
        text = gettext("%(date)s: ties established") % {"date": _date(partner, language)}
        steps.append(("ties", partner.ties_since, text))
    return steps


def _date(partner, language: str) -> str:
    return format_partial_date(partner.ties_since, language)


def _summary(partner, glance: Glance, language: str) -> tuple[str, ...]:
    parts = []
    if partner.ties_since:
        parts.append(gettext("ties since %(date)s") % {"date": _date(partner, language)})
    if glance.agreements:
        parts.append(
            ngettext("%(count)s agreement", "%(count)s agreements", glance.agreements) % {"count": glance.agreements}
        )
    else:
        parts.append(gettext("no agreement recorded"))
    if not glance.events:
        parts.append(gettext("no event recorded"))
        return tuple(parts)
    values = {"count": glance.events, "first": glance.first_year, "last": glance.last_year}
    if glance.first_year == glance.last_year:
        parts.append(
            ngettext("%(count)s event recorded in %(last)s", "%(count)s events recorded in %(last)s", glance.events)
            % values
        )
    else:
        parts.append(
            ngettext(
                "%(count)s event recorded in %(first)s–%(last)s",
                "%(count)s events recorded in %(first)s–%(last)s",
                glance.events,
            )
            % values
        )
    parts.append(last_activity_text(glance.last_activity_year, glance.last_activity_report))
    return tuple(parts)


def last_activity_text(year: int, report: int | None) -> str:
    """«last recorded activity: 2020 (Committee report 2020)»: the year, and the report that records it."""
    if report:
        return gettext("last recorded activity: %(year)s (Committee report %(report)s)") % {
            "year": year,
            "report": report,
        }
    return gettext("last recorded activity: %(year)s") % {"year": year}


def partnership_glance(partner, events: Sequence, language: str) -> Glance:
    """The glance at ``partner`` (its agreements and milestones prefetched) from ``events``, its published
    events newest first (each with ``start_on`` and ``report_year``)."""
    counts = Counter(event.start_on.year for event in events)
    per_year = (
        tuple(YearCount(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)) if counts else ()
    )
    latest = max(events, key=lambda event: event.start_on, default=None)
    steps = _dated_steps(partner, language)
    chart = year_chart(per_year, steps)
    glance = Glance(
        events=len(events),
        agreements=len(partner.agreements.all()),
        per_year=per_year,
        marks=chart.marks if chart else (),
        last_activity_year=latest.start_on.year if latest else None,
        last_activity_report=latest.report_year if latest else None,
        chart=chart,
        summary=(),
    )
    return replace(glance, summary=_summary(partner, glance, language))
