from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from association.rich_text import RichTextAdminMixin
from association.roles import RoleAdminMixin
from association.translation_status import TranslationFilter
from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region


@admin.register(Region)
class RegionAdmin(RoleAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_filter = (TranslationFilter,)
    list_display = ("name", "code", "position")
    search_fields = ("name_ru", "name_en", "name_vi", "code")


@admin.register(Country)
class CountryAdmin(RoleAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
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


class StatusInline(RoleAdminMixin, TranslationTabularInline):
    model = PartnerStatus
    extra = 0
    fields = ("status", "date_on", "date_precision", "source")


@admin.register(Partner)
class PartnerAdmin(RoleAdminMixin, RichTextAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "country", "kind", "ties_since_on", "is_published")
    list_filter = (TranslationFilter, "kind", "is_published", "country__region", "country")
    search_fields = ("name_ru", "name_en", "name_vi", "aliases", "slug")
    autocomplete_fields = ("country",)
    inlines = (AgreementInline, StatusInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "country", "kind", "description", "is_published")}),
        (_("Ties"), {"fields": ("ties_since_on", "ties_since_precision", "report_years")}),
        (_("Map"), {"fields": ("latitude", "longitude")}),
        (_("Matching report rows"), {"fields": ("aliases",)}),
    )


class MilestoneInline(RoleAdminMixin, TranslationTabularInline):
    model = Milestone
    extra = 1
    fields = ("date_on", "date_precision", "label")


@admin.register(Agreement)
class AgreementAdmin(RoleAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("__str__", "partner", "kind", "spb_party")
    list_filter = (TranslationFilter, "kind", "spb_party", "partner__country__region")
    search_fields = ("title_ru", "title_en", "title_vi", "partner__name_ru", "partner__name_en")
    autocomplete_fields = ("partner",)
    inlines = (MilestoneInline,)
