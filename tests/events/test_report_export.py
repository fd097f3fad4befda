"""The generated yearly table, opened as staff open it: python-docx and openpyxl read the files.

A small world from the factories: Europe and Asia (Asia created first, Europe first in
the reports' order), Manchester with two agreements of three steps, Hanoi with events of
a range, a month and the whole year, Turku with nothing in 2024.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from events.report.export.service import yearly_report
from events.report.readers import read_table
from tests.factories import make_agreement, make_country, make_event, make_milestone, make_partner, make_region

AS_OF = date(2025, 3, 14)


def names(ru, en, vi, field="name"):
    return {f"{field}_ru": ru, f"{field}_en": en, f"{field}_vi": vi}


@pytest.fixture
def world(db):
    asia = make_region(code="asia", position=1, **names("Азия", "Asia", "Châu Á"))
    europe = make_region(code="europe", position=0, **names("Европа", "Europe", "Châu Âu"))
    vietnam = make_country(code="VN", region=asia, **names("Вьетнам", "Vietnam", "Việt Nam"))
    britain = make_country(code="GB", region=europe, **names("Великобритания", "United Kingdom", "Vương quốc Anh"))
    finland = make_country(code="FI", region=europe, **names("Финляндия", "Finland", "Phần Lan"))
    manchester = make_partner(country=britain, **names("Манчестер", "Manchester", "Manchester"))
    friendship = make_agreement(
        manchester,
        position=0,
        **names("Соглашение о дружественных связях", "Agreement on friendly ties", "Thỏa thuận hữu nghị", "title"),
    )
    make_milestone(friendship, "1956", **names("установление связей", "ties established", "thiết lập quan hệ", "label"))
    make_milestone(friendship, "1962-09-20")
    cities = make_agreement(
        manchester,
        position=1,
        **names("Соглашение между городами", "Agreement between the cities", "Thỏa thuận giữa hai thành phố", "title"),
    )
    make_milestone(cities, "1993-06-08")
    hanoi = make_partner(country=vietnam, **names("Ханой", "Hanoi", "Hà Nội"))
    make_milestone(make_agreement(hanoi), "2017-06")
    turku = make_partner(country=finland, **names("Турку", "Turku", "Turku"))
    make_milestone(make_agreement(turku), "1953")
    make_event(
        partners=[hanoi],
        start="2024-07-03",
        end="2024-07-06",
        **names("дни Ханоя.", "Days of Hanoi.", "Những ngày Hà Nội.", "title"),
    )
    make_event(partners=[hanoi], start="2024-06", **names("выставка.", "Exhibition.", "Triển lãm.", "title"))
    make_event(
        partners=[hanoi],
        start="2024",
        **names("обмен студентами.", "Student exchange.", "Trao đổi sinh viên.", "title"),
    )
    make_event(
        partners=[hanoi],
        start="2023-05-10",
        **names("визит 2023 года.", "Visit of 2023.", "Chuyến thăm 2023.", "title"),
    )
    make_event(partners=[manchester], start="2024-09-03", title_ru="открытие памятника.", title_en="", title_vi="")
    return locals()


def generate(file_format, language, year=2024, **options) -> bytes:
    out = io.BytesIO()
    yearly_report(year=year, language=language, file_format=file_format, out=out, as_of=AS_OF, **options)
    return out.getvalue()


def docx_rows(data: bytes) -> list[list[str]]:
    """The table's rows, a cell spanning rows giving its text in each (python-docx's reading)."""
    table = Document(io.BytesIO(data)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The rows from the header on; merged cells give their text in each, as a reader sees them."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in sheet.iter_rows(merged.min_row, merged.max_row, merged.min_col, merged.max_col):
            for cell in row:
                cell.value = value
    rows = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    header = next(index for index, row in enumerate(rows) if len(set(row)) == 5)
    return rows[header:]


READERS = {"docx": docx_rows, "xlsx": xlsx_rows}
HEADERS = {
    "ru": [
        "Страна",
        "Город",
        "Основание для сотрудничества",
        "Год установления связей/ подписания документа",
        "Основные мероприятия в 2024 году",
    ],
    "en": [
        "Country",
        "City",
        "Basis for cooperation",
        "Year ties were established / document signed",
        "Main events in 2024",
    ],
    "vi": [
        "Quốc gia",
        "Thành phố",
        "Cơ sở hợp tác",
        "Năm thiết lập quan hệ / ký văn bản",
        "Các sự kiện chính năm 2024",
    ],
}
REGIONS = {"ru": ["ЕВРОПА", "АЗИЯ"], "en": ["EUROPE", "ASIA"], "vi": ["CHÂU ÂU", "CHÂU Á"]}
MANCHESTER_STEPS = {
    "ru": ["1956\u202fг. – установление связей; 20.09.1962", "08.06.1993"],  # CLDR's narrow space before «г.»
    "en": ["1956 – ties established; 20/09/1962", "08/06/1993"],
    "vi": ["1956 – thiết lập quan hệ; 20/09/1962", "08/06/1993"],
}
HANOI_EVENTS = {
    "ru": ["В течение года – обмен студентами.", "Июнь – выставка.", "3–6 июля – дни Ханоя."],
    "en": ["Throughout the year – Student exchange.", "June – Exhibition.", "3–6 July – Days of Hanoi."],
    "vi": ["Trong suốt cả năm – Trao đổi sinh viên.", "Tháng 6 – Triển lãm.", "3–6 tháng 7 – Những ngày Hà Nội."],
}
MANCHESTER_EVENT = {
    "ru": "3 сентября – открытие памятника.",
    "en": "3 September – открытие памятника. [RU]",
    "vi": "3 tháng 9 – открытие памятника. [RU]",
}


@pytest.mark.parametrize("file_format", ["docx", "xlsx"])
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_the_table_in_each_language(world, file_format, language):
    rows = READERS[file_format](generate(file_format, language))
    assert rows[0] == HEADERS[language]
    regions = [row[0] for row in rows[1:] if len(set(row)) == 1]
    assert regions == REGIONS[language]  # the reports' order, not the order of creation
    by_city = {}
    for row in rows[1:]:
        if len(set(row)) > 1:
            by_city.setdefault(row[1], []).append(row)
    manchester = by_city[
        world["manchester"].name if language == "ru" else getattr(world["manchester"], f"name_{language}")
    ]
    assert [row[3] for row in manchester] == MANCHESTER_STEPS[language]
    assert manchester[0][4].splitlines() == [MANCHESTER_EVENT[language]]
    hanoi = by_city[getattr(world["hanoi"], f"name_{language}")]
    assert hanoi[0][4].splitlines() == HANOI_EVENTS[language]
    assert "2023" not in hanoi[0][4]
    turku = by_city[getattr(world["turku"], f"name_{language}")]  # no event in 2024, but an agreement
    assert turku[0][4] == ""
    # The partners in the reports' order: Europe (United Kingdom before Finland in Russian only) then Asia.
    assert rows[-1][1] == getattr(world["hanoi"], f"name_{language}")


def test_the_word_document_has_its_title_data_date_repeated_header_page_numbers_and_marks(world):
    document = Document(io.BytesIO(generate("docx", "en")))
    lines = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert lines[:2] == [
        "COOPERATION OF ST PETERSBURG WITH PARTNER CITIES",
        "Data of St. Petersburg Association for International Cooperation as of 14 March 2025",
    ]
    assert "[RU]" in lines[2]  # what the mark of untranslated text means
    header = document.tables[0].rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    footer = document.sections[0].footer._element
    assert [field.get(qn("w:instr")) for field in footer.iter(qn("w:fldSimple"))] == ["PAGE"]
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    untranslated = [
        run
        for run in document.tables[0]._tbl.iter(qn("w:r"))
        if run.find(qn("w:rPr")) is not None and run.find(qn("w:rPr")).find(qn("w:lang")) is not None
    ]
    assert [run.find(qn("w:t")).text for run in untranslated] == ["открытие памятника."]


def test_russian_has_no_legend_and_the_data_date_in_russian(world):
    document = Document(io.BytesIO(generate("docx", "ru")))
    lines = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert lines[0] == "СОТРУДНИЧЕСТВО САНКТ-ПЕТЕРБУРГА С ГОРОДАМИ – ПАРТНЕРАМИ"
    assert lines[1].endswith("14 марта 2025\u202fг.") and len(lines) == 2


def test_the_cells_that_span_rows_are_merged(world):
    sheet = load_workbook(io.BytesIO(generate("xlsx", "ru"))).worksheets[0]
    merged = {str(merged) for merged in sheet.merged_cells.ranges}
    manchester = next(row[0].row for row in sheet.iter_rows() if row[1].value == "Манчестер")
    assert {f"B{manchester}:B{manchester + 1}", f"E{manchester}:E{manchester + 1}"} <= merged
    assert sheet.cell(manchester + 1, 3).value == "Соглашение между городами"
    raw = read_table(generate("docx", "ru"))  # as the import reads them: blank under a merge
    manchester = next(row for row in raw if row.cells[1] == "Манчестер")
    following = raw[raw.index(manchester) + 1]
    assert following.cells[:2] == ("", "") and following.cells[2] == "Соглашение между городами"


def test_regions_narrow_the_table(world):
    rows = docx_rows(generate("docx", "en", regions=["asia"]))
    assert [row[0] for row in rows[1:] if len(set(row)) == 1] == ["ASIA"]
    assert {row[1] for row in rows[1:] if len(set(row)) > 1} == {"Hanoi"}


def test_partners_named_together_share_a_row_of_their_joint_events(world):
    hanoi = world["hanoi"]
    haiphong = make_partner(country=world["vietnam"], **names("Хайфон", "Hai Phong", "Hải Phòng"))
    make_event(partners=[hanoi, haiphong], start="2024-10-01", **names("форум.", "Forum.", "Diễn đàn.", "title"))
    rows = docx_rows(generate("docx", "ru"))
    joint = [row for row in rows if row[1] == "Хайфон и Ханой"]  # in the order of the table
    assert [row[4] for row in joint] == ["1 октября – форум."]
    assert all("форум" not in row[4] for row in rows if row[1] in ("Ханой", "Хайфон"))


@pytest.mark.parametrize("file_format", ["docx", "xlsx"])
def test_the_queries_do_not_grow_with_the_partners(world, django_assert_num_queries, file_format):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            generate(file_format, "ru")
        return len(queries)

    few = count()
    for n in range(20):
        partner = make_partner(country=world["vietnam"])
        make_milestone(make_agreement(partner), "2001")
        make_event(partners=[partner], start=f"2024-{n % 12 + 1:02d}")
    assert count() == few


def test_the_command_writes_the_file(world, tmp_path):
    path = tmp_path / "report-2024.xlsx"
    call_command("export_report", str(path), "--year", "2024", "--language", "vi", "--region", "asia", verbosity=0)
    rows = xlsx_rows(path.read_bytes())
    assert rows[0] == HEADERS["vi"] and rows[1][0] == "CHÂU Á"


def test_the_admin_page_offers_the_form_then_the_file(world, staff_client):
    url = reverse("admin:events_reportimport_yearly_report")
    assert url in staff_client.get(reverse("admin:events_reportimport_changelist")).text
    page = staff_client.get(url)
    assert page.status_code == 200 and 'name="regions"' in page.text
    response = staff_client.get(url, {"year": 2024, "language": "en", "file_format": "docx", "regions": ["europe"]})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partner-cities-2024-en.docx"'
    rows = docx_rows(b"".join(response.streaming_content))
    assert [row[0] for row in rows[1:] if len(set(row)) == 1] == ["EUROPE"]
    refused = staff_client.get(url, {"year": "20x4", "language": "en", "file_format": "pdf"})
    assert refused.status_code == 200 and "errorlist" in refused.text


def test_the_admin_page_needs_the_right_to_see_events(world, client, django_user_model):
    user = django_user_model.objects.create_user("guest", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:events_reportimport_yearly_report"), {"year": 2024}).status_code == 403
