"""Importing the Committee's yearly report.

The 2024 report (seeds/002, copied to data/report-2024.tsv), counted by hand from the
document itself:

* Partners — 37: one per distinct (country, partner) the rows name, with a blank
  partner cell being the country's government. ЕВРОПА 3 (Республика Сербская,
  Будапешт, Белград); АЗИЯ 17 (Вьетнам: Хошимин, Хайфон, Провинция Дьенбьен, «Хайфон
  и провинция Кханьхоа»; Мумбай; Исфаган; Нампхо; Китай: Сычуань, Пекин, Шанхай,
  Сюхуэй; Синд; Улан-Батор; Бангкок; Стамбул; Пусан; Себу); СНГ 13 (Баку; Ереван;
  Белоруссия's government; Минск — written in the country column; Астана; Алма-Ата;
  Киргизия's government; Ош; Бишкек; Гагаузия; Душанбе; Туркменистан's government;
  Ташкент); АФРИКА 2 (Йоханнесбург, Кейптаун); ЛАТИНСКАЯ АМЕРИКА 2 (Мар-дель-Плата,
  Сантьяго-де-Куба). 3 + 17 + 13 + 2 + 2 = 37.
* Agreements — 41: one per row with a basis-for-cooperation cell, lines 8–66 of the
  file; the three lines that continue a cell broken across lines (39, 52, 59) add no
  agreement. Per region: 3 + 17 + 17 + 2 + 2 = 41 (СНГ: Баку, Ереван, Белоруссия ×2,
  Минск ×2, Астана, Алма-Ата, Киргизия ×2, Ош, Бишкек, Гагаузия, Душанбе,
  Туркменистан ×2, Ташкент). Milestones — 44: one date each, but «2009, 2024» (Себу),
  «1991, 1999» (Душанбе) and «18.02.2004, 2011» (Туркменистан) name two.
* Events — 90: every item of the events column that starts with its date. Per row:
  Сербская 2, Будапешт 1, Белград 1, Хошимин 3, Хайфон 2, Дьенбьен 2, «Хайфон и
  Кханьхоа» 3, Мумбай 7, Исфаган 1, Нампхо 1, Сычуань 2, Пекин 4, Шанхай 5 (including
  «В ноября состоялся визит…»), Синд 1, Улан-Батор 2, Бангкок 1, Стамбул 1, Пусан 2,
  Себу 3, Баку 3, Ереван 1, Белоруссия 1 + 1, Минск 1 + 9, Астана 2, Киргизия 8,
  Гагаузия 1, Душанбе 1, Туркменистан 2, Ташкент 2 + 7, Йоханнесбург 3, Мар-дель-Плата
  1, Сантьяго-де-Куба 3 = 90.
* Items without a date — 8: «Принято решение…» (Себу), «Прорабатывается вопрос…» and
  «Ведется работа…» (Баку), «Осуществлялось взаимодействие…» (Минск), «Делегация
  ознакомилась…» (Киргизия), the «ГБУЗ «Госпиталь…»» tail on line 52, «Ведется
  работа… «Дружба»» (Туркменистан), «Ведется работа… в Ташкенте» (Ташкент).
"""

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, ReportImport
from events.report import ReportError
from events.report.publish import import_publish
from events.report.readers import MAX_BYTES
from events.report.service import report_import, report_preview
from partners.models import Agreement, Milestone, Partner
from tests.events.conftest import REPORT_2024
from tests.events.report_files import as_csv, as_docx, as_tsv, as_xlsx, tsv_rows
from tests.factories import make_event, make_partner

PARTNERS, AGREEMENTS, MILESTONES, EVENTS, UNDATED = 37, 41, 44, 90, 8
PRE_EXISTING_PARTNERS = 4  # report_world: Хошимин, Мумбай, Минск, Астана

pytestmark = pytest.mark.usefixtures("english")


def database_state():
    return (
        Partner.objects.count(),
        Agreement.objects.count(),
        Milestone.objects.count(),
        Event.objects.count(),
        ReportImport.objects.count(),
    )


def import_2024(data=None, **options):
    options.setdefault("create_missing", True)
    data = REPORT_2024.read_bytes() if data is None else data
    return report_import(data=data, filename="report-2024.tsv", year=2024, **options)


