from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter
from societies.models import Society


@admin.register(Society)
class SocietyAdmin(RoleAdminMixin, RichTextAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "founded_year", "is_published")
    list_filter = (TranslationFilter, "kind", "is_published", "countries__region")
    search_fields = ("name_ru", "name_en", "name_vi")
    autocomplete_fields = ("countries",)
