"""The admin's report import: upload → preview → confirm.

Between preview and confirm the file waits in the default storage under its checksum
(``reports/pending/<sha256><ext>``); confirming reads it back, checks the checksum and
imports it with the staff member's decision for each partner that matched none.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import PurePath

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from events.forms import ReportUploadForm, YearlyReportForm
from events.models import ReportImport
from events.report import ReportError
from events.report.export.service import FORMATS, report_filename, yearly_report
from events.report.plan import NEW, ReportPlan
from events.report.service import report_import, report_preview
from partners.models import Partner

PENDING_DIR = "reports/pending"


def _pending_name(checksum: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{PENDING_DIR}/{checksum}{suffix if suffix.isascii() else ''}"


class ReportImportView(View):
    admin_site: AdminSite = None

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": ReportImport._meta,
            "title": _("Import a report"),
            **extra,
        }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("events.add_event"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._upload(request, ReportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ReportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._upload(request, form)
        upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
        data = upload.read()
        try:
            plan = report_preview(data=data, filename=upload.name, year=year)
        except ReportError as error:
            form.add_error("file", str(error))
            return self._upload(request, form)
        name = _pending_name(plan.checksum, upload.name)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
        return self._preview(request, plan)

    def _upload(self, request: HttpRequest, form: ReportUploadForm) -> HttpResponse:
        return TemplateResponse(request, "admin/events/report_import_upload.html", self._context(request, form=form))

    def _preview(self, request: HttpRequest, plan: ReportPlan, error: str = "") -> HttpResponse:
        choices: dict[int, list[Partner]] = {}
        countries = {partner_plan.country.pk for partner_plan in plan.unmatched}
        for partner in Partner.objects.filter(country__in=countries).order_by("name_ru"):
            choices.setdefault(partner.country_id, []).append(partner)
        unmatched = [(index, p, choices.get(p.country.pk, [])) for index, p in enumerate(plan.unmatched)]
        context = self._context(
            request, plan=plan, unmatched=unmatched, counts=plan.counts(), error=error, title=_("Preview of the import")
        )
        return TemplateResponse(request, "admin/events/report_import_preview.html", context)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        checksum, filename = request.POST.get("checksum", ""), request.POST.get("filename", "")
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        name = _pending_name(checksum, filename)
        if len(checksum) != 64 or not year or not default_storage.exists(name):
            messages.error(request, _("The uploaded file is no longer available: upload it again."))
            return redirect("admin:events_reportimport_import")
        with default_storage.open(name) as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != checksum:
            messages.error(request, _("The uploaded file changed: upload it again."))
            return redirect("admin:events_reportimport_import")
        try:
            plan = report_preview(data=data, filename=filename, year=year)
            decisions = self._decisions(request, plan)
            outcome = report_import(data=data, filename=filename, year=year, user=request.user, decisions=decisions)
        except ReportError as error:
            return self._upload(request, self._refused(str(error)))
        except _BadDecision as error:
            return self._preview(request, plan, str(error))
        default_storage.delete(name)
        if outcome.report_import is None:
            messages.info(request, _("The report brings nothing new: nothing was imported."))
            return redirect("admin:events_reportimport_changelist")
        counts = outcome.counts
        messages.success(
            request,
            _("Imported: %(partners)d new partners, %(agreements)d agreements, %(events)d events.") % counts,
        )
        return redirect(reverse("admin:events_reportimport_change", args=[outcome.report_import.pk]))

    @staticmethod
    def _refused(reason: str) -> ReportUploadForm:
        form = ReportUploadForm()
        form.is_bound = True
        form._errors = {"file": form.error_class([reason])}
        form.cleaned_data = {}
        return form

    @staticmethod
    def _decisions(request: HttpRequest, plan: ReportPlan) -> dict[str, str | Partner]:
        decisions: dict[str, str | Partner] = {}
        for index, partner_plan in enumerate(plan.unmatched):
            choice = request.POST.get(f"decision-{index}", "")
            if request.POST.get(f"key-{index}") != partner_plan.key:
                raise _BadDecision(_("The preview is out of date: review it again."))
            if choice == NEW:
                decisions[partner_plan.key] = NEW
                continue
            partner = (
                Partner.objects.filter(pk=choice, country=partner_plan.country).first() if choice.isdigit() else None
            )
            if partner is None:
                raise _BadDecision(
                    _("Choose for «%(name)s»: create it, or the partner it is.") % {"name": partner_plan.display_name}
                )
            decisions[partner_plan.key] = partner
        return decisions


class _BadDecision(ValueError):
    pass


class YearlyReportView(View):
    """The Committee's yearly table, generated: a form of year, language, format and regions (GET), then the file."""

    admin_site: AdminSite = None
    SPOOL_BYTES = 8 * 1024 * 1024  # a larger file waits on disk, not in memory

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("events.view_event"):
            raise PermissionDenied
        form = YearlyReportForm(request.GET if "year" in request.GET else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": ReportImport._meta,
                "title": _("Yearly report"),
                "form": form,
            }
            return TemplateResponse(request, "admin/events/yearly_report.html", context)
        year, language = form.cleaned_data["year"], form.cleaned_data["language"]
        file_format = form.cleaned_data["file_format"]
        regions = [region.code for region in form.cleaned_data["regions"]]
        out = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES)  # noqa: SIM115 -- FileResponse closes it
        yearly_report(year=year, language=language, file_format=file_format, regions=regions, out=out)
        out.seek(0)
        name = report_filename(year=year, language=language, file_format=file_format)
        return FileResponse(out, as_attachment=True, filename=name, content_type=FORMATS[file_format])
