from modeltranslation.translator import TranslationOptions, register

from association.models import NewsItem, Page, SiteSettings, TimelineEntry
from core.history import track_history


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("ru",)


@register(TimelineEntry)
class TimelineEntryTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("ru",)


@register(NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "image_alt")
    required_languages = ("ru",)


@register(SiteSettings)
class SiteSettingsTranslation(TranslationOptions):
    fields = ("address",)


# After the translations, so that the history records every language.
track_history(Page, TimelineEntry, NewsItem, SiteSettings)
