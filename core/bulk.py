"""Bulk writes of content with the side effects that ``save()`` has, through one path.

``bulk_create`` and ``bulk_update`` send no signals and call no ``save()``. The report
import and the demo data write hundreds of records at once, so they come here instead:
each record's own derived fields (its ``prepare_save()``), the registered side effects
before the write (sanitising, text-edit stamps) and after it (history, search index,
page cache) run exactly as they would one record at a time, but in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import models, transaction

from core.registry import bulk_prepare_handlers, bulk_saved_handlers, content_for

M = TypeVar("M", bound=models.Model)
BATCH = 500


def _entry(records: Sequence[models.Model]):
    model = type(records[0])
    entry = content_for(model)
    if entry is None:
        raise ValueError(f"{model._meta.label} is not registered content")
    return entry


def _prepare(records: Sequence[models.Model]) -> None:
    entry = _entry(records)
    for record in records:
        prepare = getattr(record, "prepare_save", None)
        if prepare is not None:
            prepare()
    for handler in bulk_prepare_handlers():
        handler(entry, records)


def _saved(records: Sequence[models.Model], *, update: bool, history_user) -> None:
    entry = _entry(records)
    history = getattr(entry.model, "history", None)
    if history is not None:
        history.bulk_history_create(records, batch_size=BATCH, update=update, default_user=history_user)
    for handler in bulk_saved_handlers():
        handler(entry, records)


def content_bulk_create(records: Sequence[M], *, history_user=None) -> list[M]:
    """Insert ``records`` (all of one content model) as saving each would, in a few queries per batch."""
    if not records:
        return []
    _entry(records)  # refused before anything is written
    created = []
    # No savepoint inside a caller's transaction (an import makes five bulk writes in one).
    with transaction.atomic(savepoint=False):
        for batch in _batches(records):  # memory bounded by the batch, whatever the count
            _prepare(batch)
            created += type(batch[0])._default_manager.bulk_create(batch)
            _saved(batch, update=False, history_user=history_user)
    return created


def content_bulk_update(records: Sequence[M], fields: Sequence[str], *, history_user=None) -> None:
    """Update ``fields`` of ``records`` (one content model) as saving each would, in a few queries per batch."""
    if not records:
        return
    _entry(records)
    with transaction.atomic(savepoint=False):
        for batch in _batches(records):
            _prepare(batch)
            type(batch[0])._default_manager.bulk_update(batch, fields)
            _saved(batch, update=True, history_user=history_user)


def _batches(records: Sequence[M]) -> list[Sequence[M]]:
    return [records[start : start + BATCH] for start in range(0, len(records), BATCH)]
