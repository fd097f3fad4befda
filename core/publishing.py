"""Drafts and publishing for events, news and pages, as staff handle them in the admin.

A record is public when it is not a draft (``is_published``) and its publication date
(``published_on``) has come: ``PublishableModel`` has the two fields and the
``published()`` queryset that says so. Staff see a draft as the public would at
``admin/<app>/<model>/<pk>/preview/``: the public view itself, run on all records
instead of the published ones, under a banner that says whether the public sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Self, TypeVar

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

T = TypeVar("T", bound=models.Model)


class PublishedQuerySet(models.QuerySet):
    def published(self, today: date | None = None) -> Self:
        """What the public sees: not a draft, and its publication date (as of ``today``) has come."""
        return self.filter(is_published=True, published_on__lte=today or timezone.localdate())


class PublishableModel(models.Model):
    """A record that is a draft until staff publish it, and public from its publication date.

    A model may declare either field again, with the same column, to index it or to word
    its help for its own kind of record; a model with its own queryset subclasses
    ``PublishedQuerySet``.
    """

    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unticked, the record is a draft that only staff see.")
    )
    published_on = models.DateField(_("publication date"), default=timezone.localdate, db_index=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


PUBLICATION_FIELDS = ("is_published", "published_on")
DRAFT, SCHEDULED, PUBLISHED = "draft", "scheduled", "published"
STATE_LABELS = {DRAFT: _("draft"), SCHEDULED: _("scheduled"), PUBLISHED: _("published")}


def publication_state_code(obj) -> str:
    """``draft``, ``scheduled`` or ``published``; a record without a publication date is published when flagged so."""
    if not getattr(obj, "is_published", True):
        return DRAFT
    published_on = getattr(obj, "published_on", None)
    if published_on is not None and published_on > timezone.localdate():
        return SCHEDULED
    return PUBLISHED


def public(records: Iterable[T]) -> list[T]:
    """Those of ``records`` the public sees, in their order.

    For links loaded whole (drafts too), so that a page's cache tags name every record it hangs
    from: publishing a draft partner then reaches the pages of its events.
    """
    return [record for record in records if publication_state_code(record) == PUBLISHED]


def publication_state(obj) -> str:
    return str(STATE_LABELS[publication_state_code(obj)])


class PreviewAdminMixin:
    """Staff see any record's public page before the public does: drafts, scheduled records, published ones.

    The preview is a row action of the changelist (an icon beside the title), an object tool
    of the change form, and where "View on site" leads while the record is not public (its
    public address answers 404 until then). The page carries a banner saying what the public
    sees of it.
    """

    preview_view = None  # the public DetailView class
    preview_queryset = None  # callable: the records a preview may show (all of them)

    @admin.display(description=_("preview"))
    def preview_link(self, obj) -> str:
        if not obj.pk:
            return ""
        label = _("Preview")
        return format_html(
            '<a class="preview-link" href="{}" target="_blank" rel="noopener" title="{}"><img src="{}" alt="{}"></a>',
            self._preview_url(obj),
            label,
            static("admin/img/icon-viewlink.svg"),
            label,
        )

    def _preview_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])

    def get_view_on_site_url(self, obj=None):
        if obj is not None and obj.pk and publication_state_code(obj) != PUBLISHED:
            return self._preview_url(obj)
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = self._preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        opts = self.model._meta
        preview = self.admin_site.admin_view(never_cache(self.preview))
        return [
            path("<int:pk>/preview/", preview, name=f"{opts.app_label}_{opts.model_name}_preview"),
            *super().get_urls(),
        ]

    def preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, str(pk))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, str(pk))
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        queryset = self.preview_queryset

        class Preview(self.preview_view):
            def get_queryset(self):
                return queryset()

            def get_context_data(self, **kwargs):
                state, message = publication_state_code(obj), _preview_message(obj)
                banner = {"state": state, "message": message, "change_url": change_url}
                return {**super().get_context_data(**kwargs), "preview": banner}

        language = request.GET.get("language")
        codes = {code for code, _name in settings.LANGUAGES}
        with translation.override(language if language in codes else translation.get_language()):
            response = Preview.as_view()(request, **_view_kwargs(obj))
            response.render()
        response["X-Robots-Tag"] = "noindex"
        return response


def _preview_message(obj) -> str:
    state = publication_state_code(obj)
    if state == DRAFT:
        return str(_("Draft — not public"))
    if state == SCHEDULED:
        when = formats.date_format(obj.published_on, "DATE_FORMAT")
        return str(_("Scheduled — public from %(date)s") % {"date": when})
    return str(_("Preview — the public sees this record"))


class PublishingAdminMixin(PreviewAdminMixin):
    """Publication state in the list, publish/unpublish actions and a preview of the public page."""

    actions = ("publish_selected", "unpublish_selected")

    @admin.display(description=_("state"))
    def state(self, obj) -> str:
        return publication_state(obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fields is not None or self.fieldsets is not None:
            return fieldsets
        # The form in the model's order, where PublishableModel's fields, being inherited,
        # come first: they go after the record's own fields.
        fieldsets = [(name, {**options, "fields": list(options["fields"])}) for name, options in fieldsets]
        for _name, options in fieldsets:
            # "published": the date as one partial-date field, where a model keeps its precision (news)
            moved = [field for field in (*PUBLICATION_FIELDS, "published") if field in options["fields"]]
            options["fields"] = [field for field in options["fields"] if field not in moved] + moved
        return fieldsets

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.publish")

    @admin.action(description=_("Publish the selected records now"), permissions=["publish"])
    def publish_selected(self, request, queryset) -> None:
        self._set_state(request, queryset, True)

    @admin.action(description=_("Turn the selected records into drafts"), permissions=["publish"])
    def unpublish_selected(self, request, queryset) -> None:
        self._set_state(request, queryset, False)

    def _set_state(self, request, queryset, published: bool) -> None:
        # One save per record: the search index and the history follow each change.
        today = timezone.localdate()
        for obj in queryset:
            obj.is_published = published
            if published and obj.published_on > today:
                obj.published_on = today
            obj.save()
        count = len(queryset)
        message = ngettext("%(count)d record changed.", "%(count)d records changed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


def _view_kwargs(obj) -> dict:
    """The URL keyword arguments of the public detail view of ``obj``."""
    return {"slug": obj.slug} if hasattr(obj, "slug") else {"pk": obj.pk}
