import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.partial_dates import PartialDate, PartialPeriod
from events.report.dates import DateError, parse_milestones, parse_period, split_lead

GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
NOMINATIVE = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
PREPOSITIONAL = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]

# (expression, expected start, expected end or None); the report's year is 2024.
EXPRESSIONS = [
    ("3-6 июля", "2024-07-03", "2024-07-06"),
    ("3–6 июля", "2024-07-03", "2024-07-06"),
    ("3 - 6 июля", "2024-07-03", "2024-07-06"),
    ("29 января – 16 февраля", "2024-01-29", "2024-02-16"),
    ("28 ноября - 1 декабря", "2024-11-28", "2024-12-01"),
    ("26 апреля-29 сентября", "2024-04-26", "2024-09-29"),
    ("31 июля – 2 августа", "2024-07-31", "2024-08-02"),
    ("26 июня - 4 июля", "2024-06-26", "2024-07-04"),
    ("28 августа — 8 сентября", "2024-08-28", "2024-09-08"),
    ("17 июня", "2024-06-17", None),
    ("1 октября", "2024-10-01", None),
    ("8 августа", "2024-08-08", None),
    ("29 февраля", "2024-02-29", None),
    ("25 октябрь", "2024-10-25", None),  # the report's typo for «октября»
    ("• 1-4 марта", "2024-03-01", "2024-03-04"),
    ("· 14 февраля", "2024-02-14", None),
    ("Июнь", "2024-06", None),
    ("июнь", "2024-06", None),
    ("Май", "2024-05", None),
    ("В ноябре", "2024-11", None),
    ("в мае", "2024-05", None),
    ("Во вторую", None, None),  # not a date
    ("В ноября", "2024-11", None),  # the report's slip for «В ноябре»
    ("Январь-декабрь", "2024-01", "2024-12"),
    ("Январь – март", "2024-01", "2024-03"),
    ("В течение года", "2024", None),
    ("в течение всего года", "2024", None),
    ("В течение 2023 года", "2023", None),
    ("22 декабря 2020 г.", "2020-12-22", None),
    ("22 декабря 2020 года", "2020-12-22", None),
    ("22 декабря 2020", "2020-12-22", None),
    ("июнь 2017 г.", "2017-06", None),
    ("сентябрь 2021 г.", "2021-09", None),
    ("с 3 по 6 июля", "2024-07-03", "2024-07-06"),
    ("3 и 4 июля", "2024-07-03", "2024-07-04"),
    ("28 декабря – 5 января", "2024-12-28", "2025-01-05"),
    ("28 декабря 2023 г. – 5 января 2024 г.", "2023-12-28", "2024-01-05"),
    ("28 декабря – 5 января 2024 г.", "2023-12-28", "2024-01-05"),
    ("Ноябрь – февраль", "2024-11", "2025-02"),
    ("16.06.2011", "2011-06-16", None),
    ("09.12.2005 г.", "2005-12-09", None),
    ("01.02.2024 – 03.02.2024", "2024-02-01", "2024-02-03"),
    ("2024", "2024", None),
    ("2019 г.", "2019", None),
    ("12-15 сентября.", "2024-09-12", "2024-09-15"),
    ("3 спектакля", None, None),
    ("32 мая", None, None),
    ("30 февраля", None, None),
    ("Мартовский", None, None),
    ("", None, None),
]


@pytest.mark.parametrize(("text", "start", "end"), EXPRESSIONS)
def test_date_expressions(text, start, end):
    if start is None:
        with pytest.raises(DateError):
            parse_period(text, year=2024)
        return
    period = parse_period(text, year=2024)
    assert period == PartialPeriod(PartialDate.parse(start), PartialDate.parse(end) if end else None)


def test_there_are_at_least_forty_expressions():
    assert len(EXPRESSIONS) >= 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.06.2011", [("2011-06-16", "")]),
        ("июнь 2017 г.", [("2017-06", "")]),
        ("1956 г. – установление связей", [("1956", "установление связей")]),
        ("2009, 2024", [("2009", ""), ("2024", "")]),
        ("21 ноября 2014", [("2014-11-21", "")]),
        ("18.02.2004, 2011", [("2004-02-18", ""), ("2011", "")]),
        (
            "1956 г. – установление связей; 20.09.1962; 08.06.1993",
            [("1956", "установление связей"), ("1962-09-20", ""), ("1993-06-08", "")],
        ),
    ],
)
def test_milestones(text, expected):
    found = [(milestone.date.isoformat(), milestone.label) for milestone in parse_milestones(text)]
    assert found == expected


