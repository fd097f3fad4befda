"""Who changed what and when, field by field and link by link, for every content model (django-simple-history).

The historical models are registered here, after modeltranslation has added the
``_ru/_en/_vi`` columns, so that every language's text is recorded; each app's
``translation.py`` calls ``track_history`` right after registering its translations.

Every version also records the record's many-to-many links (an event's partners and
societies, a society's countries), the version written on deletion included: the links
are read before Django deletes them with the record. So an earlier version can be
restored with its links, and a deleted record can be brought back with them
(``history_restore``), together with the tracked records deleted with it (an
agreement's milestones) and the links other records had to it (a partner's events).
The admin side is ``core.history_admin``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import simple_history
from django.conf import settings
from django.db import models, transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

UNTRACKED = ("updated_at", "text_edited_at")
#: Records deleted by the same deletion (Django's cascade) are written within moments of each other;
#: a child deleted on its own, earlier, is not brought back with its parent.
CASCADE_WINDOW = timedelta(seconds=10)

_records: dict[type[models.Model], LinkedHistoricalRecords] = {}


class LinkedHistoricalRecords(HistoricalRecords):
    """simple-history's records, which also keep the links of a record in the version written on its deletion."""

    def finalize(self, sender, **kwargs) -> None:
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            _records[sender] = self

    def get_meta_options(self, model) -> dict:
        # "Recently deleted" reads the deletion versions of each record, newest first.
        options = super().get_meta_options(model)
        pk = model._meta.pk.attname
        options["indexes"] = [
            models.Index(
                fields=[pk, "-history_date"],
                condition=models.Q(history_type="-"),
                name=f"hist_{model._meta.model_name}_deleted"[:30],
            )
        ]
        return options

    def pre_delete(self, instance, **kwargs) -> None:
        super().pre_delete(instance, **kwargs)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            instance._links_at_deletion = {
                m2m.name: list(m2m.remote_field.through.objects.filter(**{get_m2m_field_name(m2m): instance}).values())
                for m2m in self.get_m2m_fields_from_model(type(instance))
            }

    def create_historical_record_m2ms(self, history_instance, instance) -> None:
        links = getattr(instance, "_links_at_deletion", None)
        if links is None or history_instance.history_type != "-":
            super().create_historical_record_m2ms(history_instance, instance)
            return
        for m2m in history_instance._history_m2m_fields:
            model = self.m2m_models[m2m]
            model.objects.bulk_create(model(history=history_instance, **row) for row in links[m2m.name])


def track_history(*model_classes: type[models.Model]) -> None:
    """Records every change of these models, with their many-to-many links."""
    for model in model_classes:
        names = {field.name for field in model._meta.get_fields()}
        simple_history.register(
            model,
            records_class=LinkedHistoricalRecords,
            excluded_fields=[name for name in UNTRACKED if name in names],
            m2m_fields=list(model._meta.many_to_many),
        )


def is_tracked(model: type[models.Model]) -> bool:
    return model in _records


