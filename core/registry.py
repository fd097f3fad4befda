"""The content registry: each content model is declared once, by its app.

Every domain app calls ``content_register`` in its ``AppConfig.ready()``; what must
happen when content changes — sanitising rich text, processing images, indexing for the
site search, invalidating the public page cache — and what staff tools list (roles,
translation status) is read from here, never from a list of models kept elsewhere. A new
content model therefore takes one registration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.dispatch import Signal
from django.utils.functional import Promise


@dataclass(frozen=True)
class SearchSpec:
    """How the site search finds and shows a model: its result kind, the heading, the title and text fields.

    The optional parts say what else a record is found by, each a function of the record:
    ``names`` are its other names (former names, spellings: found like its title, and the
    query naming one exactly ranks the record first); ``places`` name where it belongs (a
    partner's country in every language: found like a name, never an exact match);
    ``details`` is more text in the language being indexed, called with that language
    active (an agreement's kind and dates). What those functions read is declared too:
    ``follows`` names the relations whose records' changes change this record's entries
    (it is re-indexed when one of them is saved, deleted or linked), ``prefetch`` what to
    load at once when many records are indexed.
    """

    kind: str
    label: str | Promise
    title: str
    texts: tuple[str, ...] = ()
    names: Callable[[models.Model], Iterable[str]] | None = None
    places: Callable[[models.Model], Iterable[str]] | None = None
    details: Callable[[models.Model], str] | None = None
    follows: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    #: Its titles and names are offered when a search finds nothing ("Did you mean …?").
    suggest: bool = False


@dataclass(frozen=True)
class Content:
    """One registered content model and what the portal does with it."""

    model: type[models.Model]
    #: Rich-text fields (sanitised on save, edited with the toolbar).
    rich: tuple[str, ...] = ()
    #: The uploaded image field (validated, stripped of metadata, given renditions).
    image: str | None = None
    search: SearchSpec | None = None
    #: Many-to-many fields whose link changes count as a change of the record.
    links: tuple[str, ...] = ()
    #: Translators may change it (its texts in their language); not for records no one translates.
    translators: bool = True
    #: Its place in the translation status table, or None when not listed there.
    status_position: int | None = None
    #: The records the public sees; defaults to the manager's ``published()`` where it has one.
    public: Callable[[models.Manager], models.QuerySet] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def public_records(self) -> models.QuerySet:
        manager = self.model._default_manager
        if self.public is not None:
            return self.public(manager)
        if hasattr(manager, "published"):
            return manager.published()
        return manager.all()

    def is_public(self, instance: models.Model) -> bool:
        """Whether a saved record is shown to the public by its own flag (drafts are not indexed for search)."""
        return bool(getattr(instance, "is_published", True))

    def public_filter(self, records: models.QuerySet) -> models.QuerySet:
        """``records`` without those that ``public`` keeps from the public (an agreement of an unpublished partner)."""
        if self.public is None:
            return records
        return records.filter(pk__in=self.public_records().values("pk"))


_registry: dict[str, Content] = {}
_handlers: list[Callable[[Content], None]] = []
_bulk_prepare: list[Callable[[Content, Sequence[models.Model]], None]] = []
_bulk_saved: list[Callable[[Content, Sequence[models.Model]], None]] = []
_connections: dict[str, list[tuple[Signal, type, str]]] = {}
_generation = 0


def content_register(model: type[models.Model], **options) -> Content:
    """Declares ``model`` as content; every side-effect handler is connected to it at once."""
    global _generation
    entry = Content(model=model, **options)
    _registry[entry.label] = entry
    _generation += 1
    for handler in _handlers:
        handler(entry)
    return entry


def on_content_registered(handler: Callable[[Content], None]) -> Callable[[Content], None]:
    """Connects ``handler`` to every content model, registered before or after it."""
    _handlers.append(handler)
    for entry in list(_registry.values()):
        handler(entry)
    return handler


def content_unregister(model: type[models.Model]) -> None:
    """Forgets a model and disconnects its handlers' signals (for tests' throwaway models)."""
    global _generation
    entry = _registry.pop(model._meta.label_lower, None)
    _generation += 1
    for signal, sender, dispatch_uid in _connections.pop(model._meta.label_lower, []) if entry else []:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)


def content_connect(signal: Signal, receiver: Callable, entry: Content, purpose: str, sender=None) -> None:
    """Connects a handler's receiver for one content model (its own sender, or a link table)."""
    sender = sender or entry.model
    dispatch_uid = f"{purpose}:{sender._meta.label_lower}"
    signal.connect(receiver, sender=sender, dispatch_uid=dispatch_uid)
    _connections.setdefault(entry.label, []).append((signal, sender, dispatch_uid))


def contents() -> list[Content]:
    return list(_registry.values())


def content_for(model: type[models.Model] | models.Model) -> Content | None:
    return _registry.get(model._meta.label_lower)


def searchable() -> list[Content]:
    return [entry for entry in _registry.values() if entry.search]


def registry_generation() -> int:
    """Changes whenever a model is registered or unregistered (for what is derived from the registry)."""
    return _generation


def content_parents(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """The content records a record of ``model`` belongs to: its foreign keys and many-to-many fields to content.

    ``(field name, model)`` pairs — an event's partners, societies and report, a partner's
    country, a country's region. The page cache's invalidation follows them upwards.
    """
    return [
        (field.name, field.related_model)
        for field in model._meta.get_fields()
        if field.is_relation
        and not field.auto_created
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is not model
        and field.related_model is not None
        and field.related_model._meta.label_lower in _registry
    ]


def link_throughs(entry: Content) -> Iterable[type[models.Model]]:
    return [entry.model._meta.get_field(name).remote_field.through for name in entry.links]


def on_bulk_prepare(handler: Callable[[Content, Sequence[models.Model]], None]) -> Callable:
    """``handler(entry, records)`` runs before a bulk write, where ``pre_save`` would have run for each record."""
    _bulk_prepare.append(handler)
    return handler


def on_bulk_saved(handler: Callable[[Content, Sequence[models.Model]], None]) -> Callable:
    """``handler(entry, records)`` runs after a bulk write, where ``post_save`` would have run for each record."""
    _bulk_saved.append(handler)
    return handler


def bulk_prepare_handlers() -> list[Callable[[Content, Sequence[models.Model]], None]]:
    return list(_bulk_prepare)


def bulk_saved_handlers() -> list[Callable[[Content, Sequence[models.Model]], None]]:
    return list(_bulk_saved)
