from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.exports import ExportAdminMixin
from core.history_admin import HistoryAdmin
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
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    list_display = ("__str__", "preview_link", "kind", "place", "status", "report_year", "title_needs_review", "state")
    preview_view = EventDetailView
    preview_queryset = Event.objects.prefetch_related("partners__country", "reported_under", "societies").all
    list_filter = (
        TranslationFilter,
        "kind",
        "place",
        "status",
        "is_published",
        "report_year",
        "title_needs_review",
        "partners__country__region",
    )
    search_fields = ("title_ru", "title_en", "title_vi", "partners__name_ru", "partners__name_en")
    autocomplete_fields = ("partners", "reported_under", "societies")
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
        (_("text of the report"), lambda event: event.report_text_ru),
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

    def save_related(self, request, form, formsets, change) -> None:
        """A partner the event is reported under is one of the partners it concerns."""
        super().save_related(request, form, formsets, change)
        event = form.instance
        missing = event.reported_under.exclude(pk__in=event.partners.values("pk"))
        if missing.exists():
            event.partners.add(*missing)

    fields = (
        "title",
        "title_needs_review",
        "report_text",
        "description",
        ("start", "end"),
        "kind",
        "status",
        "place",
        "partners",
        "reported_under",
        "societies",
        "image",
        "image_alt",
        ("is_published", "published_on"),
        "report_year",
        "source_key",
        "report_import",
    )


# The figures an import records (ReportImport.counts): one row per kind of record, one column per figure.
SUMMARY_ROWS = (("partners", _("partners")), ("agreements", _("agreements")), ("events", _("events")))
SUMMARY_COLUMNS = (
    ("", _("in the report")),
    ("_matched", _("found in the portal")),
    ("_new", _("new")),
    ("_created", _("created")),
)
SUMMARY_OTHERS = {"items_not_understood": _("items not understood")}


@admin.register(ReportImport)
class ReportImportAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("year", "created_at", "imported_by", "review_link")
    list_filter = ("year",)
    search_fields = ("file",)
    fields = ("year", "file", "file_sha256", "imported_by", "created_at", "summary", "partners")
    readonly_fields = fields

    @admin.display(description=_("summary"))
    def summary(self, record: ReportImport) -> str:
        """The import's figures as a table; a figure this table does not know is listed under it by its key."""
        counts = dict(record.counts or {})
        columns = [
            (suffix, label)
            for suffix, label in SUMMARY_COLUMNS
            if any(f"{row}{suffix}" in counts for row, _label in SUMMARY_ROWS)
        ]
        head = format_html_join("", '<th scope="col">{}</th>', ((capfirst(label),) for _suffix, label in columns))
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (
                    capfirst(label),
                    format_html_join(
                        "", "<td>{}</td>", ((counts.pop(f"{row}{suffix}", "—"),) for suffix, _label in columns)
                    ),
                )
                for row, label in SUMMARY_ROWS
            ),
        )
        others = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td colspan="{}">{}</td></tr>',
            (
                (capfirst(SUMMARY_OTHERS.get(key, key.replace("_", " "))), len(columns), value)
                for key, value in sorted(counts.items(), key=lambda item: (item[0] not in SUMMARY_OTHERS, item[0]))
            ),
        )
        return format_html(
            '<table class="import-summary"><thead><tr><td></td>{}</tr></thead><tbody>{}{}</tbody></table>',
            head,
            rows,
            others,
        )

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
