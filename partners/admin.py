from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline

from core.exports import ExportAdminMixin
from core.history_admin import HistoryAdmin
from core.partial_date_forms import PartialDateAdminMixin
from core.publishing import PreviewAdminMixin
from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter
from partners.forms import PartnerAdminForm
from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region
from partners.views import PartnerDetailView, partner_page_records


@admin.register(Region)
class RegionAdmin(RoleAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_filter = (TranslationFilter,)
    list_display = ("name", "code", "position")
    search_fields = ("name_ru", "name_en", "name_vi", "code")


@admin.register(Country)
class CountryAdmin(RoleAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "code", "region")
    list_filter = (
        TranslationFilter,
        "region",
    )
    search_fields = ("name_ru", "name_en", "name_vi", "code")
    autocomplete_fields = ("region",)


class AgreementInline(RoleAdminMixin, TranslationStackedInline):
    model = Agreement
    extra = 0
    show_change_link = True
    fields = ("kind", "spb_party", "title", "valid_from_year", "valid_to_year", "position")


class StatusInline(PartialDateAdminMixin, RoleAdminMixin, TranslationTabularInline):
    """The site states a status only with its source: the source is required, and shown beside it."""

    model = PartnerStatus
    extra = 0
    fields = ("status", "date", "source", "source_url")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Partner)
class PartnerAdmin(
    PartialDateAdminMixin,
    RoleAdminMixin,
    ExportAdminMixin,
    RichTextAdminMixin,
    PreviewAdminMixin,
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    form = PartnerAdminForm
    list_display = ("name", "preview_link", "country", "kind", "ties_since", "is_published")
    preview_view = PartnerDetailView

    @staticmethod
    def preview_queryset():
        return partner_page_records(Partner.objects.all())

    list_filter = (TranslationFilter, "kind", "is_published", "country__region", "country")
    search_fields = ("name_ru", "name_en", "name_vi", "aliases", "slug")
    autocomplete_fields = ("country",)
    inlines = (AgreementInline, StatusInline)
    export_columns = (
        ("id", lambda partner: partner.pk),
        (_("name (ru)"), lambda partner: partner.name_ru),
        (_("name (en)"), lambda partner: partner.name_en),
        (_("name (vi)"), lambda partner: partner.name_vi),
        (_("kind"), lambda partner: partner.get_kind_display()),
        (_("country"), lambda partner: partner.country.name),
        (_("ISO 3166 code"), lambda partner: partner.country.code),
        (_("ties established"), lambda partner: str(partner.ties_since or "")),
        (_("latitude"), lambda partner: partner.latitude and float(partner.latitude)),
        (_("longitude"), lambda partner: partner.longitude and float(partner.longitude)),
        (_("published"), lambda partner: partner.is_published),
        (_("slug"), lambda partner: partner.slug),
    )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if place := getattr(form, "place", None):
            message = _("Placed by the gazetteer at %(name)s (GeoNames no. %(id)s): check the coordinates.")
            self.message_user(request, message % {"name": place.name, "id": place.geonameid})

    fieldsets = (
        (None, {"fields": ("name", "slug", "country", "kind", "description", "is_published")}),
        (_("Ties"), {"fields": ("ties_since", "report_years")}),
        (_("Image"), {"fields": ("image", "image_alt")}),
        (_("Map"), {"fields": ("latitude", "longitude")}),
        (_("Matching report rows"), {"fields": ("aliases",)}),
    )


class MilestoneInline(PartialDateAdminMixin, RoleAdminMixin, TranslationTabularInline):
    model = Milestone
    extra = 1
    fields = ("date", "label")


@admin.register(Agreement)
class AgreementAdmin(RoleAdminMixin, ExportAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("__str__", "partner", "kind", "spb_party")
    list_filter = (TranslationFilter, "kind", "spb_party", "partner__country__region")
    search_fields = ("title_ru", "title_en", "title_vi", "partner__name_ru", "partner__name_en")
    autocomplete_fields = ("partner",)
    inlines = (MilestoneInline,)
    export_columns = (
        ("id", lambda agreement: agreement.pk),
        (_("partner"), lambda agreement: agreement.partner.name),
        (_("country"), lambda agreement: agreement.partner.country.name),
        (_("kind"), lambda agreement: agreement.get_kind_display()),
        (_("St Petersburg party"), lambda agreement: agreement.get_spb_party_display()),
        (_("title (ru)"), lambda agreement: agreement.title_ru),
        (_("title (en)"), lambda agreement: agreement.title_en),
        (_("milestones"), lambda agreement: "; ".join(str(milestone) for milestone in agreement.milestones.all())),
        (_("valid from (year)"), lambda agreement: agreement.valid_from_year),
        (_("valid to (year)"), lambda agreement: agreement.valid_to_year),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner__country").prefetch_related("milestones")
