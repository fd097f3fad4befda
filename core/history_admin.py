"""The history in the admin: what changed, by whom and why, and getting an earlier or a deleted record back.

- One save is one version: the admin writes it once the record and its links are saved,
  with the reason staff may give in the form's last field (stored as ``history_change_reason``);
  a save that changed nothing writes none.
- The history page shows each version's changes field by field, the whole texts side by
  side with the words that changed marked, links by name, a partial date as one date.
- Restoring an earlier version (simple-history's revert form) brings its links back too.
- "Recently deleted" lists the deleted records of a model; Restore recreates one with its
  links and the records deleted with it (``core.history.history_restore``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import is_historic, to_historic

from core.history import (
    deleted_versions,
    history_restore,
    history_write,
    tracked_links,
    version_links,
)
from core.partial_date_fields import partial_date_attributes
from core.partial_dates import PartialDate

REASON = "history_change_reason"
EMPTY = "—"
DELETED_PER_PAGE = 50
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


class ChangeReasonForm(forms.ModelForm):
    """Asks why (optionally); on the form of an earlier version, shows that version's links."""

    history_change_reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Optional. A few words for the history: why the record changed."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if is_historic(self.instance):
            version = to_historic(self.instance)
            for name, ids in version_links([version])[version.pk].items():
                if name in self.fields:
                    self.initial[name] = ids
            when = formats.date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
            self.initial.setdefault(REASON, _("Restored the version of %(date)s") % {"date": when})


