"""What a cached page or derived value was built from, and what a change of content invalidates.

Both sides speak in tags, strings naming a part of the content:

=========================================  =================================================
``events.event``                           the list of a model: any of its records
``events.event:7``                         one record's own fields
``partners.partner:12+``                   what hangs below a record, at any depth: a
                                           partner's agreements, milestones, events
``partners.country:3+partners.partner``    the records of one model below a record (the
                                           partners of a country)
``*``                                      any content (for tables outside the registry,
                                           such as the search index)
=========================================  =================================================

"Below" follows the relations between registered content models
(``core.registry.content_parents``): an event is below its partners, its societies and its
report; a partner below its country; a country below its region.

**A change** of a record — saved, deleted, linked or unlinked, written in bulk — bumps
the list of its model, its own tag, and ``A+`` and ``A+<its model>`` of every record above
it, before and after the change, at any depth. Saving an event so reaches its page, the
lists and feeds, the pages of its partners, its societies and their countries; not the
page of a partner it does not concern.

**A page** records what its queries read: the tables (through the connections' execute
wrappers, so counts and subqueries count too) and the content records loaded
(``post_init``). A page without a subject — a list, a feed, the home page — depends on the
list of every model it read. A detail page (a view whose template context holds an
``object`` that is content) depends on its subject and everything below it (``S+``), on
the records above it that it loaded (their own tags), on the records of another model read
beside it under one of its parents (the other partners of its country:
``C+partners.partner``), and on the list of any other model it read. That is the
convention every detail view here follows: it shows its subject, what hangs below it, what
it hangs from, and its neighbours under its parents. A view that shows something else
names it with ``depends_on`` (``depends_on(Event)`` for a sidebar of the newest events).
A derived value about a record (``core.cache.derived(..., subject=record)``: a partner's
other partners of its country) is tagged the same way, as if it were that record's page.

**Versions.** Each tag's version is the value of one shared counter (``CLOCK_KEY``,
incremented at every bump) at its last bump, kept in the cache for a day. A page or
a derived value keeps the counter's value read before its first query (``since``) and is
fresh while none of its tags is newer. A change bumps its tags at once and again when its
transaction commits, so a page rendered from rows read before the commit is never fresh.
A tag missing from the cache (evicted) counts as changed. With Redis every process shares
the counter, the versions and the pages; the local-memory cache serves one process only
(``SINGLE_PROCESS_CACHE`` in ``association/settings.py``). With read replicas a bump after
a commit also keeps the primary's WAL position, and a page read from a replica that had
not replayed that far is not kept (``storable``; ``core.replicas``).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete, pre_save

from core.registry import (
    Content,
    content_connect,
    content_for,
    content_parents,
    contents,
    link_throughs,
    on_bulk_prepare,
    on_bulk_saved,
    on_content_registered,
    registry_generation,
)
from core.replicas import primary_position

ANY = "*"
CLOCK_KEY = "public-pages:clock"
TAG_PREFIX = "public-pages:tag:"
POSITION_PREFIX = "public-pages:wal:"
#: Versions are kept a day after they are set: a version gone counts as changed, so this bounds
#: only what a shared cache keeps, not correctness (the counter restarts from the time).
TAG_SECONDS = 24 * 60 * 60


def own(label: str, pk: Any) -> str:
    return f"{label}:{pk}"


def below(label: str, pk: Any, model_label: str = "") -> str:
    return f"{label}:{pk}+{model_label}"


def tag_key(tag: str) -> str:
    return TAG_PREFIX + tag


# The relations between content models, derived from the registry.


@dataclass(frozen=True)
class Graph:
    #: label → ((field name, parent model), …)
    parents: dict[str, tuple[tuple[str, type[models.Model]], ...]]
    #: label → labels of the models above it / below it, at any depth
    above: dict[str, frozenset[str]]
    below: dict[str, frozenset[str]]
    #: database table (a model's or its many-to-many links') → label
    tables: dict[str, str]
    #: label → the model's own table
    own_tables: dict[str, str]


_graph: tuple[int, Graph] | None = None


def graph() -> Graph:
    global _graph
    if _graph is None or _graph[0] != registry_generation():
        _graph = (registry_generation(), _build_graph())
    return _graph[1]


def _build_graph() -> Graph:
    parents = {entry.label: tuple(content_parents(entry.model)) for entry in contents()}
    above: dict[str, set[str]] = {}
    for label in parents:
        found: set[str] = set()
        todo = [label]
        while todo:
            for _name, parent in parents.get(todo.pop(), ()):
                parent_label = parent._meta.label_lower
                if parent_label not in found and parent_label != label:
                    found.add(parent_label)
                    todo.append(parent_label)
        above[label] = found
    tables = {}
    for entry in contents():
        tables[entry.model._meta.db_table] = entry.label
        for link in entry.model._meta.many_to_many:
            tables[link.remote_field.through._meta.db_table] = entry.label
    return Graph(
        parents=parents,
        above={label: frozenset(labels) for label, labels in above.items()},
        below={label: frozenset(other for other in parents if label in above[other]) for label in parents},
        tables=tables,
        own_tables={entry.label: entry.model._meta.db_table for entry in contents()},
    )


# What a page or a derived value read.

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"')


@dataclass
class Reads:
    """The content read while building one page or value."""

    models: set[str] = field(default_factory=set)
    #: table → how many statements read it
    statements: Counter[str] = field(default_factory=Counter)
    records: defaultdict[str, set] = field(default_factory=lambda: defaultdict(set))
    #: name → fingerprint of the derived values used
    derived: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    #: the tags of the derived values used, as they were: fetched with the page's own when checking it
    derived_tags: set[str] = field(default_factory=set)
    #: the record the page is about, when its view has no template context to say it (``page_about``)
    subject: models.Model | None = None

    def note_sql(self, sql: str) -> None:
        tables = graph().tables
        read = set(TABLE.findall(sql))
        self.statements.update(read)
        for table in read:
            self.models.add(tables.get(table, ANY))


_stack: ContextVar[tuple[Reads, ...]] = ContextVar("cache-reads", default=())


@contextlib.contextmanager
def reading(reads: Reads | None = None) -> Iterator[Reads]:
    """Records what the queries inside read (nested: a derived value's reads are its own, not the page's).

    ``reads``: adds to these (a file made a chunk at a time, each chunk read in a block of its own).
    """
    reads = Reads() if reads is None else reads
    outer = _stack.get()
    token = _stack.set((*outer, reads))
    try:
        with contextlib.ExitStack() as wrappers:
            if not outer:
                for connection in connections.all():
                    wrappers.enter_context(connection.execute_wrapper(_note_sql))
            yield reads
    finally:
        _stack.reset(token)


def _note_sql(execute, sql, params, many, context):
    stack = _stack.get()
    if stack:
        stack[-1].note_sql(sql)
    return execute(sql, params, many, context)


def _loaded(sender, instance, **kwargs) -> None:
    stack = _stack.get()
    if stack and instance.pk is not None:
        stack[-1].records[sender._meta.label_lower].add(instance.pk)


def note_derived(name: str, fingerprint: str, tags: Iterable[str] = ()) -> None:
    """The page (or value) being built uses the derived value ``name`` as it is now (``fingerprint``, ``tags``)."""
    stack = _stack.get()
    if stack:
        stack[-1].derived[name] = fingerprint
        stack[-1].derived_tags.update(tags)


def depends_on(*what: type[models.Model] | models.Model | str) -> None:
    """Adds to what the page being built depends on: a model's list, a record, or a tag."""
    stack = _stack.get()
    if not stack:
        return
    for item in what:
        if isinstance(item, str):
            stack[-1].tags.add(item)
        elif isinstance(item, models.Model):
            stack[-1].tags.add(own(item._meta.label_lower, item.pk))
        else:
            stack[-1].tags.add(item._meta.label_lower)


