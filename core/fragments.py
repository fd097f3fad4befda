"""Rows of a list kept rendered until what they show changes: the fragment cache of list pages.

An uncached list page (the events list, the partner directory; what staff always see, and
visitors right after an edit) spent most of its time rendering its rows with the template
engine. Each row is kept per row template, language, record, the values the row is given
(``dormant_before``…) and the records it shows with it (its partners, its country: the
related records loaded with it, by ``select_related`` or ``prefetch_related``).

A row is fresh while none of its tags (``core.cache_tags``) changed since it was rendered:
the record's own tag, what hangs below it (``partners.partner:12+``: the statuses and
events behind a card's badges), and the own tags of the related records it shows. Every
save, delete, link change and import bumps those tags, as for the pages. A row whose
rendering queried the database is not kept: what it read would be unknown.

One lookup fetches every row of the list, one more the versions of all their tags; rows
not found or stale are rendered, all of them stored in one write. A page showing one batch
of rows in several lists (the directory's countries) asks for them at once
(``rendered_each``), not list by list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import models
from django.template.loader import get_template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from core.cache_tags import Built, below, clock, own, reading, seeded_versions, tag_key
from core.i18n import current_language

FRAGMENT_PREFIX = "public-pages:fragment:"
FRAGMENT_SECONDS = 24 * 60 * 60


def _shown_with(record: models.Model) -> list[models.Model]:
    """The related records loaded with ``record`` (select_related and prefetch_related), at any depth."""
    found, queue, seen = [], [record], {(record._meta.label_lower, record.pk)}
    while queue:
        item = queue.pop()
        related = list(item._state.fields_cache.values())
        for values in getattr(item, "_prefetched_objects_cache", {}).values():
            related.extend(values)
        for other in related:
            # A reverse prefetch points back (a status's partner is the partner): each record once.
            if not isinstance(other, models.Model) or other.pk is None:
                continue
            if (other._meta.label_lower, other.pk) not in seen:
                seen.add((other._meta.label_lower, other.pk))
                found.append(other)
                queue.append(other)
    return found


def _tags(record: models.Model, shown: list[models.Model]) -> frozenset[str]:
    label = record._meta.label_lower
    return frozenset({own(label, record.pk), below(label, record.pk), *(own(o._meta.label_lower, o.pk) for o in shown)})


def _key(template_name: str, name: str, record: models.Model, shown: list[models.Model], given: Mapping) -> str:
    """What the row's HTML is a function of besides the versions: template, language, record, what it shows."""
    parts = [template_name, current_language(), record._meta.label_lower, str(record.pk)]
    parts += sorted(f"{o._meta.label_lower}:{o.pk}" for o in shown)
    parts += [f"{key}={given[key]!r}" for key in sorted(given)]
    return FRAGMENT_PREFIX + hashlib.sha256("\x1f".join([name, *parts]).encode()).hexdigest()


def rendered_rows(records: Iterable[models.Model], template_name: str, name: str, **given: Any) -> SafeString:
    """The rows of ``records``, each ``template_name`` rendered with ``{name: record, **given}``, in order."""
    # Each row is the SafeString of an autoescaping template (kept as one by the cache's pickling).
    return format_html_join("", "{}", ((row,) for row in rendered_each(records, template_name, name, **given)))


def rendered_each(records: Iterable[models.Model], template_name: str, name: str, **given: Any) -> list[SafeString]:
    """Each row of ``records`` apart, in order: for a page that lays one batch of rows out in several lists."""
    records = list(records)
    if not records:
        return []
    rows = []
    for record in records:
        shown = _shown_with(record)
        rows.append((record, _key(template_name, name, record, shown, given), _tags(record, shown)))
    stored: dict[str, Built] = cache.get_many([key for _record, key, _tags in rows])
    versions = cache.get_many(list({tag_key(tag) for entry in stored.values() for tag in entry.tags}))
    template, since, html, fresh_rows = None, None, [], {}
    for record, key, tags in rows:
        entry = stored.get(key)
        if isinstance(entry, Built) and all(
            versions.get(tag_key(tag)) is not None and versions[tag_key(tag)] <= entry.since for tag in entry.tags
        ):
            html.append(entry.value)
            continue
        if template is None:
            template, since = get_template(template_name), clock()
        with reading() as reads:
            row = template.render({name: record, **given})
        html.append(row)
        if not reads.statements:
            fresh_rows[key] = Built(since, tags, {}, row)
    if fresh_rows:
        _store(fresh_rows)
    return html


def _store(rows: dict[str, Built]) -> None:
    """Keeps the rows, giving their tags a version where they have none yet (as pages do)."""
    seeded_versions({tag for entry in rows.values() for tag in entry.tags}, min(entry.since for entry in rows.values()))
    cache.set_many(rows, FRAGMENT_SECONDS)
