from django.contrib import admin
from django.urls import path
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from association.publishing import PublishingAdminMixin
from association.rich_text import RichTextAdminMixin
from association.roles import RoleAdminMixin
from association.translation_status import TranslationFilter
from events.admin_views import ReportImportView
from events.models import Event, ReportImport
from events.views import EventDetailView


@admin.register(Event)
class EventAdmin(RoleAdminMixin, RichTextAdminMixin, PublishingAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
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
    fields = (
        "title",
        "description",
        ("start_on", "start_precision"),
        ("end_on", "end_precision"),
        "kind",
        "status",
        "place",
        "partners",
        "societies",
        "image",
        ("is_published", "published_on"),
        "report_year",
        "source_key",
        "report_import",
    )


@admin.register(ReportImport)
class ReportImportAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("year", "created_at", "imported_by")
    list_filter = ("year",)
    search_fields = ("file",)
    readonly_fields = ("year", "file", "file_sha256", "imported_by", "created_at", "counts")

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        view = ReportImportView.as_view(admin_site=self.admin_site)
        return [
            path("import/", self.admin_site.admin_view(view), name="events_reportimport_import"),
            *super().get_urls(),
        ]
