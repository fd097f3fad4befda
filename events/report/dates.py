"""Russian date expressions of the yearly report → partial dates and periods.

Event cells lead with «3-6 июля», «29 января – 16 февраля», «Июнь», «В ноябре»,
«Январь-декабрь», «В течение года», «22 декабря 2020 г.», «В период с 23 сентября по
11 декабря», «с сентября по декабрь», «в течение марта», «до 15 декабря» (from the year's
start: the report names no first day), «В 2020 г.», or a bare year followed by a dash
(«2025 – …», an item of that year); the report's year is the default. Agreement cells
date milestones as «16.06.2011», «июнь 2017 г.»,
«1956 г. – установление связей», «2009, 2024», «21 ноября 2014».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.partial_dates import PartialDate, PartialPeriod

# The month in any case: «июнь», «июня», «июне»; after a day every case is accepted,
# since the report writes «25 октябрь» for «25 октября».
_MONTHS = (
    ("январ(?:ь|я|е)", 1),
    ("феврал(?:ь|я|е)", 2),
    ("март(?:а|е)?", 3),
    ("апрел(?:ь|я|е)", 4),
    ("ма(?:й|я|е)", 5),
    ("июн(?:ь|я|е)", 6),
    ("июл(?:ь|я|е)", 7),
    ("август(?:а|е)?", 8),
    ("сентябр(?:ь|я|е)", 9),
    ("октябр(?:ь|я|е)", 10),
    ("ноябр(?:ь|я|е)", 11),
    ("декабр(?:ь|я|е)", 12),
)
MONTH = r"(?:" + "|".join(pattern for pattern, _n in _MONTHS) + r")(?![а-яё])"
DASH = r"\s*[-–—]\s*"
YEAR = r"(?:\s+(?P<{name}>\d{{4}})(?:\s*(?:г\.|года|год|г\b))?)?"

_DAY_RANGE = re.compile(
    rf"^(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{MONTH}){YEAR.format(name='y1')})?"
    rf"(?:(?:{DASH}|\s+по\s+|\s+и\s+)(?P<d2>\d{{1,2}}))?\s+(?P<m2>{MONTH}){YEAR.format(name='y2')}$",
    re.IGNORECASE,
)
_MONTH_RANGE = re.compile(
    rf"^(?:в\s+|во\s+)?(?P<m1>{MONTH}){YEAR.format(name='y1')}"
    rf"(?:(?:{DASH}|\s+по\s+)(?P<m2>{MONTH}){YEAR.format(name='y2')})?$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"^(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})\.(?P<y1>\d{4})(?:\s*г\.?)?"
    r"(?:\s*[-–—]\s*(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})(?:\s*г\.?)?)?$"
)
_WHOLE_YEAR = re.compile(
    r"^(?:в\s+течение\s+(?:всего\s+)?(?:(?P<y>\d{4})\s+)?года|(?:в\s+)?(?P<y2>\d{4})(?:\s*(?:г\.?|год|году|года))?)$",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(r"^(?P<y1>\d{4})(?:\s*[-–—]\s*|\s+по\s+)(?P<y2>\d{4})(?:\s*(?:гг?\.?|годы|года?))?$")
# «В период с 23 сентября по 11 декабря», «с 3 по 6 июля», «в течение марта»: the words before the dates.
_PREFIX = re.compile(
    r"^(?:в\s+течение\s+(?!(?:всего\s+)?(?:\d{4}\s+)?года$)|(?:в\s+период\s+)?с\s+|в\s+период\s+)", re.IGNORECASE
)
_UNTIL = re.compile(r"^до\s+(?P<rest>.+)$", re.IGNORECASE)
_END_OF_YEAR = re.compile(r"^конца\s+(?:(?P<y>\d{4})\s+)?года$", re.IGNORECASE)


class DateError(ValueError):
    """A text that reads like a date but names none."""


def month_number(word: str) -> int:
    word = word.lower().replace("ё", "е")
    for pattern, number in _MONTHS:
        if re.fullmatch(pattern, word):
            return number
    raise DateError(f"not a month: {word!r}")


def _clean(text: str) -> str:
    text = text.replace("\xa0", " ").strip()
    text = re.sub(r"^[•·▪◦●*]\s*", "", text)  # a bullet
    text = " ".join(text.split()).rstrip(" .,:;")
    if not _WHOLE_YEAR.match(text):
        text = _PREFIX.sub("", text, count=1)
    return text


def parse_period(text: str, *, year: int | None) -> PartialPeriod:
    """Parse one date expression; ``year`` (the report's year) fills in a missing year."""
    try:
        return _parse(_clean(text), year)
    except ValueError as error:
        raise DateError(f"not a date: {text!r} ({error})") from None


def _int(match: re.Match, name: str) -> int | None:
    return int(match[name]) if match[name] else None


def _years(match: re.Match, default: int | None) -> tuple[int, int, bool | None]:
    """Start and end year, and which side to move if the period would run backwards.

    «28 декабря – 5 января» runs into the next year; «28 декабря – 5 января 2025 г.»
    starts in the previous one.
    """
    y1, y2 = _int(match, "y1"), _int(match, "y2")
    if y1 is None and y2 is None and default is None:
        raise DateError("the year is missing")
    start = y1 or y2 or default
    end = y2 or y1 or default
    move_start = None if y1 and y2 else y1 is None and y2 is not None
    return start, end, move_start


def _span(start: PartialDate, end: PartialDate | None, move_start: bool | None) -> PartialPeriod:
    if end is None or end == start:
        return PartialPeriod(start)
    if end.last_day < start.first_day and move_start is not None:
        if move_start:
            start = PartialDate(start.year - 1, start.month, start.day)
        else:
            end = PartialDate(end.year + 1, end.month, end.day)
    return PartialPeriod(start, end)


def _parse(expr: str, year: int | None) -> PartialPeriod:
    if match := _UNTIL.match(expr):
        return _until(_clean(match["rest"]), year)
    if match := _YEAR_RANGE.match(expr):
        return _span(PartialDate(int(match["y1"])), PartialDate(int(match["y2"])), None)
    if match := _WHOLE_YEAR.match(expr):
        found = match["y"] or match["y2"] or year
        if found is None:
            raise DateError("the year is missing")
        return PartialPeriod(PartialDate(int(found)))
    if match := _NUMERIC.match(expr):
        start = PartialDate(int(match["y1"]), int(match["m1"]), int(match["d1"]))
        end = PartialDate(int(match["y2"]), int(match["m2"]), int(match["d2"])) if match["d2"] else None
        return _span(start, end, None)
    if match := _DAY_RANGE.match(expr):
        start_year, end_year, move_start = _years(match, year)
        end_month = month_number(match["m2"])
        if match["d2"] is None:
            return PartialPeriod(PartialDate(end_year, end_month, int(match["d1"])))
        start_month = month_number(match["m1"]) if match["m1"] else end_month
        start = PartialDate(start_year, start_month, int(match["d1"]))
        return _span(start, PartialDate(end_year, end_month, int(match["d2"])), move_start)
    if match := _MONTH_RANGE.match(expr):
        start_year, end_year, move_start = _years(match, year)
        start = PartialDate(start_year, month_number(match["m1"]))
        end = PartialDate(end_year, month_number(match["m2"])) if match["m2"] else None
        return _span(start, end, move_start)
    raise DateError("no known pattern")


def _until(expr: str, year: int | None) -> PartialPeriod:
    """«до 15 декабря»: from the year (no first day is named) to that day; «до конца года»: the year."""
    if match := _END_OF_YEAR.match(expr):
        found = match["y"] or year
        if found is None:
            raise DateError("the year is missing")
        return PartialPeriod(PartialDate(int(found)))
    end = _parse(expr, year)
    last = end.end or end.start
    return _span(PartialDate(last.year), last, None)


# --- leads: where an item of an event cell starts with its date ----------------------

_DAY_EXPR = (
    rf"(?:в\s+период\s+)?(?:с\s+)?\d{{1,2}}(?:\s+{MONTH}(?:\s+\d{{4}}(?:\s*г\.)?)?)?"
    rf"(?:(?:{DASH}|\s+по\s+|\s+и\s+)\d{{1,2}})?\s+{MONTH}(?:\s+\d{{4}}(?:\s*(?:г\.|года|г\b))?)?"
)
_MONTH_EXPR = (
    rf"(?:(?:В|в|Во|во)\s+(?:течение\s+)?|(?:в\s+период\s+)?с\s+)?{MONTH}(?:\s+\d{{4}}(?:\s*г\.)?)?"
    rf"(?:(?:{DASH}|\s+по\s+){MONTH}(?:\s+\d{{4}}(?:\s*г\.)?)?)?"
)
_YEAR_EXPR = (
    r"[Вв]\s+течение\s+(?:всего\s+)?(?:\d{4}\s+)?года"
    r"|[Вв]\s+\d{4}\s*(?:г\.|году)"
    r"|\d{4}(?:\s*г\.)?(?=\s*[-–—]\s*\D)"  # a bare year followed by a dash: «2025 – …»
)
_UNTIL_EXPR = (
    rf"[Дд]о\s+(?:конца\s+(?:\d{{4}}\s+)?года|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}}(?:\s*(?:г\.|года))?)?"
    rf"|{MONTH}(?:\s+\d{{4}}(?:\s*г\.)?)?)"
)
_NUM_EXPR = r"\d{1,2}\.\d{1,2}\.\d{4}(?:\s*г\.)?(?:\s*[-–—]\s*\d{1,2}\.\d{1,2}\.\d{4}(?:\s*г\.)?)?"
LEAD_SEPARATOR = r"\s*(?:[-–—:]\s+|[-–—:](?=\S)|,\s+|\s+(?=\S))"
_LEAD = re.compile(
    rf"^[•·▪◦●*]?\s*(?P<date>{_NUM_EXPR}|{_DAY_EXPR}|{_YEAR_EXPR}|{_UNTIL_EXPR}|{_MONTH_EXPR})"
    rf"(?P<sep>{LEAD_SEPARATOR}|\s*$)",
    re.IGNORECASE,
)
# Where a new item may start in the middle of running text: a sentence ends, then a
# date follows that is itself followed by a dash («… России. 21-24 августа – визит»,
# «… в Минске. 2025 – …»), or a capitalised «В ноябре» / month name, «В период с …». Not
# «В 2019 г.»: after a sentence it goes on telling («… в 2020 г. В 2019 г. в проекте было…»).
ITEM_START = re.compile(
    rf"(?<=[.!?»)\"…])\s+(?=[•·▪◦●]?\s*(?:"
    rf"(?:{_NUM_EXPR}|{_DAY_EXPR}|{_UNTIL_EXPR}){DASH}\S"
    rf"|\d{{4}}(?:\s*г\.)?{DASH}(?!\d)\S"
    rf"|(?-i:Во?)\s+{MONTH}(?!\s+\d{{4}})"
    rf"|(?=(?-i:[А-ЯЁ])){MONTH}(?:{DASH}{MONTH})?{DASH}\S"
    rf"|(?-i:В)\s+течение\s+года))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lead:
    period: PartialPeriod
    date_text: str
    rest: str


def split_lead(text: str, *, year: int) -> Lead | None:
    """The date an item starts with and the text after it, or ``None`` if undated."""
    match = _LEAD.match(text.strip())
    if not match:
        return None
    try:
        period = parse_period(match["date"], year=year)
    except DateError:
        return None
    rest = text.strip()[match.end() :].strip()
    rest = re.sub(r"^[-–—:]\s*", "", rest)
    return Lead(period, match["date"].strip(), rest)


# --- milestones of an agreement --------------------------------------------------------

_MILESTONE_LABEL = re.compile(rf"^(?P<date>.+?){DASH}(?P<label>[^\d].*)$")


@dataclass(frozen=True)
class Milestone:
    date: PartialDate
    label: str = ""


def parse_milestones(text: str) -> list[Milestone]:
    """«1956 г. – установление связей; 20.09.1962», «2009, 2024», «июнь 2017 г.»."""
    milestones = []
    for piece in re.split(r"\s*[;,]\s*|\s+и\s+", text.strip()):
        if not piece.strip():
            continue
        label = ""
        if match := _MILESTONE_LABEL.match(piece):
            piece, label = match["date"], match["label"].strip()
        period = parse_period(piece, year=None)
        if period.end is not None:
            raise DateError(f"not a milestone date: {piece!r} (a period, not a date)")
        milestones.append(Milestone(period.start, label))
    return milestones
