from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from association.models import NewsItem, Page, TimelineEntry
from association.views import NewsDetailView, PageView
from core.partial_date_forms import PartialDateAdminMixin
from core.publishing import PublishingAdminMixin
from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter


class TimelineInline(RoleAdminMixin, TranslationTabularInline):
    model = TimelineEntry
    extra = 0


@admin.register(Page)
class PageAdmin(RoleAdminMixin, RichTextAdminMixin, PublishingAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "slug", "state", "published_on", "position", "preview_link")
    list_filter = (
        TranslationFilter,
        "is_published",
    )
    preview_view = PageView
    preview_queryset = Page.objects.prefetch_related("timeline").all
    search_fields = ("title_ru", "title_en", "title_vi", "slug")
    inlines = (TimelineInline,)


@admin.register(NewsItem)
class NewsItemAdmin(
    PartialDateAdminMixin,
    RoleAdminMixin,
    RichTextAdminMixin,
    PublishingAdminMixin,
    SimpleHistoryAdmin,
    TabbedTranslationAdmin,
):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "published", "original_language", "state", "preview_link")
    preview_view = NewsDetailView
    preview_queryset = NewsItem.objects.all
    list_filter = (TranslationFilter, "is_published", "original_language")
    search_fields = ("title_ru", "title_en", "title_vi")
    date_hierarchy = "published_on"


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class SignInAttemptAdmin(AccessAttemptAdmin):
    """Failed sign-ins, by user name and address; an editor lifts a lockout here, no shell needed."""

    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description=_("Unlock the selected user names at these addresses"), permissions=["delete"])
    def unlock(self, request, queryset):
        count, _deleted = queryset.delete()
        self.message_user(
            request, ngettext("%(count)d lockout lifted.", "%(count)d lockouts lifted.", count) % {"count": count}
        )