@dataclass(frozen=True)
class Change:
    """One changed field of a version, its values before and after as HTML (changed words marked)."""

    label: str
    old: SafeString
    new: SafeString


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, with the reason, the readable changes, links restored and "Recently deleted"."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"
    deleted_template = "admin/history/deleted.html"
    history_list_per_page = 50

    # --- one version per save, with its reason ---------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = type(self.form.__name__, (ChangeReasonForm, self.form), {})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # The reason is a declared field of the form, shown after the inlines (templates/admin/change_form.html).
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != REASON]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def save_model(self, request, obj, form, change) -> None:
        reason = form.cleaned_data.get(REASON) or None
        obj._change_reason = reason
        # The version is written by log_addition / log_change, after the links are saved too.
        obj.skip_history_when_saving = True
        obj._history_version = "+" if not change else "~" if form.has_changed() or reason or is_historic(obj) else ""
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        self._write_version(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._write_version(obj)
        return super().log_change(request, obj, message)

    @staticmethod
    def _write_version(obj) -> None:
        if not hasattr(obj, "skip_history_when_saving"):
            return
        del obj.skip_history_when_saving
        if obj._history_version:
            history_write(obj, obj._history_version)

    # --- the history page ------------------------------------------------------------------------

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True) -> None:
        records = list(historical_records)
        if not records:
            return
        last = records[-1]
        pk = self.model._meta.pk.attname
        before = models.Q(history_date__lt=last.history_date) | models.Q(history_date=last.history_date, pk__lt=last.pk)
        older = (
            self.model.history.filter(before, **{pk: getattr(last, pk)})
            .order_by("-history_date", "-history_id")
            ._select_related_history_tracked_objs()
            .first()
        )
        versions = [*records, older] if older else records
        links = _link_names(self.model, versions)
        for record, previous in zip(records, versions[1:], strict=False):
            record.history_changes = version_changes(self.model, previous, record, links)

    # --- recently deleted --------------------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        info = f"{opts.app_label}_{opts.model_name}"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{info}_deleted"),
            path(
                "deleted/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        extra_context = {
            "deleted_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = deleted_versions(self.model).select_related("history_user")
        page = Paginator(versions, DELETED_PER_PAGE).get_page(request.GET.get("p"))
        records = list(page)
        names = _link_names(self.model, records)
        for record in records:
            record.object_pk = getattr(record, self.model._meta.pk.attname)
            record.link_names = [
                (capfirst(m2m.verbose_name), names[record.pk][m2m.name]) for m2m in tracked_links(self.model)
            ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recently deleted: %(name)s") % {"name": opts.verbose_name_plural},
            "opts": opts,
            "page_obj": page,
            "records": records,
            "can_restore": self.has_add_permission(request),
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return TemplateResponse(request, self.deleted_template, context)

    def restore_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        deleted_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")
        if request.method != "POST":
            return HttpResponseRedirect(deleted_url)
        version = get_object_or_404(deleted_versions(self.model), history_id=version_id)
        try:
            restored = history_restore(version=version, user=request.user, reason=request.POST.get("reason", "")[:100])
        except IntegrityError:
            self.message_user(
                request,
                _("“%(record)s” cannot be restored: a record with the same unique value exists now.")
                % {"record": version.history_object},
                messages.ERROR,
            )
            return HttpResponseRedirect(deleted_url)
        message = _("“%(record)s” was restored with %(links)d links (%(records)d records in all).") % {
            "record": restored.instance,
            "links": restored.links,
            "records": restored.records,
        }
        self.message_user(request, message, messages.SUCCESS)
        if restored.missing_links:
            missing = _("Not restored, as their records were deleted: %(links)s.") % {
                "links": ", ".join(restored.missing_links)
            }
            self.message_user(request, missing, messages.WARNING)
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[restored.instance.pk])
        return HttpResponseRedirect(change_url)


# --- what changed between two versions -----------------------------------------------------------


def version_changes(model: type[models.Model], old, new, links: dict) -> list[Change]:
    """The fields and links that differ from ``old`` to ``new`` (two versions of one record), in the model's order."""
    if old is None or new.history_type == "-":
        return []
    changes = []
    dates = {column: attribute for attribute in partial_date_attributes(model).values() for column in attribute.columns}
    shown_dates = set()
    translated = {field.translated_field.name for field in new.tracked_fields if hasattr(field, "translated_field")}
    for field in new.tracked_fields:
        if not field.editable or field.primary_key or field.name in translated:
            continue
        if field.name in dates:
            attribute = dates[field.name]
            if attribute.name not in shown_dates:
                shown_dates.add(attribute.name)
                before, after = (_partial_date(record, attribute) for record in (old, new))
                if before != after:
                    changes.append(Change(capfirst(attribute.label(model)), *_plain_pair(before, after)))
            continue
        if _comparable(getattr(old, field.attname)) == _comparable(getattr(new, field.attname)):
            continue
        before, after = _value(field, old), _value(field, new)
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            changes.append(Change(capfirst(field.verbose_name), *_text_pair(before, after)))
        else:
            changes.append(Change(capfirst(field.verbose_name), *_plain_pair(before, after)))
    for m2m in tracked_links(model):
        before, after = links[old.pk][m2m.name], links[new.pk][m2m.name]
        if before != after:
            changes.append(Change(capfirst(m2m.verbose_name), *_list_pair(before, after)))
    return changes


def _link_names(model: type[models.Model], versions: list) -> dict[int, dict[str, list[str]]]:
    """The names of the records each version links to, sorted; a record deleted since by its id."""
    ids = version_links(versions)
    names: dict[int, dict[str, list[str]]] = {version.pk: {} for version in versions}
    for m2m in tracked_links(model):
        wanted = {pk for links in ids.values() for pk in links[m2m.name]}
        found = {obj.pk: str(obj) for obj in m2m.related_model._default_manager.filter(pk__in=wanted)}
        for version in versions:
            listed = [found.get(pk) or _("#%(id)s (deleted)") % {"id": pk} for pk in ids[version.pk][m2m.name]]
            names[version.pk][m2m.name] = sorted(listed, key=str.casefold)
    return names


def _comparable(value):
    return "" if value is None else value


def _partial_date(record, attribute) -> str:
    value = PartialDate.from_db(getattr(record, attribute.on_field), getattr(record, attribute.precision_field))
    return value.short_format() if value else ""


def _value(field: models.Field, record) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return ""
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if field.is_relation:
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return _("#%(id)s (deleted)") % {"id": value}
    if isinstance(value, date | datetime | Decimal | float):
        return formats.localize(timezone.localtime(value) if isinstance(value, datetime) else value)
    return str(value)


def _plain_pair(before: str, after: str) -> tuple[SafeString, SafeString]:
    return (escape(before) if before else EMPTY), (escape(after) if after else EMPTY)


def _text_pair(before: str, after: str) -> tuple[SafeString, SafeString]:
    """The whole texts, the words taken out marked in the first and those put in marked in the second."""
    if not before or not after:
        return _plain_pair(before, after)
    old_words, new_words = _WORDS.findall(before), _WORDS.findall(after)
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(old_words[i1:i2])), escape("".join(new_words[j1:j2]))
        if tag == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(format_html("<del>{}</del>", old_part))
        if new_part:
            new_html.append(format_html("<ins>{}</ins>", new_part))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 — every part escaped above


def _list_pair(before: list[str], after: list[str]) -> tuple[SafeString, SafeString]:
    """Two lists of names, those taken out marked in the first and those put in marked in the second."""

    def render(names: list[str], others: list[str], mark: str) -> SafeString:
        if not names:
            return mark_safe(EMPTY)  # noqa: S308 — a constant
        items = ((format_html("<{0}>{1}</{0}>", mark, name) if name not in others else escape(name),) for name in names)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", items))

    return render(before, after, "del"), render(after, before, "ins")