def page_about(record: models.Model) -> None:
    """The page being built is ``record``'s detail page (a view that answers a file, with no ``object`` in a
    template context: one event's ``.ics``), so it is tagged as one and not as a list."""
    stack = _stack.get()
    if stack:
        stack[-1].subject = record


def built_tags(reads: Reads, subject: models.Model | None = None) -> frozenset[str]:
    """The tags of a page built from ``reads`` (about ``subject`` when it is a detail page); see the module."""
    tags = set(reads.tags)
    read = (reads.models | set(reads.records)) - {ANY}
    if ANY in reads.models:
        tags.add(ANY)
    if subject is None or content_for(subject) is None:
        return frozenset(tags | read)
    relations = graph()
    label = subject._meta.label_lower
    tags |= {own(label, subject.pk), below(label, subject.pk)}
    parents = {(parent._meta.label_lower, pk) for parent, pks in parents_of(subject, using=None).items() for pk in pks}
    for model_label in read:
        if model_label == label:
            alone = reads.statements[relations.own_tables[label]] <= 1 and reads.records.get(label) == {subject.pk}
            if alone:
                continue  # the subject alone
        elif model_label in relations.below[label]:
            continue  # below the subject: S+
        elif model_label in relations.above[label]:
            tags |= {own(model_label, pk) for pk in reads.records.get(model_label, ())}
            continue
        beside = [(parent, pk) for parent, pk in parents if model_label in relations.below[parent]]
        tags |= {below(parent, pk, model_label) for parent, pk in beside} if beside else {model_label}
    return frozenset(tags)


