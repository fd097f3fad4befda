"""The site search machinery: every registered searchable record, in the visitor's language.

Each public record has one ``SearchEntry`` per language holding the text that language's
pages show — through the fallback, so a Russian-only title is found from /vi/. Its
stored tsvector combines PostgreSQL's built-in ``russian`` and ``english`` stemming
(визит, визиты, визитом) with a ``simple`` copy of the text stripped of accents in
Python («Hồ Chí Minh» is found as "Ho Chi Minh"); no contrib extension is needed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import models
from django.db.models import Expression, F, Q, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.i18n import text_in_language
from core.models import SearchEntry
from core.registry import Content, content_connect, content_for, on_bulk_saved, on_content_registered, searchable
from core.text import fold, plain_text

MAX_QUERY = 200
PER_KIND = 10
RANK_CANDIDATES = 200
COUNT_CAP = 1000
STEMMED_CONFIGS = ("russian", "english")


class Document(Expression):
    """A tsvector of weighted texts, each stemmed under its configuration: ``(config, text, weight)`` parts.

    The SQL that adding up ``SearchVector(Value(text), config=…, weight=…)`` builds, written
    once: compiling seven Django expressions per entry cost more than the insert itself
    when indexing in bulk. Configurations and weights are this module's constants; only
    the texts are parameters.
    """

    output_field = SearchVectorField()

    def __init__(self, parts: Iterable[tuple[str, str, str]]) -> None:
        super().__init__()
        self.parts = tuple(parts)

    def as_sql(self, compiler, connection) -> tuple[str, list[str]]:
        part = "setweight(to_tsvector('{}'::regconfig, %s::text), '{}')"
        sql = " || ".join(part.format(config, weight) for config, _text, weight in self.parts)
        return f"({sql})", [text for _config, text, _weight in self.parts]


def _document(title: str, text: str, other_titles: str) -> Document:
    parts = []
    for value, weight in ((title, "A"), (text, "C")):
        parts += [(config, value, weight) for config in STEMMED_CONFIGS]
        parts.append(("simple", fold(value), weight))
    parts.append(("simple", fold(other_titles), "D"))
    return Document(parts)


def _entries_for(entry: Content, instance: models.Model) -> list[SearchEntry]:
    """The unsaved search entries of one public record, one per language."""
    source = entry.search
    all_titles = {code: getattr(instance, f"{source.title}_{code}", "") or "" for code, _name in settings.LANGUAGES}
    rows = []
    for language, _name in settings.LANGUAGES:
        title, _shown_in = text_in_language(instance, source.title, language)
        text = " ".join(plain_text(text_in_language(instance, field, language)[0]) for field in source.texts).strip()
        others = " ".join(value for code, value in all_titles.items() if value and value != title)
        with translation.override(language):
            url = instance.get_absolute_url()
        rows.append(
            SearchEntry(
                kind=source.kind,
                object_id=instance.pk,
                language=language,
                title=title,
                text=text,
                url=url,
                visible_from=getattr(instance, "published_on", None),
                document=_document(title, text, others),
            )
        )
    return rows


def index_record(instance: models.Model) -> None:
    """Bring the search entries of one record up to date (one per language, or none if not public)."""
    entry = content_for(instance)
    entries = SearchEntry.objects.filter(kind=entry.search.kind, object_id=instance.pk)
    if not entry.is_public(instance):
        entries.delete()
        return
    # Two queries per record: replacing the entries is cheaper than comparing them.
    entries.delete()
    SearchEntry.objects.bulk_create(_entries_for(entry, instance))


def index_records(instances: Iterable[models.Model]) -> int:
    """Index many records of one model in two queries per batch (for bulk loads that bypass save())."""
    instances = list(instances)
    if not instances:
        return 0
    entry = content_for(instances[0])
    if entry is None or entry.search is None:
        return 0
    SearchEntry.objects.filter(kind=entry.search.kind, object_id__in=[instance.pk for instance in instances]).delete()
    rows = [row for instance in instances if entry.is_public(instance) for row in _entries_for(entry, instance)]
    SearchEntry.objects.bulk_create(rows, batch_size=300)
    return len(instances)


def forget_record(instance: models.Model) -> None:
    SearchEntry.objects.filter(kind=content_for(instance).search.kind, object_id=instance.pk).delete()


def rebuild_index() -> int:
    """Re-index every record (after installing, or after a bulk change that bypassed save())."""
    count = 0
    SearchEntry.objects.all().delete()
    for entry in searchable():
        batch = []
        for instance in entry.model._default_manager.iterator(chunk_size=500):
            batch.append(instance)
            if len(batch) == 500:
                count += index_records(batch)
                batch = []
        count += index_records(batch)
    return count


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    index_record(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    forget_record(instance)


@on_content_registered
def _connect(entry: Content) -> None:
    if entry.search:
        content_connect(post_save, _on_save, entry, "search-index")
        content_connect(post_delete, _on_delete, entry, "search-forget")


@on_bulk_saved
def _index_in_bulk(entry: Content, records) -> None:
    if entry.search:
        index_records(records)


# --- Querying -----------------------------------------------------------------------------


def search_query(text: str) -> SearchQuery:
    query = SearchQuery(fold(text), config="simple", search_type="websearch")
    for config in STEMMED_CONFIGS:
        query |= SearchQuery(text, config=config, search_type="websearch")
    return query


def entries_matching(text: str, language: str):
    today = timezone.localdate()
    visible = Q(visible_from__isnull=True) | Q(visible_from__lte=today)
    return SearchEntry.objects.filter(visible, language=language, document=search_query(text))


@dataclass
class Group:
    kind: str
    label: str
    count: int
    hits: list
    more: bool = False  # more than ``count`` matches: counting stops at COUNT_CAP


def search(text: str, language: str, per_kind: int = PER_KIND) -> list[Group]:
    """The best ``per_kind`` matches of each kind and each kind's total: two queries.

    A word found in thousands of records stays fast: the first query reads at most
    ``COUNT_CAP`` + 1 matches of each kind through the kind's index (so a total may read
    "1000+"), and the first ``RANK_CANDIDATES`` of them are ranked by the second.
    """
    query = search_query(text)
    matches = entries_matching(text, language)
    sources = [entry.search for entry in searchable()]
    capped = [matches.filter(kind=source.kind).values_list("kind", "pk")[: COUNT_CAP + 1] for source in sources]
    counts, candidates = Counter(), []
    for kind, pk in capped[0].union(*capped[1:], all=True):
        counts[kind] += 1
        if counts[kind] <= RANK_CANDIDATES:
            candidates.append(pk)
    hits = (
        SearchEntry.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("document"), query))
        .annotate(position=Window(RowNumber(), partition_by=F("kind"), order_by=[F("rank").desc(), F("pk").asc()]))
        .filter(position__lte=per_kind)
        .order_by("kind", "position")
        .only("kind", "object_id", "title", "text", "url")
    )
    by_kind: dict[str, list] = {}
    for hit in hits:
        hit.title_html = highlight(hit.title, text, length=0)
        hit.snippet_html = highlight(hit.text, text)
        by_kind.setdefault(hit.kind, []).append(hit)
    return [
        Group(
            source.kind,
            source.label,
            min(counts[source.kind], COUNT_CAP),
            by_kind.get(source.kind, []),
            more=counts[source.kind] > COUNT_CAP,
        )
        for source in sources
        if counts[source.kind]
    ]


_WORD = re.compile(r"\w+")


def _terms(query: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(query)][:20]


def _matches(word: str, terms: Iterable[str]) -> bool:
    """A loose stand-in for stemming, only for highlighting: визитом ~ визиты, "ho" = «hồ»."""
    word = fold(word)
    for term in terms:
        if len(term) <= 3:
            if word == term:
                return True
        elif word.startswith(term[: max(4, len(term) - 2)]):
            return True
    return False


def highlight(text: str, query: str, length: int = 240) -> SafeString:
    """Escaped ``text`` (or a window of ``length`` characters around the first match) with matches marked."""
    terms = _terms(query)
    spans = [match.span() for match in _WORD.finditer(text) if _matches(match.group(), terms)]
    start, end = 0, len(text)
    if length and len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 3)
        end = min(len(text), start + length)
    out, cursor = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        out.append(escape(text[cursor:left]))
        out.append(f"<mark>{escape(text[left:right])}</mark>")
        cursor = right
    out.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 — every piece is escaped above


def has_terms(query: str) -> bool:
    """Whether ``query`` has a word to search for (punctuation alone finds nothing)."""
    return bool(_terms(query))
