"""Writing a year's table: the one entry point of the admin page and ``manage.py export_report``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import BinaryIO

from django.db import connection, transaction
from django.utils.translation import override, pgettext

from events.report.export.as_docx import write_docx
from events.report.export.as_xlsx import write_xlsx
from events.report.export.cells import Row, headings, partner_rows, region_title
from events.report.export.content import ReportScope, Text, data_day, partner_blocks

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_filename(*, year: int, language: str, file_format: str) -> str:
    return f"partner-cities-{year}-{language}.{file_format}"


def yearly_report(
    *,
    year: int,
    language: str,
    file_format: str,
    out: BinaryIO,
    regions: Sequence[str] = (),
    as_of: date | None = None,
) -> None:
    """Write the Committee's table of ``year`` in ``language`` as DOCX or XLSX to ``out`` (a seekable file).

    ``regions`` (codes) narrows it to those regions; ``as_of`` is the data date printed under the
    title (by default the day of the newest change to what the table holds). The table's rows are
    read as they are written, from one snapshot of the database.
    """
    if file_format not in FORMATS:
        raise ValueError(f"not a report format: {file_format!r}")
    scope = ReportScope(year, language, tuple(regions))
    with transaction.atomic():
        if connection.vendor == "postgresql" and not _queried_in_transaction():
            with connection.cursor() as cursor:  # the streamed queries see one state of the data
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        titles = headings(scope, as_of or data_day(scope))
        rows = _rows(scope)
        if file_format == "docx":
            write_docx(titles, rows, out, language=language)
        else:
            with override(language):
                sheet = pgettext("yearly report", "Partner cities %(year)s") % {"year": year}
            write_xlsx(titles, rows, out, sheet_title=sheet)


def _queried_in_transaction() -> bool:
    """Whether the transaction just opened is inside another one (a test's, a request's): its level is set."""
    return len(connection.atomic_blocks) > 1


def _rows(scope: ReportScope) -> Iterator[Row | Text]:
    for block in partner_blocks(scope):
        if block.opens_region:
            yield region_title(block, scope.language)
        yield from partner_rows(block, scope.language)
