"""The dates of the yearly table, written as the Committee's reports write them, in each language's CLDR style.

An event's date leads its line: «3–6 июля», «29 января – 16 февраля», «Июнь», «В течение
года» (the year is left out when it is the report's). An agreement's steps: «20.09.1962»,
«июнь 2017 г.», «1956 г. – установление связей», joined by «; ».
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_skeleton
from django.utils.translation import gettext, override

from core.partial_dates import (
    BABEL_LOCALES,
    PartialDate,
    PartialPeriod,
    Precision,
    format_partial_date,
    format_partial_period,
    format_period_in_year,
)

# The reports write a year alone as «1956 г.», as CLDR's Russian patterns do with a month (yMMMM).
_YEAR_ALONE = {"ru": "{year}\u202fг."}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def event_when(period: PartialPeriod, *, year: int, language: str) -> str:
    """The date an event's line starts with in the report of ``year``."""
    text = format_period_in_year(period, language, year)
    if text is None and period.start.precision == Precision.YEAR and (period.end or period.start).year == year:
        with override(language):
            text = gettext("Throughout the year")
    if text is None:  # ends of different precision: in full
        text = format_partial_period(period, language)
    return capitalised(text)


def milestone_date(value: PartialDate, language: str) -> str:
    """An agreement step's date: the day in figures, the month in words, the year alone."""
    if value.precision == Precision.DAY:
        return format_date(value.first_day, "short" if language == "ru" else "dd/MM/y", locale=_locale(language))
    if value.precision == Precision.MONTH:
        return format_skeleton("yMMMM", value.first_day, locale=_locale(language))
    return _YEAR_ALONE.get(language, "{year}").format(year=value.year)


def milestones_text(days: list[date], precisions: list[int], labels: list[str], language: str) -> str:
    """«1956 г. – установление связей; 20.09.1962» from the arrays ``AgreementQuerySet.for_report`` gives."""
    parts = []
    for day, precision, label in zip(days, precisions, labels, strict=True):
        text = milestone_date(PartialDate.from_db(day, precision), language)
        parts.append(f"{text} – {label}" if label else text)
    return "; ".join(parts)


def data_date(day: date, language: str) -> str:
    return format_partial_date(PartialDate(day.year, day.month, day.day), language)


def _locale(language: str) -> str:
    return BABEL_LOCALES.get(language, language)
