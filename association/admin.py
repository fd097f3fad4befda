from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from association.models import NewsItem, Page, TimelineEntry


class TimelineInline(TranslationTabularInline):
    model = TimelineEntry
    extra = 0


@admin.register(Page)
class PageAdmin(TabbedTranslationAdmin):
    list_display = ("title", "slug", "is_published", "published_on", "position")
    list_filter = ("is_published",)
    search_fields = ("title_ru", "title_en", "title_vi", "slug")
    inlines = (TimelineInline,)


@admin.register(NewsItem)
class NewsItemAdmin(TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "published_on", "original_language", "is_published")
    list_filter = ("is_published", "original_language")
    search_fields = ("title_ru", "title_en", "title_vi")
    date_hierarchy = "published_on"
