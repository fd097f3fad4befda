from datetime import date

import pytest

from core.partial_dates import PartialDate, PartialPeriod, Precision, format_partial_period

P = PartialDate.parse
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before «г.»
THIN = "\u2009"


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2009", PartialDate(2009), Precision.YEAR),
        ("2017-06", PartialDate(2017, 6), Precision.MONTH),
        ("2011-06-16", PartialDate(2011, 6, 16), Precision.DAY),
        (" 2024-7-3 ", PartialDate(2024, 7, 3), Precision.DAY),
    ],
)
def test_parse(text, expected, precision):
    assert P(text) == expected
    assert P(text).precision == precision


@pytest.mark.parametrize("text", ["", "24", "2024-13", "2024-02-30", "июнь 2017", "2024-06-", "2024/06"])
def test_parse_rejects_bad_input(text):
    with pytest.raises(ValueError):
        P(text)


def test_first_and_last_day_follow_precision():
    assert P("2024").first_day == date(2024, 1, 1)
    assert P("2024").last_day == date(2024, 12, 31)
    assert P("2024-02").last_day == date(2024, 2, 29)
    assert P("2024-02-10").last_day == date(2024, 2, 10)


def test_order_is_chronological_then_coarser_first():
    values = [P("2024-07-03"), P("2024"), P("2023-12-31"), P("2024-07")]
    assert sorted(values) == [P("2023-12-31"), P("2024"), P("2024-07"), P("2024-07-03")]


def test_isoformat_round_trips():
    for text in ["2009", "2017-06", "2011-06-16"]:
        assert P(text).isoformat() == text


def test_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        PartialPeriod(P("2024-07-06"), P("2024-07-03"))
    # a month that contains the start day is a valid end
    assert PartialPeriod(P("2024-07-03"), P("2024-07")).last_day == date(2024, 7, 31)


@pytest.mark.parametrize(
    ("value", "ru", "en", "vi"),
    [
        (
            PartialPeriod(P("2024-07-03"), P("2024-07-06")),
            f"3–6 июля 2024{NNBSP}г.",
            "3–6 July 2024",
            "3–6 tháng 7, 2024",
        ),
        (P("2017-06"), f"июнь 2017{NNBSP}г.", "June 2017", "tháng 6 năm 2017"),
        (P("2009"), "2009", "2009", "2009"),
        (P("2011-06-16"), f"16 июня 2011{NNBSP}г.", "16 June 2011", "16 tháng 6, 2011"),
        (
            PartialPeriod(P("2024-01-29"), P("2024-02-16")),
            f"29 января – 16 февраля 2024{NNBSP}г.",
            f"29 January{THIN}–{THIN}16 February 2024",
            f"29 tháng 1{THIN}–{THIN}16 tháng 2, 2024",
        ),
        (
            PartialPeriod(P("2020-12-28"), P("2021-01-05")),
            f"28 декабря 2020{NNBSP}г. – 5 января 2021{NNBSP}г.",
            f"28 December 2020{THIN}–{THIN}5 January 2021",
            f"28 tháng 12, 2020{THIN}–{THIN}5 tháng 1, 2021",
        ),
        (PartialPeriod(P("2018"), P("2021")), "2018–2021", "2018–2021", "2018–2021"),
    ],
)
def test_render_in_three_languages(value, ru, en, vi):
    assert format_partial_period(value, "ru") == ru
    assert format_partial_period(value, "en") == en
    assert format_partial_period(value, "vi") == vi