def test_the_2024_report_imports_to_the_numbers_counted_by_hand(report_world, django_user_model):
    user = django_user_model.objects.create_user("editor")
    outcome = import_2024(user=user)
    assert outcome.plan.counts() == {
        "partners": PARTNERS,
        "partners_matched": PRE_EXISTING_PARTNERS,
        "partners_new": PARTNERS - PRE_EXISTING_PARTNERS,
        "agreements": AGREEMENTS,
        "agreements_new": AGREEMENTS,
        "events": EVENTS,
        "events_new": EVENTS,
        "items_not_understood": UNDATED,
    }
    assert database_state() == (PARTNERS, AGREEMENTS, MILESTONES, EVENTS, 1)
    record = ReportImport.objects.get()
    assert (record.year, record.imported_by, record.events.count()) == (2024, user, EVENTS)
    assert record.counts["events_created"] == EVENTS and len(record.file_sha256) == 64
    assert Event.objects.filter(report_year=2024, partners__isnull=False).distinct().count() == EVENTS


def test_rows_match_partners_despite_spelling(report_world):
    _countries, partners = report_world
    plan = report_preview(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024)
    matched = {plan.display_name: plan.matched for plan in plan.partners.values() if plan.matched}
    assert matched == {
        "Хошимин": [partners["Хошимин"]],
        "Мумбай (Бомбей)": [partners["Мумбай"]],
        "Минск": [partners["Минск"]],  # written in the country column
        "Астана": [partners["Астана"]],
    }


def test_an_old_spelling_matches_through_the_aliases(report_world):
    _countries, partners = report_world
    rows = [
        ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2020 году"],
        ["Казахстан", "Нур-Султан", "Соглашение о партнёрстве", "2008", "3-6 июля – визит делегации."],
        ["Вьетнам", "г. Хошимин", "", "", "Июнь – встреча."],
    ]
    outcome = report_import(data=as_tsv(rows), filename="r.tsv", year=2020)
    assert outcome.counts == {"partners": 0, "agreements": 1, "events": 2}
    assert [event.start.isoformat() for event in partners["Астана"].events.all()] == ["2020-07-03"]


@pytest.mark.parametrize("write", [as_tsv, as_csv, as_xlsx, as_docx], ids=["tsv", "csv", "xlsx", "docx"])
def test_every_format_gives_the_same_result(report_world, write):
    rows = tsv_rows(REPORT_2024.read_text(encoding="utf-8"))
    outcome = import_2024(write(rows))
    assert outcome.plan.counts()["events"] == EVENTS
    assert database_state() == (PARTNERS, AGREEMENTS, MILESTONES, EVENTS, 1)
    reference = report_preview(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024)
    assert sorted(event.source_key for event in outcome.plan.events) == sorted(e.source_key for e in reference.events)


def test_csv_in_windows_1251_with_semicolons(report_world):
    rows = tsv_rows(REPORT_2024.read_text(encoding="utf-8"))
    outcome = import_2024(as_csv(rows, delimiter=";", encoding="cp1251"))
    assert outcome.counts["events"] == EVENTS


def test_reimporting_creates_nothing_new(report_world):
    import_2024()
    before = database_state()
    again = import_2024()
    assert again.plan.already_imported is not None and again.created_nothing
    # The same content in another file: recognised event by event.
    rows = tsv_rows(REPORT_2024.read_text(encoding="utf-8"))
    other = import_2024(as_xlsx(rows))
    assert other.counts == {"partners": 0, "agreements": 0, "events": 0}
    assert other.plan.counts()["events_new"] == 0
    assert database_state() == before


def test_events_already_present_for_the_year_are_recognised(report_world):
    _countries, partners = report_world
    seeded = make_event(
        partners=[partners["Хошимин"]],
        start="2024-05-17",
        end="2024-05-22",
        report_year=2024,
        source_key="r2024-vn-001",
        title_ru="Прошла Неделя Вьетнама в Санкт-Петербурге с участием делегации из городов-партнеров",
    )
    outcome = import_2024()
    assert outcome.counts["events"] == EVENTS - 1
    assert [plan.existing for plan in outcome.plan.events if plan.existing] == [seeded]
    assert Event.objects.count() == EVENTS


def test_dry_run_writes_nothing(report_world):
    before = database_state()
    outcome = import_2024(dry_run=True)
    assert outcome.counts == {"partners": PARTNERS - PRE_EXISTING_PARTNERS, "agreements": AGREEMENTS, "events": EVENTS}
    assert database_state() == before


def test_unmatched_partners_are_refused_unless_decided(report_world):
    before = database_state()
    with pytest.raises(ReportError, match="match none"):
        import_2024(create_missing=False)
    assert database_state() == before