@pytest.mark.parametrize("text", ["17 июня", "июнь", "без даты"])
def test_a_milestone_needs_its_year(text):
    with pytest.raises(DateError):
        parse_milestones(text)


@pytest.mark.parametrize(
    ("text", "date", "rest"),
    [
        ("6 декабря - ежегодная конференция", "6 декабря", "ежегодная конференция"),
        ("17-22 мая – прошла Неделя Вьетнама", "17-22 мая", "прошла Неделя Вьетнама"),
        ("В ноября состоялся визит", "В ноября", "состоялся визит"),
        ("Июнь – встреча", "Июнь", "встреча"),
    ],
)
def test_lead_splits_date_from_text(text, date, rest):
    lead = split_lead(text, year=2024)
    assert (lead.date_text, lead.rest) == (date, rest)


def test_text_without_a_date_has_no_lead():
    assert split_lead("Принято решение о создании альянса", year=2024) is None
    assert split_lead("Мартовский фестиваль", year=2024) is None


DASHES = st.sampled_from(["-", "–", " - ", " – ", "—"])
YEARS = st.integers(min_value=1990, max_value=2030)


@st.composite
def day_expressions(draw):
    """A day or a range of days, spelled from its parts; returns (text, default year, expected period)."""
    year = draw(YEARS)
    first = draw(st.dates(min_value=PartialDate(year).first_day, max_value=PartialDate(year).last_day))
    length = draw(st.integers(min_value=0, max_value=40))
    last = first.fromordinal(first.toordinal() + length)
    bullet = draw(st.sampled_from(["", "• "]))
    explicit_year = draw(st.booleans())
    suffix = draw(st.sampled_from([" г.", " года", ""])) if explicit_year else ""
    tail = f" {last.year}{suffix}" if explicit_year or last.year != year else ""
    default = year
    if length == 0:
        text = f"{bullet}{first.day} {GENITIVE[first.month - 1]}{tail}"
        return text, default, PartialPeriod(PartialDate(first.year, first.month, first.day))
    dash = draw(DASHES)
    if first.month == last.month and first.year == last.year:
        text = f"{bullet}{first.day}{dash}{last.day} {GENITIVE[last.month - 1]}{tail}"
    else:
        start_year = f" {first.year}" if first.year != last.year and explicit_year else ""
        start = f"{first.day} {GENITIVE[first.month - 1]}{start_year}"
        text = f"{bullet}{start}{dash}{last.day} {GENITIVE[last.month - 1]}{tail}"
    expected = PartialPeriod(
        PartialDate(first.year, first.month, first.day), PartialDate(last.year, last.month, last.day)
    )
    return text, default, expected


@st.composite
def month_expressions(draw):
    year = draw(YEARS)
    first = draw(st.integers(min_value=1, max_value=12))
    last = draw(st.integers(min_value=first, max_value=12))
    if first == last:
        text = draw(st.sampled_from([NOMINATIVE[first - 1].capitalize(), f"В {PREPOSITIONAL[first - 1]}"]))
        return text, year, PartialPeriod(PartialDate(year, first))
    text = f"{NOMINATIVE[first - 1].capitalize()}{draw(DASHES)}{NOMINATIVE[last - 1]}"
    return text, year, PartialPeriod(PartialDate(year, first), PartialDate(year, last))


@given(st.one_of(day_expressions(), month_expressions()))
def test_parser_reads_what_the_components_say(case):
    text, year, expected = case
    assert parse_period(text, year=year) == expected


@given(st.one_of(day_expressions(), month_expressions()), st.sampled_from([" – визит делегации.", " - визит"]))
def test_a_lead_is_found_before_any_text(case, rest):
    text, year, expected = case
    lead = split_lead(text + rest, year=year)
    assert lead is not None and lead.period == expected
