from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.exports import ExportAdminMixin
from core.partial_date_forms import PartialDateAdminMixin
from core.publishing import PublishingAdminMixin, publication_state
from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter
from events.admin_views import ReportImportView, ReportReviewView, YearlyReportView
from events.models import Event, ReportImport
from events.views import EventDetailView


@admin.register(Event)
class EventAdmin(
    PartialDateAdminMixin,
    RoleAdminMixin,
    ExportAdminMixin,
    RichTextAdminMixin,
    PublishingAdminMixin,
    SimpleHistoryAdmin,
    TabbedTranslationAdmin,
):
    list_display = ("__str__", "kind", "place", "status", "report_year", "state", "preview_link")
    preview_view = EventDetailView
    preview_queryset = Event.objects.prefetch_related("partners__country", "societies").all
    list_filter = (
        TranslationFilter,
        "kind",
        "place",
        "status",
        "is_published",
        "report_year",
        "partners__country__region",
    )
    search_fields = ("title_ru", "title_en", "title_vi", "partners__name_ru", "partners__name_en")
    autocomplete_fields = ("partners", "societies")
    date_hierarchy = "start_on"
    readonly_fields = ("source_key", "report_import")
    export_columns = (
        ("id", lambda event: event.pk),
        (_("when"), lambda event: str(event.period)),
        (_("start"), lambda event: event.start_on),
        (_("end"), lambda event: event.last_day),
        (_("title (ru)"), lambda event: event.title_ru),
        (_("title (en)"), lambda event: event.title_en),
        (_("title (vi)"), lambda event: event.title_vi),
        (_("kind"), lambda event: event.get_kind_display()),
        (_("where"), lambda event: event.get_place_display()),
        (_("status"), lambda event: event.get_status_display()),
        (_("partners"), lambda event: "; ".join(partner.name for partner in event.partners.all())),
        (_("societies"), lambda event: "; ".join(society.name for society in event.societies.all())),
        (_("yearly report"), lambda event: event.report_year),
        (_("state"), publication_state),
        (_("publication date"), lambda event: event.published_on),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners", "societies")

    fields = (
        "title",
        "description",
        ("start", "end"),
        "kind",
        "status",
        "place",
        "partners",
        "societies",
        "image",
        "image_alt",
        ("is_published", "published_on"),
        "report_year",
        "source_key",
        "report_import",
    )


@admin.register(ReportImport)
class ReportImportAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("year", "created_at", "imported_by", "review_link")
    list_filter = ("year",)
    search_fields = ("file",)
    readonly_fields = ("year", "file", "file_sha256", "imported_by", "created_at", "counts", "partners")

    @admin.display(description=_("review"))
    def review_link(self, record: ReportImport) -> str:
        url = reverse("admin:events_reportimport_review", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review the import"))

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        view = ReportImportView.as_view(admin_site=self.admin_site)
        report = YearlyReportView.as_view(admin_site=self.admin_site)
        review = ReportReviewView.as_view(admin_site=self.admin_site)
        return [
            path("import/", self.admin_site.admin_view(view), name="events_reportimport_import"),
            path("<int:pk>/review/", self.admin_site.admin_view(review), name="events_reportimport_review"),
            path("yearly-report/", self.admin_site.admin_view(report), name="events_reportimport_yearly_report"),
            *super().get_urls(),
        ]
