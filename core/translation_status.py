"""What is still to translate: missing and stale translations of the content.

A translation is **missing** when a Russian text exists and the text in that language
is empty; it is **stale** when the Russian texts of a record were edited after its
texts in that language were last edited. ``TextEditsModel`` records when each
language's texts of a record were last edited (``text_edited_at``); the admin shows
the counts per content type, language and field (``TranslationStatusView``) and
filters any changelist by them (``TranslationFilter``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from modeltranslation.translator import translator

from core.registry import Content, contents, on_bulk_prepare

SOURCE = "ru"
_STAMP = "%Y-%m-%dT%H:%M:%S.%f"


def target_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != SOURCE]


@functools.cache
def translated_fields(model) -> list[str]:
    return list(translator.get_options_for_model(model).fields)


@functools.cache
def _localized_names(model) -> tuple[tuple[str, tuple[str, ...]], ...]:
    fields = translated_fields(model)
    return tuple((code, tuple(f"{name}_{code}" for name in fields)) for code, _name in settings.LANGUAGES)


class TextEditsModel(models.Model):
    """Records, per language, when the translated texts of a record were last edited."""

    text_edited_at = models.JSONField(_("texts last edited"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        texts = self.stamp_text_edits()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_edited_at"}
        super().save(*args, **kwargs)
        self._loaded_texts = texts

    def stamp_text_edits(self) -> dict[str, tuple]:
        """Stamp now on each language whose texts changed since loaded; the texts as they are.

        ``save`` does it; code that writes records with ``bulk_create`` calls it first.
        """
        before = self._texts_as_loaded()
        now = timezone.now().strftime(_STAMP)
        texts = self._texts()
        for code, values in texts.items():
            if values != before.get(code, ("",) * len(values)):
                self.text_edited_at = {**self.text_edited_at, code: now}
        return texts

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Kept raw and compared only on save: public pages load many records and save none.
        instance._loaded_row = (field_names, values)
        return instance

    def _texts_as_loaded(self) -> dict[str, tuple]:
        if hasattr(self, "_loaded_texts"):
            return self._loaded_texts
        if not hasattr(self, "_loaded_row"):
            return {}
        row = dict(zip(*self._loaded_row, strict=True))
        return {
            code: tuple(row[name] or "" for name in names)
            for code, names in _localized_names(type(self))
            if all(name in row for name in names)
        }

    def _texts(self) -> dict[str, tuple]:
        return {
            code: tuple(getattr(self, name) or "" for name in names) for code, names in _localized_names(type(self))
        }


@on_bulk_prepare
def _stamp_in_bulk(entry: Content, records) -> None:
    """What ``TextEditsModel.save`` records, for records written in bulk."""
    for record in records:
        if isinstance(record, TextEditsModel):
            record.stamp_text_edits()


def _blank(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{name: ""})


def missing_q(model, language: str, field_name: str | None = None) -> Q:
    """Records with a Russian text and no text in ``language`` (in ``field_name``, or in any field)."""
    names = [field_name] if field_name else translated_fields(model)
    query = Q(pk__in=[])
    for name in names:
        query |= ~_blank(f"{name}_{SOURCE}") & _blank(f"{name}_{language}")
    return query


def with_stale(queryset, language: str):
    """Records whose Russian texts changed after their texts in ``language`` were last edited."""
    return queryset.alias(
        _source_at=KT(f"text_edited_at__{SOURCE}"), _target_at=KT(f"text_edited_at__{language}")
    ).filter(_target_at__isnull=False, _source_at__gt=F("_target_at"))


# --- The status page --------------------------------------------------------------------


def tracked() -> list[Content]:
    """The content listed on the status page, in its order (``status_position`` in the registry)."""
    listed = [entry for entry in contents() if entry.status_position is not None]
    return sorted(listed, key=lambda entry: entry.status_position)


@dataclass
class Row:
    model: type
    total: int
    missing: dict[str, dict[str, int]] = field(default_factory=dict)  # language → field → count
    stale: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


def translation_status() -> list[Row]:
    """Counts per content type: one query each."""
    rows = []
    for entry in tracked():
        model = entry.model
        queryset = entry.public_records()
        aggregates = {"total": Count("pk")}
        for language in target_languages():
            for name in translated_fields(model):
                aggregates[f"missing__{language}__{name}"] = Count("pk", filter=missing_q(model, language, name))
            stale_ids = with_stale(model._default_manager.all(), language).values("pk")
            aggregates[f"stale__{language}"] = Count("pk", filter=Q(pk__in=stale_ids))
        counts = queryset.aggregate(**aggregates)
        row = Row(model=model, total=counts["total"])
        for language in target_languages():
            row.missing[language] = {name: counts[f"missing__{language}__{name}"] for name in translated_fields(model)}
            row.stale[language] = counts[f"stale__{language}"]
        row.links["changelist"] = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append(row)
    return rows


class TranslationStatusView(TemplateView):
    template_name = "admin/translation_status.html"
    admin_site = admin.site

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            self.admin_site.each_context(self.request),
            title=_("Translation status"),
            table=[_table_row(row) for row in translation_status()],
            languages=target_languages(),
        )
        return context


def _table_row(row: Row) -> dict:
    changelist = row.links["changelist"]
    published = "is_published__exact=1&" if hasattr(row.model, "is_published") else ""
    cells = []
    for language in target_languages():
        missing = [
            {
                "field": row.model._meta.get_field(name).verbose_name,
                "count": count,
                "url": f"{changelist}?{published}translation=missing-{language}.{name}",
            }
            for name, count in row.missing[language].items()
        ]
        stale_url = f"{changelist}?translation=stale-{language}"
        cells.append({"language": language, "missing": missing, "stale": row.stale[language], "stale_url": stale_url})
    return {"label": row.model._meta.verbose_name_plural, "total": row.total, "cells": cells}


class TranslationFilter(admin.SimpleListFilter):
    """``?translation=missing-en``, ``missing-vi.title`` (one field) or ``stale-en``."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = []
        for language in target_languages():
            name = language.upper()
            choices.append((f"missing-{language}", _("missing %(language)s") % {"language": name}))
        for language in target_languages():
            name = language.upper()
            choices.append((f"stale-{language}", _("stale %(language)s") % {"language": name}))
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        kind, _sep, rest = value.partition("-")
        language, _sep, field_name = rest.partition(".")
        if language not in target_languages():
            return queryset
        if kind == "missing":
            if field_name and field_name not in translated_fields(queryset.model):
                return queryset.none()
            return queryset.filter(missing_q(queryset.model, language, field_name or None))
        if kind == "stale":
            return with_stale(queryset, language)
        return queryset