def tracked_links(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The many-to-many fields whose links the history of ``model`` records."""
    return _records[model].get_m2m_fields_from_model(model)


def link_history_model(m2m: models.ManyToManyField) -> type[models.Model]:
    """The historical model of the links of ``m2m``: one row per link per version."""
    return HistoricalRecords.m2m_models[m2m]


def history_write(instance: models.Model, history_type: str = "~") -> None:
    """Writes one version of ``instance`` as it is now, links included (``+`` created, ``~`` changed).

    The admin saves a record and then its links: it writes the version once both are saved
    (``skip_history_when_saving`` while it saves), so that one save is one version.
    """
    _records[type(instance)].create_historical_record(instance, history_type)


def history_links_amend(records: list[models.Model]) -> None:
    """Records the links ``records`` (of one model) have now in their latest versions, in a few queries.

    For writes that add links in bulk (``through.objects.bulk_create``), which no version sees:
    called after them, the versions the bulk write made (``core.bulk``) show the links it made.
    """
    if not records:
        return
    model = type(records[0])
    pk = model._meta.pk.attname
    latest = model.history.filter(**{f"{pk}__in": [record.pk for record in records]})
    latest = latest.order_by(pk, "-history_date", "-history_id").distinct(pk).values("history_id")
    versions = dict(model.history.filter(history_id__in=latest).values_list(pk, "history_id"))
    for m2m in tracked_links(model):
        link_model, owner = link_history_model(m2m), get_m2m_field_name(m2m)
        link_model.objects.filter(history_id__in=versions.values()).delete()
        rows = m2m.remote_field.through.objects.filter(**{f"{owner}_id__in": versions}).values()
        link_model.objects.bulk_create(
            (link_model(history_id=versions[row[f"{owner}_id"]], **row) for row in rows), batch_size=500
        )


def history_links_backfill(apps, schema_editor, *, model: str) -> None:
    """Data migration: the versions written before links were recorded get the links their record has now.

    The best knowledge there is: an earlier version restored keeps today's links instead of
    losing them, and no change of links is shown where none was recorded.
    """
    owner_model = apps.get_model(model)
    history = apps.get_model(owner_model._meta.app_label, f"Historical{owner_model._meta.object_name}")
    versions: dict[int, list[int]] = {}
    for history_id, pk in history.objects.exclude(history_type="-").values_list("history_id", "id").iterator():
        versions.setdefault(pk, []).append(history_id)
    for m2m in owner_model._meta.many_to_many:
        through = m2m.remote_field.through
        try:
            links = apps.get_model(owner_model._meta.app_label, f"Historical{through._meta.object_name}")
        except LookupError:  # a link added by a sibling migration: its history starts with its own table
            continue
        owner = f"{m2m.m2m_field_name()}_id"
        rows = (
            links(history_id=history_id, **row)
            for row in through.objects.values().iterator()
            for history_id in versions.get(row[owner], ())
        )
        while batch := list(itertools.islice(rows, 1000)):
            links.objects.bulk_create(batch)


def version_links(records: list) -> dict[int, dict[str, list[int]]]:
    """The ids linked by each version of ``records`` (all of one model), by version and field: one query a field."""
    found: dict[int, dict[str, list[int]]] = {}
    if not records:
        return found
    model = records[0].instance_type
    for m2m in tracked_links(model):
        target = get_m2m_reverse_field_name(m2m)
        rows = link_history_model(m2m).objects.filter(history__in=[record.pk for record in records])
        for history_id, target_id in rows.order_by("pk").values_list("history_id", f"{target}_id"):
            found.setdefault(history_id, {}).setdefault(m2m.name, []).append(target_id)
    return {
        record.pk: {m2m.name: found.get(record.pk, {}).get(m2m.name, []) for m2m in tracked_links(model)}
        for record in records
    }


def deleted_versions(model: type[models.Model]) -> models.QuerySet:
    """The version written on the deletion of each record of ``model`` that does not exist now, newest first."""
    history = model.history
    pk = model._meta.pk.attname
    last_deletions = (
        history.filter(history_type="-")
        .exclude(**{f"{pk}__in": model._default_manager.values("pk")})
        .order_by(pk, "-history_date", "-history_id")
        .distinct(pk)
        .values("history_id")
    )
    return history.filter(history_id__in=last_deletions).order_by("-history_date", "-history_id")


@dataclass
class Restored:
    """What ``history_restore`` brought back, and the links it could not (their records are gone)."""

    instance: models.Model
    records: int = 1
    links: int = 0
    missing_links: list[str] = field(default_factory=list)


@transaction.atomic
def history_restore(*, version, user, reason: str = "") -> Restored:
    """Recreates the deleted record of ``version`` (a deletion version) as it was, with its links.

    Also brought back: the tracked records deleted with it (its agreements, their milestones…),
    and the links that other records' latest versions still have to it (the events of a
    partner). Links to records deleted since cannot be made again; they are reported.
    Raises ``IntegrityError`` when the record cannot exist again as it was (its slug taken since).
    """
    result = Restored(instance=version.instance)
    _restore(version, result, user=user, reason=reason, until=version.history_date)
    return result


def _restore(version, result: Restored, *, user, reason: str, until) -> models.Model:
    model = version.instance_type
    instance = version.instance
    instance._history_user = user
    instance._change_reason = reason or None
    instance.skip_history_when_saving = True
    instance.save(force_insert=True)
    links = version_links([version])[version.pk]
    for m2m in tracked_links(model):
        wanted = links[m2m.name]
        existing = list(m2m.related_model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        getattr(instance, m2m.name).set(existing)
        result.links += len(existing)
        result.missing_links += [f"{m2m.verbose_name} #{pk}" for pk in wanted if pk not in existing]
    del instance.skip_history_when_saving
    history_write(instance, "+")
    for child_version in _deleted_with(instance, since=until - CASCADE_WINDOW, until=until):
        _restore(child_version, result, user=user, reason=reason, until=until)
        result.records += 1
    result.links += _restore_links_to(instance, user=user, reason=reason)
    return instance


def _deleted_with(instance: models.Model, *, since, until) -> list:
    """The deletion versions of the tracked records that Django's cascade deleted with ``instance``."""
    found = []
    for relation in instance._meta.related_objects:
        child = relation.related_model
        if not (relation.one_to_many and relation.on_delete is models.CASCADE and is_tracked(child)):
            continue
        versions = deleted_versions(child).filter(
            **{relation.field.attname: instance.pk}, history_date__gte=since, history_date__lte=until
        )
        found += list(versions)
    return found


def _restore_links_to(instance: models.Model, *, user, reason: str) -> int:
    """Links other records' latest versions have to ``instance``: they were removed by its deletion alone."""
    restored = 0
    for relation in instance._meta.related_objects:
        owner = relation.related_model
        if not (relation.many_to_many and is_tracked(owner) and relation.field in tracked_links(owner)):
            continue
        m2m = relation.field
        pk = owner._meta.pk.attname
        latest = owner.history.order_by(pk, "-history_date", "-history_id").distinct(pk).values("history_id")
        rows = link_history_model(m2m).objects.filter(
            history_id__in=latest, **{f"{get_m2m_reverse_field_name(m2m)}_id": instance.pk}
        )
        owners = owner._default_manager.filter(pk__in=rows.values(f"{get_m2m_field_name(m2m)}_id"))
        for record in owners.exclude(**{m2m.name: instance}):
            record._history_user = user
            record._change_reason = reason or None
            getattr(record, m2m.name).add(instance)
            restored += 1
    return restored
