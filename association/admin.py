from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from association.models import NewsItem, Page, SiteSettings, TimelineEntry
from association.views import NewsDetailView, PageView
from core.history_admin import HistoryAdmin
from core.partial_date_forms import PartialDateAdminMixin
from core.publishing import PublishingAdminMixin
from core.rich_text import RichTextAdminMixin
from core.roles import RoleAdminMixin
from core.translation_status import TranslationFilter


class TimelineInline(RoleAdminMixin, TranslationTabularInline):
    model = TimelineEntry
    extra = 0


@admin.register(Page)
class PageAdmin(RoleAdminMixin, RichTextAdminMixin, PublishingAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "preview_link", "slug", "state", "published_on", "position")
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
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "preview_link", "published", "original_language", "state")
    preview_view = NewsDetailView
    preview_queryset = NewsItem.objects.all
    list_filter = (TranslationFilter, "is_published", "original_language")
    search_fields = ("title_ru", "title_en", "title_vi")
    date_hierarchy = "published_on"


@admin.register(SiteSettings)
class SiteSettingsAdmin(RoleAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    """One record: the list opens it, or the form to create it; it is emptied field by field, never deleted."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        record = SiteSettings.current()
        if record is not None:
            return redirect(reverse("admin:association_sitesettings_change", args=[record.pk]))
        if self.has_add_permission(request):
            return redirect(reverse("admin:association_sitesettings_add"))
        return super().changelist_view(request, extra_context)


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
