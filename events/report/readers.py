"""Reading an uploaded report into raw rows of cells: TSV, CSV, XLSX or DOCX.

The format is told by the content, not trusted from the file name: a ZIP holding
``word/document.xml`` is DOCX, one holding ``xl/workbook.xml`` is XLSX; otherwise the
bytes must be text in UTF-8 (with or without BOM) or Windows-1251, with tabs (TSV) or
commas or semicolons (CSV) between the cells.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.report import ReportError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a ZIP that unpacks to more is refused
ENCODINGS = ("utf-8-sig", "cp1251")
_MAGIC = {
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": "Word 97–2003 / Excel 97–2003",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
}


@dataclass(frozen=True)
class RawRow:
    number: int  # the line, sheet row or table row, from 1
    cells: tuple[str, ...]


def read_table(data: bytes, filename: str = "") -> list[RawRow]:
    if not data or not data.strip():
        raise ReportError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ReportError(
            _("The file is too large (%(size)d bytes; at most %(limit)d).") % {"size": len(data), "limit": MAX_BYTES}
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReportError(
                _("This is a %(kind)s file, not a table: save it as XLSX, DOCX, CSV or TSV.") % {"kind": kind}
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError(_("The file is in UTF-16: save it as UTF-8."))
    if b"\x00" in data[:65536]:
        raise ReportError(_("This is a binary file, not a table."))
    text = _decode(data)
    return _read_text(text, filename)


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n")
        if controls > len(text) // 100:
            raise ReportError(_("This is a binary file, not a table."))
        return text
    raise ReportError(_("The file's encoding cannot be read: save it as UTF-8 (or Windows-1251)."))


def _read_text(text: str, filename: str) -> list[RawRow]:
    lines = text.splitlines()
    if any("\t" in line for line in lines):
        # Tab-separated as a word processor exports it: no quoting, one row a line.
        return [RawRow(number, tuple(line.split("\t"))) for number, line in enumerate(lines, start=1)]
    sample = "\n".join(lines[:50])
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append(RawRow(reader.line_num, tuple(cells)))
    except csv.Error as error:
        raise ReportError(_("The CSV cannot be read: %(error)s") % {"error": error}, row=reader.line_num) from None
    return rows


def _read_zip(data: bytes) -> list[RawRow]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ReportError(_("The file is a damaged ZIP archive, not a table.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReportError(_("The file unpacks to more than %(limit)d bytes.") % {"limit": MAX_UNPACKED_BYTES})
    try:
        if "word/document.xml" in names:
            return _read_docx(data)
        if "xl/workbook.xml" in names:
            return _read_xlsx(data)
    except ReportError:
        raise
    except Exception as error:  # a damaged document: openpyxl and python-docx raise many kinds
        raise ReportError(_("The document cannot be read: %(error)s") % {"error": error}) from None
    raise ReportError(_("This ZIP archive is neither an XLSX workbook nor a DOCX document."))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> list[RawRow]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            RawRow(number, tuple(_cell_text(value) for value in values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _read_docx(data: bytes) -> list[RawRow]:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    tables = [table for table in document.tables if any(len(row._tr.tc_lst) >= 5 for row in table.rows)]
    if not tables:
        raise ReportError(_("The document holds no table of five columns."))
    rows = []
    for number, tr in enumerate(tables[0]._tbl.tr_lst, start=1):
        cells: list[str] = []
        for tc in tr.tc_lst:
            merged_from_above = (
                tc.tcPr is not None
                and tc.tcPr.find(qn("w:vMerge")) is not None
                and (tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) in (None, "continue"))
            )
            text = (
                ""
                if merged_from_above
                else "\n".join(
                    "".join(node.text or "" for node in paragraph.iter(qn("w:t"))) for paragraph in tc.iter(qn("w:p"))
                )
            )
            cells.append(text.strip())
            cells.extend("" for _span in range(tc.grid_span - 1))
        rows.append(RawRow(number, tuple(cells)))
    return rows
