"""Partial dates: a year, a year and month, or a full day — and periods of them.

The yearly reports date things as «2009», «июнь 2017 г.», «16.06.2011» or
«29 января – 16 февраля». A partial date keeps exactly what the source says, no
invented day or month. In the database it is stored as two columns: the first day
of the period it names (so it sorts and filters as a date) and its precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from babel import Locale
from babel.dates import DateTimeFormat, format_date, format_skeleton, parse_pattern
from django.db import models
from django.utils.translation import gettext_lazy as _


class Precision(models.IntegerChoices):
    YEAR = 1, _("year")
    MONTH = 2, _("month")
    DAY = 3, _("day")


# The ways a partial date is written: ISO (2017, 2017-06, 2017-06-15) and, as staff
# type it, day.month.year (06.2017, 15.06.2017). Both give (year, month, day).
_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?", re.ASCII)
_DOTTED = re.compile(r"(?:(?P<day>\d{1,2})\.)?(?P<month>\d{1,2})\.(?P<year>\d{4})", re.ASCII)


class NotAPartialDate(ValueError):
    """The text is written neither as a year, nor as a month, nor as a day."""


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day. Orders by its first day, then precision."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        # date() validates the ranges of year, month and day.
        date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``2024``, ``2024-06``, ``2024-06-17``, ``06.2024`` or ``17.06.2024`` (spaces around ignored).

        Raises ``NotAPartialDate`` for text in none of these forms, and a plain ``ValueError``
        for a day or month that does not exist (``2024-13``, ``30.02.2024``).
        """
        text = str(text).strip()
        match = _ISO.fullmatch(text) or _DOTTED.fullmatch(text)
        if not match:
            raise NotAPartialDate(f"not a partial date: {text!r} (expected YYYY, MM.YYYY, DD.MM.YYYY or ISO)")
        parts = match.groupdict()
        return cls(*(int(parts[name]) if parts[name] else None for name in ("year", "month", "day")))

    @classmethod
    def coerce(cls, value: PartialDate | date | str | int | None) -> PartialDate | None:
        """A partial date from what code and data files hold: a ``PartialDate``, a day, text or a year."""
        if value is None or isinstance(value, PartialDate):
            return value
        if isinstance(value, date):  # a datetime is a date too: its day is kept
            return cls(value.year, value.month, value.day)
        return cls.parse(str(value))

    @classmethod
    def from_db(cls, first_day: date | None, precision: int | None) -> PartialDate | None:
        if first_day is None or precision is None:
            return None
        if precision == Precision.YEAR:
            return cls(first_day.year)
        if precision == Precision.MONTH:
            return cls(first_day.year, first_day.month)
        return cls(first_day.year, first_day.month, first_day.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.first_day, self.precision) < (other.first_day, other.precision)

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def short_format(self) -> str:
        """The numeric form staff type: ``1957``, ``06.2017``, ``15.06.2017``."""
        parts = [f"{part:02d}" for part in (self.day, self.month) if part is not None]
        return ".".join([*parts, f"{self.year:04d}"])

    def __str__(self) -> str:
        return self.isoformat()


@dataclass(frozen=True)
class PartialPeriod:
    """A partial date, or a span from one partial date to a later one."""

    start: PartialDate
    end: PartialDate | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end.last_day < self.start.first_day:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def first_day(self) -> date:
        return self.start.first_day

    @property
    def last_day(self) -> date:
        return (self.end or self.start).last_day

    def isoformat(self) -> str:
        return self.start.isoformat() + (f"/{self.end.isoformat()}" if self.end else "")

    def __str__(self) -> str:
        return self.isoformat()


# Locale used to render each interface language: British English writes "3 July 2024".
BABEL_LOCALES = {"ru": "ru", "en": "en_GB", "vi": "vi"}
_SKELETONS = {Precision.DAY: "yMMMd", Precision.MONTH: "yMMMM", Precision.YEAR: "y"}


def _locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


def _wide(pattern: str) -> str:
    """Spell months in full (CLDR's interval data only has the abbreviated ``MMM``)."""
    return re.sub(r"(?<!M)MMM(?!M)", "MMMM", pattern)


