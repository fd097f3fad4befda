"""Every form in which the two yearly reports (seeds/001 for 2020, seeds/002 for 2024) lead an item with its
date, and the forms the Committee also writes, read from a whole events cell: one row per form.

Each case is a cell as the report prints it (the report's year is the default year) and the
items expected from it: the period (ISO start, end or None) and the beginning of the title,
or None for an item without a date.
"""

import pytest

from core.partial_dates import PartialDate, PartialPeriod
from events.report.items import parse_items

FORMS = [
    # --- the 2024 report (seeds/002) ---
    ("a day", 2024, "10 октября – визит Министра внешних экономических связей", [("2024-10-10", None, "Визит")]),
    ("days of a month", 2024, "3-6 июля – визит делегации", [("2024-07-03", "2024-07-06", "Визит")]),
    (
        "days across months",
        2024,
        "29 января – 16 февраля – в Санкт-Петербурге проведен комплекс мероприятий",
        [("2024-01-29", "2024-02-16", "В Санкт-Петербурге")],
    ),
    (
        "days across months, unspaced",
        2024,
        "26 апреля-29 сентября – выставка",
        [("2024-04-26", "2024-09-29", "Выставка")],
    ),
    ("a hyphen for the dash", 2024, "28 ноября - 1 декабря – визит", [("2024-11-28", "2024-12-01", "Визит")]),
    (
        "a month in the nominative after a day",
        2024,
        "25 октябрь – организация Совета",
        [("2024-10-25", None, "Организация")],
    ),
    ("a month alone", 2024, "Июнь – встреча между гимназией и институтом", [("2024-06", None, "Встреча")]),
    (
        "«В ноября» run on after a sentence",
        2024,
        "1 октября – торжественное мероприятие. В ноября состоялся визит делегации",
        [("2024-10-01", None, "Торжественное"), ("2024-11", None, "Состоялся")],
    ),
    (
        "items run together",
        2024,
        "27-30 июля – визит делегации ВМС Индии. 21-24 августа – визит делегации Санкт-Петербурга в Индию.",
        [("2024-07-27", "2024-07-30", "Визит делегации ВМС"), ("2024-08-21", "2024-08-24", "Визит делегации Санкт")],
    ),
    (
        "paragraphs, and one without a date",
        2024,
        "<p>4 июня – состоялся визит.</p> <p>18-27 августа – визит.</p> <p>Принято решение о создании Альянса.</p>",
        [("2024-06-04", None, "Состоялся"), ("2024-08-18", "2024-08-27", "Визит"), (None, None, "Принято")],
    ),
    # --- the 2020 report (seeds/001) ---
    ("a day with its year", 2020, "20 ноября 2020 года – ВКС между учреждениями", [("2020-11-20", None, "ВКС")]),
    ("a day with «г.»", 2020, "22 декабря 2020 г. – торжественная церемония", [("2020-12-22", None, "Торжественная")]),
    ("a bullet", 2020, "•1-4 марта – рабочий визит в Бишкек", [("2020-03-01", "2020-03-04", "Рабочий")]),
    ("a dash against the date", 2020, "8 октября– онлайн-встреча", [("2020-10-08", None, "Онлайн-встреча")]),
    (
        "«В период с … по …»",
        2020,
        "В период с 23 сентября по 11 декабря – цикл из 12 тематических вебинаров",
        [("2020-09-23", "2020-12-11", "Цикл")],
    ),
    ("«В течение года»", 2020, "В течение года проведены видеоконференции", [("2020", None, "Проведены")]),
    (
        "«В сентябре» after a sentence",
        2020,
        "В течение года проведены видеоконференции. В сентябре от имени Губернатора передано оборудование.",
        [("2020", None, "Проведены"), ("2020-09", None, "От имени")],
    ),
    (
        "«В 2020 г.» leading its paragraph",
        2020,
        "<p>В сентябре передано оборудование.</p><p>В 2020 г. подписаны: План мероприятий «Дорожная карта»</p>",
        [("2020-09", None, "Передано"), ("2020", None, "Подписаны")],
    ),
    (
        "«В 2019 г.» after a sentence goes on telling",
        2020,
        "20 ноября – конференция, участвующие в проекте в 2020 г. В 2019 г. в проекте было представлено творчество.",
        [("2020-11-20", None, "Конференция, участвующие в проекте в 2020 г. В 2019 г. в проекте")],
    ),
    # --- the other forms of the Committee's tables ---
    ("«с … по …» days", 2024, "с 3 по 6 июля – визит делегации", [("2024-07-03", "2024-07-06", "Визит")]),
    ("«с … по …» months", 2024, "С сентября по декабрь – курсы русского языка", [("2024-09", "2024-12", "Курсы")]),
    ("«до …» a day", 2024, "До 15 декабря – приём заявок на конкурс", [("2024", "2024-12-15", "Приём")]),
    ("«до …» a month", 2024, "до декабря – работа выставки", [("2024", "2024-12", "Работа")]),
    ("«в течение …» a month", 2024, "В течение марта – выставка рисунков", [("2024-03", None, "Выставка")]),
    ("«в течение …» months", 2024, "В течение марта – мая – выставка", [("2024-03", "2024-05", "Выставка")]),
    ("«в течение … года»", 2024, "В течение 2023 года – обмен делегациями", [("2023", None, "Обмен")]),
    (
        "a leading bare year: an item of its own",
        2024,
        "13-15 ноября – визит в Минск делегации. 2025 – открытие памятника в Ташкенте.",
        [("2024-11-13", "2024-11-15", "Визит"), ("2025", None, "Открытие")],
    ),
    (
        "a bare year in its own paragraph",
        2024,
        "<p>5 мая – визит.</p><p>2025 г. – форум.</p>",
        [("2024-05-05", None, "Визит"), ("2025", None, "Форум")],
    ),
    (
        "a year range inside a sentence stays in it",
        2024,
        "17-19 сентября – визит. Подписан План на 2024-2028 годы.",
        [("2024-09-17", "2024-09-19", "Визит. Подписан План на 2024-2028 годы")],
    ),
]


@pytest.mark.parametrize(("form", "year", "cell", "expected"), FORMS, ids=[form for form, *_rest in FORMS])
def test_every_form_of_the_reports(form, year, cell, expected):
    items = parse_items(cell, year=year)
    found = []
    for item, (start, end, title) in zip(items, expected, strict=False):
        period = PartialPeriod(PartialDate.parse(start), PartialDate.parse(end) if end else None) if start else None
        found.append((item.period, (item.title or item.text).startswith(title)))
        assert (item.period, item.title or item.text) == (period, item.title or item.text)
        assert (item.title or item.text).startswith(title), (form, item)
    assert len(items) == len(expected), (form, [item.text for item in items])