# Versions.


def clock() -> int:
    """The shared counter's current value (started from the time, so it never goes back when it is evicted)."""
    value = cache.get(CLOCK_KEY)
    if value is None:
        cache.add(CLOCK_KEY, time.time_ns(), timeout=TAG_SECONDS)
        value = cache.get(CLOCK_KEY)
    # A cache that keeps nothing (unreachable: core.cache_backends) has no counter: the time stands in.
    return time.time_ns() if value is None else value


def _tick() -> int:
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:
        cache.add(CLOCK_KEY, time.time_ns(), timeout=TAG_SECONDS)
        try:
            return cache.incr(CLOCK_KEY)
        except ValueError:  # a cache that keeps nothing: the bump is lost with it
            return time.time_ns()


def bump(tags: Iterable[str], position: int | None = None) -> None:
    """Marks ``tags`` changed: everything built from them before now is stale.

    ``position``: the primary's WAL position once the change is committed, kept with the
    new version, so that a replica that has not replayed that far cannot refill the cache.
    """
    tags = set(tags)
    if tags:
        version = _tick()
        values = {tag_key(tag): version for tag in tags}
        if position is not None:
            values[position_key(version)] = position
        cache.set_many(values, timeout=TAG_SECONDS)


def position_key(version: int) -> str:
    return f"{POSITION_PREFIX}{version}"


def version(tag: str) -> int:
    """The version of one tag (set now when it has none)."""
    value = cache.get(tag_key(tag))
    if value is None:
        cache.add(tag_key(tag), clock(), timeout=TAG_SECONDS)
        value = cache.get(tag_key(tag))
    return clock() if value is None else value


@dataclass(frozen=True)
class Built:
    """A page or derived value: the counter before it was built, its tags, the derived values it used, its fingerprint.

    ``derived`` maps the name of each derived value used to the fingerprint of the value
    used: the page stays fresh while that value, computed again after a change, comes out
    the same (an edited event that leaves the newest report year as it was).
    """

    since: int
    tags: frozenset[str]
    derived: dict[str, str]
    value: Any
    fingerprint: str = ""
    #: the derived values' tags when it was built: asked for with its own, so that checking a page
    #: whose derived values have not changed takes one round trip to the cache, not two
    hints: frozenset[str] = frozenset()


def seeded_versions(tags: Iterable[str], since: int) -> dict[str, int | None]:
    """The versions of ``tags`` by key, giving ``since`` to those that have none yet (``add``: a concurrent
    bump wins). One read for all of them; a write and a read only for each tag without a version."""
    keys = {tag_key(tag) for tag in tags}
    found = cache.get_many(list(keys))
    for key in keys - found.keys():
        cache.add(key, since, timeout=TAG_SECONDS)
        found[key] = cache.get(key)
    return found


def storable(built: Built, position: int | None = None) -> bool:
    """Whether ``built`` is still fresh now, and was read where every change of its tags had arrived.

    ``position``: the replay position of the replica it was read from (None: the primary).
    Its tags that have no version yet get ``since``.
    """
    found = seeded_versions(built.tags, built.since)
    if not all(value is not None and value <= built.since for value in found.values()):
        return False
    if position is None:
        return True
    written = cache.get_many([position_key(version) for version in set(found.values())])
    return all(needed <= position for needed in written.values())