def format_partial_date(value: PartialDate, language: str) -> str:
    locale = _locale(language)
    if value.precision == Precision.DAY:
        return format_date(value.first_day, "long", locale=locale)
    if value.precision == Precision.MONTH:
        return format_skeleton("yMMMM", value.first_day, locale=locale)
    return str(value.year)


def format_partial_period(value: PartialPeriod | PartialDate, language: str) -> str:
    """Render in the language's CLDR conventions: «3–6 июля 2024 г.», "June 2017"."""
    if isinstance(value, PartialDate):
        return format_partial_date(value, language)
    start, end = value.start, value.end
    if end is None or end == start:
        return format_partial_date(start, language)
    locale = _locale(language)
    if start.precision != end.precision:
        separator = " – "
        return format_partial_date(start, language) + separator + format_partial_date(end, language)
    skeleton = _SKELETONS[start.precision]
    patterns = locale.interval_formats.get(skeleton, {})
    first, last = start.first_day, end.first_day
    for field in ("y", "M", "d"):
        if field in patterns and DateTimeFormat(first, locale=locale).extract(field) != (
            DateTimeFormat(last, locale=locale).extract(field)
        ):
            text = "".join(
                parse_pattern(_wide(pattern)).apply(day, locale)
                for pattern, day in zip(patterns[field], (first, last), strict=True)
            )
            if field == "d":  # same month: "3–6", never "3 – 6"
                text = re.sub(r"(\d)\s+–\s+(\d)", r"\1–\2", text)
            return text
    return format_partial_date(start, language) + " – " + format_partial_date(end, language)


def _widest(pattern: str) -> str:
    """Months in full, stand-alone or not: ``MMM`` → ``MMMM``, ``LLL`` → ``LLLL``."""
    return re.sub(r"(?<!L)LLL(?!L)", "LLLL", _wide(pattern))


def _in_year_skeleton(precision: Precision, with_year: bool) -> str:
    """The CLDR skeleton whose interval formats write a period of this precision (abbreviated: see ``_widest``)."""
    skeleton = {Precision.DAY: "MMMd", Precision.MONTH: "MMM", Precision.YEAR: "y"}[precision]
    return "y" + skeleton if with_year and precision != Precision.YEAR else skeleton


def _single_in_year(value: PartialDate, locale: Locale, with_year: bool) -> str:
    if with_year or value.precision == Precision.YEAR:
        return format_partial_date(value, str(locale))
    if value.precision == Precision.MONTH:
        return parse_pattern("LLLL").apply(value.first_day, locale)
    return format_skeleton("MMMMd", value.first_day, locale=locale)


def format_period_in_year(value: PartialPeriod, language: str, year: int) -> str | None:
    """A period as a document about ``year`` writes it, in the language's CLDR conventions: without the year
    when the period lies in ``year`` («3–6 июля», «29 января – 16 февраля», «июнь», "3–6 July"), with it when
    it reaches into another year. ``None`` for a period within ``year`` at year precision (the whole year, for
    the caller to put in words), and for a period whose ends differ in precision (the caller writes it in full).
    """
    start, end = value.start, value.end or value.start
    if start.precision != end.precision:
        return None
    if start.precision == Precision.YEAR and start.year == end.year == year:
        return None
    locale = _locale(language)
    with_year = not start.year == end.year == year
    if end == start:
        return _single_in_year(start, locale, with_year)
    skeleton = _in_year_skeleton(start.precision, with_year)
    patterns = locale.interval_formats.get(skeleton, {})
    first, last = start.first_day, end.first_day
    for field in ("y", "M", "d"):
        if field in patterns and DateTimeFormat(first, locale=locale).extract(field) != (
            DateTimeFormat(last, locale=locale).extract(field)
        ):
            text = "".join(
                parse_pattern(_widest(pattern)).apply(day, locale)
                for pattern, day in zip(patterns[field], (first, last), strict=True)
            )
            return re.sub(r"(\d)\s+–\s+(\d)", r"\1–\2", text) if field == "d" else text
    return _single_in_year(start, locale, with_year) + " – " + _single_in_year(end, locale, with_year)
