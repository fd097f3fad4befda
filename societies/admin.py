from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin

from core.history_admin import HistoryAdmin
from core.publishing import PreviewAdminMixin
from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter
from societies.models import Society
from societies.views import SocietyDetailView


@admin.register(Society)
class SocietyAdmin(RoleAdminMixin, RichTextAdminMixin, PreviewAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "preview_link", "kind", "founded_year", "is_published")
    preview_view = SocietyDetailView
    preview_queryset = Society.objects.prefetch_related("countries").all
    list_filter = (TranslationFilter, "kind", "is_published", "countries__region")
    search_fields = ("name_ru", "name_en", "name_vi")
    autocomplete_fields = ("countries",)