def fresh(
    built: Built, derived_key: Callable[[str], str], recomputed: Callable[[str], Built | None] | None = None
) -> bool:
    """Whether nothing ``built`` depends on changed since: its tags, and each derived value it used, as it is now.

    ``derived_key(name)``: where a derived value's record (its tags and fingerprint) is kept.
    ``recomputed(name)``: the derived value computed again now, or None where it cannot be
    here; a value it recomputes counts as unchanged when it comes out the same.
    """
    level, checked, found = [("", built)], set(), {}
    while level:
        keys = set()
        for _name, item in level:
            keys |= {tag_key(tag) for tag in item.tags | item.hints}
            keys |= {derived_key(name) for name in item.derived.keys() - checked}
        if keys - found.keys():
            found |= cache.get_many(list(keys - found.keys()))
        deeper = []
        for name, item in level:
            if not all((value := found.get(tag_key(tag))) is not None and value <= item.since for tag in item.tags):
                again = recomputed(name) if name and recomputed else None
                if again is None or again.fingerprint != item.fingerprint:
                    return False
                continue  # computed just now, from values checked as it was
            for used, fingerprint in item.derived.items():
                if used in checked:
                    continue
                current = found.get(derived_key(used))
                if not isinstance(current, Built) or current.fingerprint != fingerprint:
                    return False
                checked.add(used)
                deeper.append((used, current))
        level = deeper
    return True


# Changes.


class _AfterCommit:
    """What one transaction changed, bumped once more when it commits.

    The records above the changed ones are looked up again then: links written later in
    the transaction (an import adds its events' partners after the events) count too.
    """

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.records: defaultdict[type[models.Model], set] = defaultdict(set)

    def __call__(self) -> None:
        tags = set(self.tags)
        for model, pks in self.records.items():
            tags |= change_tags(model, pks, records_above({model: pks}))
        bump(tags, primary_position())


def content_changed(tags: Iterable[str], records: dict[type[models.Model], set] | None = None) -> None:
    """Bumps ``tags`` now, and again after the commit with what is above ``records`` then (once per transaction).

    Now, so that nothing cached before the change survives (and a test, which never
    commits, sees it); after the commit, so that a page rendered from the old rows while
    the transaction was open is not kept either.
    """
    tags = set(tags)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump(tags, primary_position())  # committed already
        return
    bump(tags)
    pending = next((func for _ids, func, _robust in connection.run_on_commit if isinstance(func, _AfterCommit)), None)
    if pending is None:
        pending = _AfterCommit()
        transaction.on_commit(pending)
    pending.tags |= tags
    for model, pks in (records or {}).items():
        pending.records[model] |= set(pks)


def records_above(start: dict[type[models.Model], set]) -> set[tuple[str, Any]]:
    """``(label, pk)`` of every record above the given ones (parents, their parents…), as the primary has them."""
    found: set[tuple[str, Any]] = set()
    frontier = {model: set(pks) for model, pks in start.items() if pks}
    while frontier:
        upper: defaultdict[type[models.Model], set] = defaultdict(set)
        for model, pks in frontier.items():
            for name, parent in content_parents(model):
                link = model._meta.get_field(name)
                column = name if link.many_to_many else link.attname
                records = model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk__in=pks).order_by()
                for pk in records.values_list(column, flat=True):
                    if pk is not None and (parent._meta.label_lower, pk) not in found:
                        found.add((parent._meta.label_lower, pk))
                        upper[parent].add(pk)
        frontier = upper
    return found


def parents_of(
    instance: models.Model, *, links: bool = True, using: str | None = DEFAULT_DB_ALIAS
) -> dict[type[models.Model], set]:
    """The records ``instance`` hangs from: its foreign keys as it holds them, and if asked its links (prefetched,
    or a query each on ``using``; None: where the router reads)."""
    found: defaultdict[type[models.Model], set] = defaultdict(set)
    for name, parent in content_parents(type(instance)):
        link = instance._meta.get_field(name)
        if not link.many_to_many:
            found[parent].add(getattr(instance, link.attname))
        elif links:
            prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(name)
            if prefetched is not None:
                found[parent] |= {record.pk for record in prefetched}
            else:
                related = getattr(instance, name).all() if using is None else getattr(instance, name).using(using)
                found[parent] |= set(related.values_list("pk", flat=True))
    return {parent: pks - {None} for parent, pks in found.items() if pks - {None}}


