"""The same report rows written as TSV, CSV, XLSX or DOCX (for the tests and the benchmark)."""

import csv
import io

HEADER = [
    "Страна",
    "Город",
    "Основание для сотрудничества",
    "Год установления связей/ подписания документа",
    "Основные мероприятия в {year} году",
]


def tsv_rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def five(rows: list[list[str]]) -> list[list[str]]:
    return [(row + [""] * 5)[:5] if len(row) <= 5 else row for row in rows]


def as_tsv(rows: list[list[str]]) -> bytes:
    return "\n".join("\t".join(row) for row in rows).encode()


def as_csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in five(rows):
        sheet.append([int(cell) if cell.isdigit() else cell for cell in row])  # years as numbers, as Excel keeps them
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_docx(rows: list[list[str]]) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("СОТРУДНИЧЕСТВО САНКТ-ПЕТЕРБУРГА С ГОРОДАМИ – ПАРТНЕРАМИ")
    table = document.add_table(rows=0, cols=5)
    for row in five(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def synthetic(text: str, times: int) -> bytes:
    """The report's table repeated ``times`` times, each copy with its own partners (for the benchmark)."""
    rows = tsv_rows(text)
    start = next(i for i, row in enumerate(rows) if row[0] == "Страна")
    body = rows[start + 1 :]
    out = rows[: start + 1]
    for copy in range(times):
        for row in body:
            row = list(row)
            if len(row) == 5 and row[1] and copy:
                row[1] = f"{row[1]} {copy}"
            elif len(row) == 5 and not row[1] and row[0] and row[2] and copy and row[0].upper() != row[0]:
                row[1] = f"Город {copy}"
            out.append(row)
    return as_tsv(out)
