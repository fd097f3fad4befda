"""The admin's report import: upload → preview → confirm → review.

Between preview and confirm the file waits in the default storage under its checksum
(``reports/pending/<sha256><ext>``); confirming reads it back, checks the checksum and
imports it with the staff member's choices: for each partner that matched none, whether
to create it or which partner it is, and where a new one is (the gazetteer's proposal,
accepted or corrected); which events and agreements to import (those already present
are left out unless chosen). The import writes drafts; its review page lists them and
publishes those chosen.
"""

from __future__ import annotations

import hashlib
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from events.forms import ReportUploadForm, YearlyReportForm
from events.models import ReportImport
from events.report import ReportError
from events.report.export.service import FORMATS, report_filename, yearly_report
from events.report.plan import NEW, ReportPlan
from events.report.publish import import_drafts, import_publish
from events.report.service import Places, report_import, report_preview
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
            request,
            plan=plan,
            unmatched=unmatched,
            agreements=list(enumerate(plan.agreements)),
            counts=plan.counts(),
            error=error,
            title=_("Preview of the import"),
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
            outcome = report_import(
                data=data,
                filename=filename,
                year=year,
                user=request.user,
                decisions=decisions,
                places=self._places(request, plan),
                **self._chosen(request),
            )
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
        return redirect(reverse("admin:events_reportimport_review", args=[outcome.report_import.pk]))

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

    @staticmethod
    def _chosen(request: HttpRequest) -> dict:
        """The events and agreements ticked in the preview (its form says it shows them: ``chosen``)."""
        if "chosen" not in request.POST:
            return {}
        return {
            "events": set(request.POST.getlist("import-event")),
            "agreements": {int(n) for n in request.POST.getlist("import-agreement") if n.isdigit()},
        }

    @staticmethod
    def _places(request: HttpRequest, plan: ReportPlan) -> Places:
        """The coordinates staff accepted, corrected or cleared for each new partner."""
        places: dict = {}
        for index, partner_plan in enumerate(plan.unmatched):
            latitude = request.POST.get(f"latitude-{index}", "").strip().replace(",", ".")
            longitude = request.POST.get(f"longitude-{index}", "").strip().replace(",", ".")
            if f"latitude-{index}" not in request.POST:
                continue  # not shown: the gazetteer's proposal stands
            if not latitude and not longitude:
                places[partner_plan.key] = None
                continue
            try:
                point = Decimal(latitude).quantize(Decimal("0.0001")), Decimal(longitude).quantize(Decimal("0.0001"))
            except InvalidOperation:
                point = None
            if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
                raise _BadDecision(
                    _("The coordinates of «%(name)s» are not a latitude and a longitude.")
                    % {"name": partner_plan.display_name}
                )
            places[partner_plan.key] = point
        return places


class _BadDecision(ValueError):
    pass


class ReportReviewView(View):
    """An import's drafts — its events and the partners it created — with those chosen published at once."""

    admin_site: AdminSite = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("events.view_event"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(ReportImport, pk=pk)
        events, partners = import_drafts(record)
        context = {
            **self.admin_site.each_context(request),
            "opts": ReportImport._meta,
            "title": _("Review the import"),
            "record": record,
            "events": events,
            "partners": partners,
            "can_publish": request.user.has_perm("core.publish"),
        }
        return TemplateResponse(request, "admin/events/report_import_review.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("core.publish"):
            raise PermissionDenied
        record = get_object_or_404(ReportImport, pk=pk)
        ids = {name: [n for n in request.POST.getlist(name) if n.isdigit()] for name in ("event", "partner")}
        outcome = import_publish(
            report_import=record, event_ids=ids["event"], partner_ids=ids["partner"], user=request.user
        )
        messages.success(
            request,
            _("Published: %(events)d events, %(partners)d partners.")
            % {"events": outcome.events, "partners": outcome.partners},
        )
        for partner, reasons in outcome.refused:
            messages.warning(
                request, _("«%(name)s» stays a draft: %(reasons)s") % {"name": partner, "reasons": " ".join(reasons)}
            )
        return redirect("admin:events_reportimport_review", pk=record.pk)


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
