"""CSV and XLSX exports of an admin changelist, with the filters, search and order on screen.

A model admin lists its columns in ``export_columns`` (header, value function); the
changelist gets "Export CSV" and "Export XLSX" buttons that carry the current query
string, and the export reads the very queryset the changelist shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

Column = tuple[str, Callable[[object], object]]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def cell(value) -> object:
    """A value as a spreadsheet cell; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | date | datetime):
        return timezone.localtime(value).replace(tzinfo=None) if isinstance(value, datetime) else value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows_for(columns: Iterable[Column], objects: Iterable) -> Iterable[list]:
    columns = list(columns)
    yield [str(header) for header, _value in columns]
    for obj in objects:
        yield [cell(value(obj)) for _header, value in columns]


def as_csv(rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([value.isoformat() if isinstance(value, date | datetime) else value for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheets read UTF-8


def as_xlsx(rows: Iterable[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ExportAdminMixin:
    export_columns: tuple[Column, ...] = ()
    change_list_template = "admin/export_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.export_view)
        return [
            path("export/<str:file_format>/", view, name=f"{opts.app_label}_{opts.model_name}_export"),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if file_format not in FORMATS:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?e=1")
        rows = rows_for(self.export_columns, changelist.get_queryset(request))
        name = slugify(str(self.model._meta.verbose_name_plural)) or self.model._meta.model_name
        stamp = timezone.localdate().isoformat()
        body = as_csv(rows) if file_format == "csv" else as_xlsx(rows, name)
        response = HttpResponse(body, content_type=FORMATS[file_format])
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
        return response
