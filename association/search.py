"""The site search: partners, events, societies, pages and news in the visitor's language.

Each public record has one ``SearchEntry`` per language holding the text that language's
pages show — through the fallback, so a Russian-only title is found from /vi/. Its
stored tsvector combines PostgreSQL's built-in ``russian`` and ``english`` stemming
(визит, визиты, визитом) with a ``simple`` copy of the text stripped of accents in
Python («Hồ Chí Minh» is found as "Ho Chi Minh"); no contrib extension is needed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import models
from django.db.models import Expression, F, Q, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from association.i18n import text_in_language
from association.models import NewsItem, Page, SearchEntry
from association.slugs import strip_accents
from events.models import Event
from partners.models import Partner
from societies.models import Society

MAX_QUERY = 200
PER_KIND = 10
RANK_CANDIDATES = 200
COUNT_CAP = 1000
STEMMED_CONFIGS = ("russian", "english")


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    model: type[models.Model]
    title: str
    texts: tuple[str, ...]


SOURCES = (
    Source("partner", _("Partners"), Partner, "name", ("description",)),
    Source("event", _("Events"), Event, "title", ("description",)),
    Source("society", _("Societies"), Society, "name", ("description", "address")),
    Source("page", _("Pages"), Page, "title", ("summary", "body")),
    Source("news", _("News"), NewsItem, "title", ("summary", "body")),
)
SOURCE_BY_MODEL = {source.model: source for source in SOURCES}
SOURCE_BY_KIND = {source.kind: source for source in SOURCES}


def normalise(text: str) -> str:
    """The accent-free lower-case form used for names and Vietnamese: «Hồ Chí Minh» → "ho chi minh"."""
    return strip_accents(text).lower()


def plain(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text)).split())


def _is_public(instance: models.Model) -> bool:
    return bool(getattr(instance, "is_published", True))


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
        parts.append(("simple", normalise(value), weight))
    parts.append(("simple", normalise(other_titles), "D"))
    return Document(parts)


def _entries_for(source: Source, instance: models.Model) -> list[SearchEntry]:
    """The unsaved search entries of one public record, one per language."""
    all_titles = {code: getattr(instance, f"{source.title}_{code}", "") or "" for code, _name in settings.LANGUAGES}
    rows = []
    for language, _name in settings.LANGUAGES:
        title, _shown_in = text_in_language(instance, source.title, language)
        text = " ".join(plain(text_in_language(instance, field, language)[0]) for field in source.texts).strip()
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
    source = SOURCE_BY_MODEL[type(instance)]
    entries = SearchEntry.objects.filter(kind=source.kind, object_id=instance.pk)
    if not _is_public(instance):
        entries.delete()
        return
    # Two queries per record: replacing the entries is cheaper than comparing them.
    entries.delete()
    SearchEntry.objects.bulk_create(_entries_for(source, instance))


def index_records(instances: Iterable[models.Model]) -> int:
    """Index many records of one model in two queries per batch (for bulk loads that bypass save())."""
    instances = list(instances)
    if not instances:
        return 0
    source = SOURCE_BY_MODEL[type(instances[0])]
    SearchEntry.objects.filter(kind=source.kind, object_id__in=[instance.pk for instance in instances]).delete()
    rows = [row for instance in instances if _is_public(instance) for row in _entries_for(source, instance)]
    SearchEntry.objects.bulk_create(rows, batch_size=300)
    return len(instances)


def forget_record(instance: models.Model) -> None:
    source = SOURCE_BY_MODEL[type(instance)]
    SearchEntry.objects.filter(kind=source.kind, object_id=instance.pk).delete()


def rebuild_index() -> int:
    """Re-index every record (after installing, or after a bulk change that bypassed save())."""
    count = 0
    SearchEntry.objects.all().delete()
    for source in SOURCES:
        batch = []
        for instance in source.model._default_manager.iterator(chunk_size=500):
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


def connect_signals() -> None:
    for source in SOURCES:
        post_save.connect(_on_save, sender=source.model, dispatch_uid=f"search-index-{source.kind}")
        post_delete.connect(_on_delete, sender=source.model, dispatch_uid=f"search-forget-{source.kind}")


# --- Querying -----------------------------------------------------------------------------


def search_query(text: str) -> SearchQuery:
    query = SearchQuery(normalise(text), config="simple", search_type="websearch")
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
    capped = [matches.filter(kind=source.kind).values_list("kind", "pk")[: COUNT_CAP + 1] for source in SOURCES]
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
        for source in SOURCES
        if counts[source.kind]
    ]


_WORD = re.compile(r"\w+")


def _terms(query: str) -> list[str]:
    return [normalise(word) for word in _WORD.findall(query)][:20]


def _matches(word: str, terms: Iterable[str]) -> bool:
    """A loose stand-in for stemming, only for highlighting: визитом ~ визиты, "ho" = «hồ»."""
    word = normalise(word)
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


# --- The page -----------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class SearchView(TemplateView):
    template_name = "association/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm({"q": self.request.GET.get("q", "")})
        text = form.cleaned_data["q"].strip() if form.is_valid() else ""
        groups = search(text, translation.get_language()) if _terms(text) else []
        total = sum(group.count for group in groups)
        context.update(form=form, query=text, groups=groups, total=total, more=any(group.more for group in groups))
        return context