def records_and_above(start: dict[type[models.Model], set]) -> set[tuple[str, Any]]:
    """The given records and every record above them."""
    given = {(model._meta.label_lower, pk) for model, pks in start.items() for pk in pks}
    return given | records_above(start)


def change_tags(model: type[models.Model], pks: Iterable, above: Iterable[tuple[str, Any]]) -> set[str]:
    """What changing records ``pks`` of ``model``, which hang below the ``above`` records, invalidates."""
    label = model._meta.label_lower
    tags = {ANY, label, *(own(label, pk) for pk in pks)}
    for parent, pk in above:
        tags |= {below(parent, pk), below(parent, pk, label)}
    return tags


def _saved_tags(instance: models.Model, former_parents: dict[type[models.Model], set], *, links: bool) -> set[str]:
    above = records_and_above(parents_of(instance, links=links)) | records_and_above(former_parents)
    return change_tags(type(instance), {instance.pk}, above)


def _foreign_parents(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """``(column attribute, parent model)`` of the foreign keys to content (what a save can change)."""
    fields = [(model._meta.get_field(name), parent) for name, parent in content_parents(model)]
    return [(link.attname, parent) for link, parent in fields if not link.many_to_many]


def _former_parents(model: type[models.Model], records: Iterable[models.Model]) -> dict[type[models.Model], set]:
    """The parents (by foreign key) that saving ``records`` takes them away from, read before the write."""
    keys = _foreign_parents(model)
    records = [record for record in records if record.pk is not None and not record._state.adding]
    if not keys or not records:
        return {}
    stored = model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk__in=[record.pk for record in records])
    before = {row[0]: row[1:] for row in stored.values_list("pk", *(attname for attname, _parent in keys))}
    former: defaultdict[type[models.Model], set] = defaultdict(set)
    for record in records:
        for (attname, parent), value in zip(keys, before.get(record.pk, ()), strict=False):
            if value is not None and value != getattr(record, attname):
                former[parent].add(value)
    return dict(former)


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    instance._cache_former_parents = _former_parents(sender, [instance])


def _after_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A new record has no links yet: they come with their own signal."""
    former = instance.__dict__.pop("_cache_former_parents", {})
    content_changed(_saved_tags(instance, former, links=not created), {sender: {instance.pk}})


def _before_delete(sender, instance, **kwargs) -> None:
    """Before the row and its links go: what is above it is read while it is there."""
    content_changed(_saved_tags(instance, {}, links=True))


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Links added, removed or about to be cleared: the linking records, and the linked ones with all above them."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if reverse:  # partner.events.add(event): the events link, the partner is linked
        child, parent = model, type(instance)
    else:
        child, parent = type(instance), model
    name = next(link.name for link in child._meta.many_to_many if link.remote_field.through is sender)
    if action == "pre_clear":
        if reverse:
            pk_set = child._base_manager.using(DEFAULT_DB_ALIAS).filter(**{name: instance}).values_list("pk", flat=True)
        else:
            pk_set = getattr(instance, name).using(DEFAULT_DB_ALIAS).values_list("pk", flat=True)
    pk_set = set(pk_set or ())
    if not pk_set:
        return
    children, parents = (pk_set, {instance.pk}) if reverse else ({instance.pk}, pk_set)
    content_changed(change_tags(child, children, records_and_above({parent: parents})), {child: children})


@on_content_registered
def _connect(entry: Content) -> None:
    content_connect(post_init, _loaded, entry, "cache-tags-loaded")
    content_connect(pre_save, _before_save, entry, "cache-tags-before-save")
    content_connect(post_save, _after_save, entry, "cache-tags-save")
    content_connect(pre_delete, _before_delete, entry, "cache-tags-before-delete")
    for through in link_throughs(entry):
        content_connect(m2m_changed, _links_changed, entry, "cache-tags-links", sender=through)


@on_bulk_prepare
def _before_bulk(entry: Content, records) -> None:
    former = _former_parents(entry.model, records)
    if former:
        content_changed(change_tags(entry.model, (), records_and_above(former)))


@on_bulk_saved
def _after_bulk(entry: Content, records) -> None:
    """The records above are looked up once, at the commit: a bulk write is always in a transaction."""
    pks = {record.pk for record in records}
    content_changed(change_tags(entry.model, pks, ()), {entry.model: pks})
