"""From raw rows to report rows: the header, region lines, blanks and continuations.

The table has five columns: country | partner | basis for cooperation | year of ties
or signature | main events of the year. Above the header come title lines; below it
region lines (ЕВРОПА, АЗИЯ…) group the rows. A blank country cell means "the country
above"; blank country and partner cells mean "the partner above" (another agreement
of the same partner). A row whose country, partner and year are blank and whose basis
is blank or starts in lower case continues the row above: a cell broken across lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.text import fold
from events.report import ReportError
from events.report.readers import RawRow

COLUMNS = 5
REGIONS = ("европа", "азия", "снг", "африка", "латинская америка")
_HEADER_SEARCH_ROWS = 30


@dataclass
class ReportRow:
    number: int
    region: str
    country: str
    partner: str
    basis: str
    year_text: str
    events: str
    numbers: list[int] = field(default_factory=list)  # every line the row spans
    country_inherited: bool = False  # its country cell was blank: the country is the row above's


def _clean(cell: str) -> str:
    return cell.replace("\xa0", " ").strip()


def _is_header(cells: tuple[str, ...]) -> bool:
    return len(cells) >= 2 and fold(cells[0]).startswith("страна") and "город" in fold(cells[1])


def header_year(cells: tuple[str, ...]) -> int | None:
    match = re.search(r"\b(\d{4})\b", cells[4]) if len(cells) >= COLUMNS else None
    return int(match[1]) if match else None


def find_header(rows: list[RawRow]) -> int:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if _is_header(row.cells):
            if len([cell for cell in row.cells if cell.strip()]) != COLUMNS:
                raise ReportError(
                    _("The header has %(found)d columns; the report has five.")
                    % {"found": len([cell for cell in row.cells if cell.strip()])},
                    row=row.number,
                )
            return index
    raise ReportError(
        _(
            "No header row found: the table must have the five columns «Страна | Город | Основание для "
            "сотрудничества | Год установления связей | Основные мероприятия»."
        )
    )


def _five(row: RawRow) -> list[str] | None:
    """The row's five cells, or None for a line of one cell (a region or a blank)."""
    cells = [_clean(cell) for cell in row.cells]
    while len(cells) > COLUMNS and not cells[-1]:
        cells.pop()
    if len(cells) > COLUMNS:
        raise ReportError(
            _("The row has %(found)d cells; the report has five columns.") % {"found": len(cells)},
            row=row.number,
            column=COLUMNS + 1,
        )
    if len([cell for cell in cells if cell]) <= 1 and (not cells or not any(cells[1:])):
        return None
    if len(cells) < COLUMNS:
        raise ReportError(
            _("The row has %(found)d cells; the report has five columns.") % {"found": len(cells)}, row=row.number
        )
    return cells


def _join(above: str, more: str) -> str:
    if not above or not more:
        return above or more
    if above.endswith("-") and not above.endswith(" -"):  # «научно-» + «техническом»
        return above + more
    return f"{above} {more}"


def _is_continuation(cells: list[str]) -> bool:
    country, partner, basis, year_text, _events = cells
    return not country and not partner and not year_text and (not basis or basis[0].islower())


def report_rows(raw: list[RawRow]) -> tuple[list[ReportRow], RawRow]:
    """The report's rows and its header row."""
    start = find_header(raw)
    rows: list[ReportRow] = []
    region = ""
    for row in raw[start + 1 :]:
        cells = _five(row)
        if cells is None:
            text = _clean(row.cells[0]) if row.cells else ""
            if fold(text) in REGIONS:
                region = text
            elif text:
                raise ReportError(
                    _("A line of one cell that is not a region (%(regions)s): «%(text)s».")
                    % {"regions": ", ".join(name.upper() for name in REGIONS), "text": text[:80]},
                    row=row.number,
                )
            continue
        if rows and _is_continuation(cells):
            above = rows[-1]
            above.basis = _join(above.basis, cells[2])
            above.events = _join(above.events, cells[4])
            above.numbers.append(row.number)
            continue
        if not cells[0] and not rows:
            raise ReportError(_("The first row names no country."), row=row.number, column=1)
        country, partner, inherited = cells[0], cells[1], not cells[0]
        if inherited:
            country = rows[-1].country
            if not partner:
                partner = rows[-1].partner
        rows.append(
            ReportRow(row.number, region, country, partner, cells[2], cells[3], cells[4], [row.number], inherited)
        )
    if not rows:
        raise ReportError(_("The table has a header but no rows."))
    return rows, raw[start]
