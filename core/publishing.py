"""Drafts and publishing for events, news and pages, as staff handle them in the admin.

A record is public when it is not a draft (``is_published``) and its publication date
(``published_on``) has come: ``PublishableModel`` has the two fields and the
``published()`` queryset that says so. Staff see a draft as the public would at
``admin/<app>/<model>/<pk>/preview/``: the public view itself, run on all records
instead of the published ones.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache


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


def publication_state(obj) -> str:
    if not obj.is_published:
        return str(_("draft"))
    if obj.published_on > timezone.localdate():
        return str(_("scheduled"))
    return str(_("published"))


class PublishingAdminMixin:
    """Publication state in the list, publish/unpublish actions and a preview of the public page."""

    preview_view = None  # the public DetailView class
    preview_queryset = None  # callable: the records a preview may show (all of them)
    actions = ("publish_selected", "unpublish_selected")

    @admin.display(description=_("state"))
    def state(self, obj) -> str:
        return publication_state(obj)

    @admin.display(description=_("preview"))
    def preview_link(self, obj) -> str:
        if not obj.pk:
            return ""
        return format_html('<a href="{}" target="_blank">{}</a>', self._preview_url(obj), _("Preview"))

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

    def _preview_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])

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
        queryset = self.preview_queryset

        class Preview(self.preview_view):
            def get_queryset(self):
                return queryset()

        obj = self.get_object(request, str(pk))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, str(pk))
        language = request.GET.get("language")
        codes = {code for code, _name in settings.LANGUAGES}
        with translation.override(language if language in codes else translation.get_language()):
            response = Preview.as_view()(request, **_view_kwargs(obj))
            response.render()
        response["X-Robots-Tag"] = "noindex"
        return response


def _view_kwargs(obj) -> dict:
    """The URL keyword arguments of the public detail view of ``obj``."""
    return {"slug": obj.slug} if hasattr(obj, "slug") else {"pk": obj.pk}
