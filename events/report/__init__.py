"""The Committee for External Relations' yearly partner-city report, read into the portal.

``readers`` turn a TSV, CSV, XLSX or DOCX file into rows of five cells; ``rows`` folds
region headers, "same as above" blanks and continuation lines into report rows;
``items`` and ``dates`` split the events cell into dated items; ``classify`` guesses
each event's kind and place; ``plan`` finds the countries and partners the rows name
(through ``partners.matching``, as the seed does) and ``service`` performs the import.
"""

from django.utils.translation import gettext as _


class ReportError(ValueError):
    """A file the importer refuses, with the reason (and row and column where it applies)."""

    def __init__(self, reason: str, *, row: int | None = None, column: int | None = None) -> None:
        self.reason, self.row, self.column = reason, row, column
        parts = [
            _("row %(row)s") % {"row": row} if row else "",
            _("column %(column)s") % {"column": column} if column else "",
        ]
        where = ", ".join(part for part in parts if part)
        super().__init__(f"{where}: {reason}" if where else reason)