def test_an_unmatched_partner_can_be_mapped_to_an_existing_one(report_world):
    countries, _partners = report_world
    haiphong = make_partner(country=countries["Вьетнам"], name_ru="Хайфон")
    plan = report_preview(data=REPORT_2024.read_bytes(), filename="r.tsv", year=2024)
    key = next(p.key for p in plan.unmatched if p.name == "Хайфон и провинция Кханьхоа")
    import_2024(decisions={key: haiphong})
    haiphong.refresh_from_db()
    assert "Хайфон и провинция Кханьхоа" in haiphong.aliases and 2024 in haiphong.report_years
    assert Partner.objects.count() == PARTNERS - 1  # «Хайфон» is one partner now


def test_unknown_country_is_refused(report_world):
    rows = [
        ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2024 году"],
        ["Атлантида", "Посейдония", "Соглашение", "2008", "3-6 июля – визит делегации."],
    ]
    with pytest.raises(ReportError, match="No country") as refused:
        import_2024(as_tsv(rows))
    assert (refused.value.row, refused.value.column) == (2, 1)


def _header(*cells):
    return list(cells) or ["Страна", "Город", "Основание", "Год", "Основные мероприятия в 2024 году"]


BAD_FILES = {
    "empty": (b"", "empty"),
    "blank": (b" \n\n\t\n", "empty"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    "binary": (bytes(range(256)) * 4, "binary"),
    "utf-16": ("Страна\tГород".encode("utf-16"), "UTF-16"),
    "encoding": ("Страна\tГород".encode() + b"\x98\x98\xff", "encoding"),
    "not a table": ("Просто текст письма.\nБез таблицы.".encode(), "No header"),
    "zip": (b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
    "wrong layout": (as_tsv([["Страна", "Город", "Основание"], ["Венгрия", "Будапешт", "Соглашение"]]), "five"),
    "six columns": (
        as_tsv([_header(), ["Венгрия", "Будапешт", "Соглашение", "2015", "3 июля – визит", "лишнее"]]),
        "column 6",
    ),
    "header only": (as_tsv([_header()]), "no rows"),
    "stray line": (as_tsv([_header(), ["Просто строка"]]), "not a region"),
    "other year": (
        as_tsv(
            [
                _header("Страна", "Город", "Основание", "Год", "Основные мероприятия в 2023 году"),
                ["Венгрия", "Будапешт", "Соглашение", "2015", "3 июля – визит"],
            ]
        ),
        "2023",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_are_refused_with_the_reason(report_world, name):
    data, reason = BAD_FILES[name]
    before = database_state()
    with pytest.raises(ReportError) as refused:
        import_2024(data)
    assert reason in str(refused.value)
    assert database_state() == before


def test_a_too_large_file_is_refused(report_world):
    before = database_state()
    with pytest.raises(ReportError, match="too large"):
        import_2024(b"a\t" * (MAX_BYTES // 2 + 1))
    assert database_state() == before


def test_command_imports_and_refuses(report_world, capsys):
    with pytest.raises(CommandError, match="match none"):
        call_command("import_report", str(REPORT_2024), year=2024)
    call_command("import_report", str(REPORT_2024), year=2024, create_missing=True, dry_run=True)
    assert "Would import" in capsys.readouterr().out and Event.objects.count() == 0
    call_command("import_report", str(REPORT_2024), year=2024, create_missing=True)
    assert f"events {EVENTS} ({EVENTS} new)" in capsys.readouterr().out
    call_command("import_report", str(REPORT_2024), year=2024)
    assert "already imported" in capsys.readouterr().out
    assert database_state() == (PARTNERS, AGREEMENTS, MILESTONES, EVENTS, 1)


def test_command_refuses_a_bad_file(report_world, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(CommandError, match="PDF"):
        call_command("import_report", str(path), year=2024)


def test_imported_events_are_drafts_found_by_the_site_search_once_published(report_world):
    from core.search import search

    outcome = import_2024()
    assert not Event.objects.filter(is_published=True).exists()
    assert not Partner.objects.filter(pk__in=outcome.created_partner_ids, is_published=True).exists()
    assert "event" not in {group.kind for group in search("Научно-технологического парка", "ru")}
    events = outcome.report_import.events.filter(title_ru__icontains="Научно-технологического парка")
    import_publish(report_import=outcome.report_import, event_ids=[e.pk for e in events], partner_ids=[])
    groups = {group.kind: group for group in search("Научно-технологического парка", "ru")}
    assert groups["event"].count == 1
