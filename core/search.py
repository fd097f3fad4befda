"""The site search machinery: every registered searchable record, in the visitor's language.

Each public record has one ``SearchEntry`` per language holding the text that language's
pages show — through the fallback, so a Russian-only title is found from /vi/. Its
stored tsvector holds, weighted, the title (A); the record's other names (B): its title
in the other languages, its aliases and former names, the places it belongs to (a
partner's country in every language); and its texts (C). Each of them is stemmed by
PostgreSQL's built-in ``russian`` and ``english`` configurations (визит, визиты,
визитом), folded in Python (``simple``: «Hồ Chí Minh» is found as "Ho Chi Minh"), and
as lemmas (``simple`` again): every word with the lemmas of all its readings
(``core.morphology``), so «Шанхая», «Шанхаю» and «Шанхаем» meet «Шанхай», which the
stemmer cuts differently; Vietnamese abbreviations add what they stand for («TP.» →
thành phố). No contrib extension is needed.

A query is read both ways at once, as one tsquery that each kind's GIN index answers:
in PostgreSQL's websearch syntax under each configuration (phrases, exclusions, stems),
and word by word, each word any of its lemmas (or an abbreviation's expansion). Among
a kind's matches an exact name ranks first (the query is one of the record's own
names, word for word up to inflection), then a match in the title or names, then
PostgreSQL's rank over the weights.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import BooleanField, Expression, ExpressionWrapper, F, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.cache import derived
from core.i18n import text_in_language, translated_values
from core.models import SearchEntry
from core.morphology import CACHE_SIZE, WORD, is_function_word, is_russian, lemmas
from core.registry import Content, content_connect, content_for, on_bulk_saved, on_content_registered, searchable
from core.text import fold, fold_words, plain_text

MAX_QUERY = 200
PER_KIND = 10
RANK_CANDIDATES = 200
COUNT_CAP = 1000
STEMMED_CONFIGS = ("russian", "english")
TITLE, NAMES, TEXT = "A", "B", "C"
MAX_WORDS = 20  # of a query: the rest is ignored
MAX_KEYS = 32  # readings of one name, word by word, kept as its exact-match keys
BATCH = 500

# Vietnamese abbreviations, folded: «TP. Hồ Chí Minh», "tp hcm".
ABBREVIATIONS = {"tp": "thanh pho", "tphcm": "thanh pho ho chi minh", "hcm": "ho chi minh"}
# Single letters stand for a word only with their dot: «Q. 1», «H. Củ Chi», «T. Thanh Hóa».
DOTTED_ABBREVIATIONS = {"q": "quan", "h": "huyen", "t": "tinh"}
# English words a query read by lemmas does not require (the english configuration ignores them too).
_ENGLISH_FUNCTION = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to"})
_TOKEN = re.compile(rf"(-?)({WORD.pattern})(\.?)")


@dataclass(frozen=True)
class Word:
    """One word of a text or a query as the search reads it: every form it matches."""

    forms: tuple[str, ...]  # folded lemmas, and an abbreviation's expansion (of several words), sorted
    negated: bool = False  # "-word" in a query
    function: bool = False  # a preposition, a conjunction, "the": not required by a query
    others: tuple[str, ...] = ()  # the forms other than the folded word itself


def read_words(text: str) -> list[Word]:
    """The words of ``text``, each with its lemmas: «в г. Шанхая» → в, г, {шанхаи, шанхая}."""
    words = []
    for match in _TOKEN.finditer(text):
        sign, word, dot = match.groups()
        negated = bool(sign) and (match.start() == 0 or text[match.start() - 1].isspace())
        words.append(_read_word(word, bool(dot), negated))
    return words


@functools.lru_cache(maxsize=CACHE_SIZE)
def _read_word(word: str, dot: bool, negated: bool) -> Word:
    folded = fold(word)
    forms = set(lemmas(word))
    if folded in ABBREVIATIONS:
        forms.add(ABBREVIATIONS[folded])
    elif dot and folded in DOTTED_ABBREVIATIONS:
        forms.add(DOTTED_ABBREVIATIONS[folded])
    function = folded in _ENGLISH_FUNCTION or is_function_word(word)
    return Word(tuple(sorted(forms)), negated, function, tuple(sorted(forms - {folded})))


def index_text(text: str) -> str:
    """The forms of the words of ``text`` other than the words themselves: the lemma part of a document.

    The folded text beside it holds the words themselves: «визитом в Шанхае» → "визит шанхаи".
    """
    return " ".join(form for word in read_words(text) for form in word.others)


def name_keys(name: str) -> set[str]:
    """A name's readings word by word («Алма-Ате» → "алма-ата", "алма-ате"): equal for every form of it."""
    return _keys(read_words(name))


def _keys(words: Iterable[Word]) -> set[str]:
    keys = [""]
    for word in words:
        keys = [f"{key} {form}".strip() for key in keys for form in word.forms][:MAX_KEYS]
    return {key for key in keys if key}


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


def _document(title: str, names: str, text: str) -> Document:
    parts = []
    for value, weight in ((title, TITLE), (text, TEXT)):
        parts += [(config, value, weight) for config in STEMMED_CONFIGS]
        parts += [("simple", fold(value), weight), ("simple", index_text(value), weight)]
    parts += [("simple", fold(names), NAMES), ("simple", index_text(names), NAMES)]
    return Document(parts)


def _distinct(names: Iterable[str], but: str = "") -> list[str]:
    """Names without repeats (as folded), and without ``but``."""
    seen, kept = {fold(but)}, []
    for name in names:
        if name and fold(name) not in seen:
            seen.add(fold(name))
            kept.append(name)
    return kept


def _entries_for(entry: Content, instance: models.Model) -> list[SearchEntry]:
    """The unsaved search entries of one public record, one per language."""
    source = entry.search
    titles = translated_values(instance, source.title)
    own_names = [*titles, *(source.names(instance) if source.names else ())]
    places = list(source.places(instance)) if source.places else []
    keys = sorted(set().union(*(name_keys(name) for name in own_names if name)))
    rows = []
    for language, _name in settings.LANGUAGES:
        title, _shown_in = text_in_language(instance, source.title, language)
        texts = [plain_text(text_in_language(instance, field, language)[0]) for field in source.texts]
        with translation.override(language):
            url = instance.get_absolute_url()
            if source.details:
                texts.append(source.details(instance))
        text = " ".join(" ".join(texts).split())
        names = _distinct([*own_names, *places], but=title)
        rows.append(
            SearchEntry(
                kind=source.kind,
                object_id=instance.pk,
                language=language,
                title=title,
                text=text,
                url=url,
                visible_from=getattr(instance, "published_on", None),
                names=names,
                name_keys=keys,
                document=_document(title, " ".join(names), text),
            )
        )
    return rows


def index_record(instance: models.Model) -> None:
    """Bring the search entries of one record up to date (one per language, or none if not public)."""
    index_records([instance])


def index_records(instances: Iterable[models.Model]) -> int:
    """Index records of one model in a few queries per batch (also for bulk loads that bypass save())."""
    instances = list(instances)
    if not instances:
        return 0
    entry = content_for(instances[0])
    if entry is None or entry.search is None:
        return 0
    for start in range(0, len(instances), BATCH):
        batch = instances[start : start + BATCH]
        _replace(entry, [instance.pk for instance in batch], batch)
    return len(instances)


def _replace(entry: Content, keys: list | models.QuerySet, instances: list | None = None) -> None:
    """Replace the entries of the records ``keys`` (a list, or a query of keys): deleted, written again if public.

    Replacing is cheaper than comparing. Records whose entries read related records (or
    whose publicity does) are read afresh, with those: a caller's instances keep their
    caches as they were. Others are indexed from the ``instances`` given, as saved.
    """
    SearchEntry.objects.filter(kind=entry.search.kind, object_id__in=keys).delete()
    if instances is None or entry.search.prefetch or entry.public is not None:
        instances = _read(entry, keys)
    rows = [row for instance in instances if entry.is_public(instance) for row in _entries_for(entry, instance)]
    SearchEntry.objects.bulk_create(rows, batch_size=300)


def _read(entry: Content, keys: list | models.QuerySet) -> list[models.Model]:
    """The records ``keys`` that ``public`` lets through, with the related records their entries read."""
    records = entry.public_filter(entry.model._default_manager.filter(pk__in=keys)).order_by()
    joined = [name for name in entry.search.prefetch if entry.model._meta.get_field(name).many_to_one]
    others = [name for name in entry.search.prefetch if name not in joined]
    return list(records.select_related(*joined).prefetch_related(*others))


def forget_record(instance: models.Model) -> None:
    SearchEntry.objects.filter(kind=content_for(instance).search.kind, object_id=instance.pk).delete()


def rebuild_index() -> int:
    """Re-index every record (after installing, or after a bulk change that bypassed save())."""
    count = 0
    SearchEntry.objects.all().delete()
    for entry in searchable():
        records = entry.model._default_manager.order_by("pk").iterator(chunk_size=BATCH)
        while batch := list(itertools.islice(records, BATCH)):
            count += index_records(batch)
    return count


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index_record(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    forget_record(instance)


# --- Records whose entries show another record's names -----------------------------------
#
# A partner's entries name its country, an agreement's its partner and milestones: the
# ``follows`` of their SearchSpec. When such a related record is saved, deleted or linked,
# the records following it are indexed again.

# The records being deleted, by (model, key), for as long as the deletion holds them: a
# partner's deletion deletes its agreements' milestones first, and the agreements, about
# to go too, are not indexed again for each milestone.
_deleting: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _on_pre_delete(sender, instance, **kwargs) -> None:
    _deleting[(instance._meta.label_lower, instance.pk)] = instance


def _following(entry: Content, name: str, related: Sequence[models.Model]) -> list | models.QuerySet:
    """The keys of the records of ``entry`` whose entries read ``related`` through ``name`` (none being deleted)."""
    field = entry.model._meta.get_field(name)
    if field.one_to_many:  # a reverse foreign key: the related records hold the keys, no query needed
        keys = {getattr(record, field.field.attname) for record in related}
        return [key for key in keys if key is not None and (entry.label, key) not in _deleting]
    keys = entry.model._default_manager.filter(**{f"{name}__in": [record.pk for record in related]}).values("pk")
    deleting = [key for label, key in list(_deleting.keys()) if label == entry.label]
    return keys.exclude(pk__in=deleting) if deleting else keys


def _reindex(entry: Content, keys: list | models.QuerySet) -> None:
    if isinstance(keys, models.QuerySet) or keys:
        _replace(entry, keys)


def _followers_of(model: type[models.Model]) -> list[tuple[Content, str]]:
    """The searchable models, and their relations, whose entries read records of ``model``."""
    return [
        (entry, name)
        for entry in searchable()
        for name in entry.search.follows
        if entry.model._meta.get_field(name).related_model is model
    ]


_receivers = []  # signals hold their receivers weakly: these closures live as long as the process


def _connect_follower(entry: Content, name: str) -> None:
    field = entry.model._meta.get_field(name)
    related = field.related_model
    stash = f"_search_following_{entry.label}_{name}"

    def saved(sender, instance, created=False, raw=False, **kwargs) -> None:
        # A new record has no followers yet, unless it points at them (a new milestone at its agreement).
        if not raw and (field.one_to_many or not created):
            _reindex(entry, _following(entry, name, [instance]))

    def deleting(sender, instance, **kwargs) -> None:
        # Its links to the followers go with it: whose they were is known only now.
        if not field.one_to_many:
            setattr(instance, stash, list(_following(entry, name, [instance]).values_list("pk", flat=True)))

    def deleted(sender, instance, **kwargs) -> None:
        if field.one_to_many:
            _reindex(entry, _following(entry, name, [instance]))
        else:
            _reindex(entry, [key for key in getattr(instance, stash, []) if (entry.label, key) not in _deleting])

    def linked(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if not reverse:  # the record's own links changed
            if action in ("post_add", "post_remove", "post_clear"):
                index_record(instance)
        elif action == "pre_clear":  # a related record loses all its links: remember whose they were
            setattr(instance, stash, list(_following(entry, name, [instance]).values_list("pk", flat=True)))
        elif action == "post_clear":
            _reindex(entry, getattr(instance, stash, []))
        elif action in ("post_add", "post_remove"):
            _reindex(entry, list(pk_set))

    purpose = f"search-follow:{entry.label}.{name}"
    _receivers.extend([saved, deleting, deleted, linked])
    content_connect(post_save, saved, entry, purpose, sender=related)
    content_connect(pre_delete, deleting, entry, f"{purpose}:deleting", sender=related)
    content_connect(post_delete, deleted, entry, f"{purpose}:deleted", sender=related)
    if field.many_to_many:
        content_connect(m2m_changed, linked, entry, f"{purpose}:links", sender=getattr(entry.model, name).through)


@on_content_registered
def _connect(entry: Content) -> None:
    if entry.search:
        content_connect(post_save, _on_save, entry, "search-index")
        content_connect(pre_delete, _on_pre_delete, entry, "search-deleting")
        content_connect(post_delete, _on_delete, entry, "search-forget")
        for name in entry.search.follows:
            _connect_follower(entry, name)


@on_bulk_saved
def _index_in_bulk(entry: Content, records) -> None:
    if entry.search:
        index_records(records)
    for follower, name in _followers_of(entry.model):
        _reindex(follower, _following(follower, name, records))


# --- Querying -----------------------------------------------------------------------------


def _lexemes(form: str) -> str:
    """A form as tsquery text: its words quoted, all required («thanh pho» → 'thanh' & 'pho')."""
    parts = [f"'{part}'" for part in form.replace("'", " ").replace("\\", " ").split()]
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def _lemma_query(words: list[Word]) -> str:
    """``to_tsquery`` text requiring each word in any of its forms: («шанхаи» | «шанхая») & «визит»."""
    positive = [word for word in words if not word.negated]
    required = [word for word in positive if not word.function] or positive
    if not required:
        return ""
    excluded = [word for word in words if word.negated]
    return " & ".join([_any_form(word) for word in required] + [f"!{_any_form(word)}" for word in excluded])


def _any_form(word: Word) -> str:
    return "(" + " | ".join(_lexemes(form) for form in word.forms) + ")"


def _query_words(text: str) -> list[Word]:
    return read_words(text)[:MAX_WORDS]


def search_query(text: str) -> SearchQuery:
    query = SearchQuery(fold(text), config="simple", search_type="websearch")
    for config in STEMMED_CONFIGS:
        query |= SearchQuery(text, config=config, search_type="websearch")
    if lemma_query := _lemma_query(_query_words(text)):
        query |= SearchQuery(lemma_query, config="simple", search_type="raw")
    return query


class _NamedMatch(Expression):
    """Whether a query matches the title or the names of an entry (the A and B weights of its document)."""

    output_field = BooleanField()

    def __init__(self, query: SearchQuery) -> None:
        super().__init__()
        self.document, self.query = F("document"), query

    def get_source_expressions(self) -> list:
        return [self.document, self.query]

    def set_source_expressions(self, expressions) -> None:
        self.document, self.query = expressions

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        document, document_params = compiler.compile(self.document)
        query, query_params = compiler.compile(self.query)
        return f"(ts_filter({document}, '{{a,b}}') @@ {query})", [*document_params, *query_params]


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
    "1000+"), and the first ``RANK_CANDIDATES`` of them are ranked by the second: exact
    names first, then matches in a title or name, then by PostgreSQL's rank. A kind
    with an exact name among its hits is listed first («Китай»: the country, then its
    partners); the others keep the order of their registration.
    """
    query = search_query(text)
    matches = entries_matching(text, language)
    sources = [entry.search for entry in searchable()]
    capped = [matches.filter(kind=source.kind).values_list("kind", "pk")[: COUNT_CAP + 1] for source in sources]
    counts, candidates = _counted(capped[0].union(*capped[1:], all=True))
    keys = sorted(_keys(word for word in _query_words(text) if not word.negated))
    exact = ExpressionWrapper(Q(name_keys__overlap=keys), output_field=BooleanField()) if keys else Value(False)
    order = [F("exact").desc(), F("named").desc(), F("rank").desc(), F("pk").asc()]
    hits = (
        # One array parameter rather than hundreds of placeholders to build and parse.
        SearchEntry.objects.filter(pk__in=RawSQL("SELECT unnest(%s::integer[])", [candidates]))
        .annotate(exact=exact, named=_NamedMatch(query), rank=SearchRank(F("document"), query))
        .annotate(position=Window(RowNumber(), partition_by=F("kind"), order_by=order))
        .filter(position__lte=per_kind)
        .order_by("kind", "position")
        .only("kind", "object_id", "title", "text", "url", "names")
    )
    terms = _terms(text)
    by_kind: dict[str, list] = {}
    for hit in hits:
        hit.title_html = _highlight(hit.title, terms, length=0)
        hit.snippet_html = _highlight(hit.text, terms)
        hit.names_html = ""
        if not _names(hit.title, terms) and "<mark>" not in hit.snippet_html:
            # Found by another name (a former name, the country): show which.
            named = [_highlight(name, terms, length=0) for name in hit.names if _names(name, terms)]
            hit.names_html = mark_safe(" · ".join(named[:3]))  # noqa: S308 — each piece is escaped
        by_kind.setdefault(hit.kind, []).append(hit)
    groups = [
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
    return sorted(groups, key=lambda group: not any(hit.exact for hit in group.hits))


def _counted(capped: models.QuerySet) -> tuple[Counter, list[int]]:
    """How many of ``capped``'s (kind, pk) rows each kind has, and the first ``RANK_CANDIDATES`` of each: counted
    by PostgreSQL, so that the thousands of matches of a common word are not sent to Python one by one."""
    sql, params = capped.query.sql_with_params()
    counts, candidates = Counter(), []
    with connections[capped.db].cursor() as cursor:
        cursor.execute(
            f"SELECT kind, count(*), (array_agg(pk))[1:%s] FROM ({sql}) AS capped GROUP BY kind",  # noqa: S608
            [RANK_CANDIDATES, *params],
        )
        for kind, found, first in cursor.fetchall():
            counts[kind] = found
            candidates.extend(first)
    return counts, candidates


# --- "Did you mean …?" ---------------------------------------------------------------------

SUGGEST_CUTOFF = 75  # rapidfuzz's ratio, 0–100: «Shanghia» is 87.5 from "Shanghai"
SUGGEST_MIN_LENGTH = 4  # shorter words are not corrected


@dataclass
class Vocabulary:
    """The names the site knows in one language (of the kinds registered with ``suggest``), to correct a query."""

    names: list[str]  # as written
    folded: list[str]  # the same, folded: what is compared
    words: dict[str, str]  # each word of the names, folded → as written


def _vocabulary(language: str) -> Vocabulary:
    kinds = [entry.search.kind for entry in searchable() if entry.search.suggest]
    names: dict[str, str] = {}
    for title, others in SearchEntry.objects.filter(kind__in=kinds, language=language).values_list("title", "names"):
        for name in (title, *others):
            names.setdefault(fold_words(name), name)
    names.pop("", None)
    words: dict[str, str] = {}
    for name in names.values():
        for word in WORD.findall(name):
            words.setdefault(fold(word), word)
    return Vocabulary(list(names.values()), list(names), words)


def suggest(text: str, language: str) -> str | None:
    """What a visitor whose search found nothing may have meant: «Shanghia» → "Shanghai".

    The nearest name the site knows if the whole query is close to one, else the query
    with each unknown word replaced by the nearest word of a name. The names are a few
    thousand strings, kept with the content version; rapidfuzz compares them in Python.
    """
    from rapidfuzz import fuzz, process

    query = fold_words(text)
    if not query:
        return None
    vocabulary = derived(f"search-vocabulary:{language}", lambda: _vocabulary(language))
    best = process.extractOne(query, vocabulary.folded, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
    if best is not None:
        return vocabulary.names[best[2]] if best[0] != query else None
    corrected, changed = [], False
    known = list(vocabulary.words)
    for word in WORD.findall(text):
        folded = fold(word)
        if len(folded) >= SUGGEST_MIN_LENGTH and folded not in vocabulary.words and not _in_dictionary(word):
            best = process.extractOne(folded, known, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
            if best is not None:
                corrected.append(vocabulary.words[best[0]])
                changed = True
                continue
        corrected.append(word)
    return " ".join(corrected) if changed else None


def _in_dictionary(word: str) -> bool:
    """A Russian word the dictionary knows is no typo («визит»), even if no name contains it."""
    from core.morphology import analyzer

    return is_russian(word) and analyzer().word_is_known(word.lower())


# --- Highlighting ---------------------------------------------------------------------------

_PIECE = re.compile(r"\w+")


@dataclass
class _Terms:
    """What a query marks in a text: its words folded, and every form of every word it requires."""

    folded: tuple[str, ...]
    forms: frozenset[str]
    starts: frozenset[str]  # the forms' first two letters: only a word starting so is analysed
    seen: dict = dataclasses.field(default_factory=dict)  # word → whether it matches, for the texts of one search


def _terms(query: str) -> _Terms:
    folded = tuple(fold(piece) for piece in _PIECE.findall(query))[:MAX_WORDS]
    forms = {
        part
        for word in _query_words(query)
        if not word.negated and not word.function
        for form in word.forms
        for part in form.split()
    }
    return _Terms(folded, frozenset(forms), frozenset(form[:2] for form in forms))


def _loosely(piece: str, folded: Iterable[str]) -> bool:
    """A loose stand-in for stemming: визитом ~ визиты, "ho" = «hồ» (short words must be equal)."""
    for term in folded:
        if len(term) <= 3:
            if piece == term:
                return True
        elif piece.startswith(term[: max(4, len(term) - 2)]):
            return True
    return False


def _matches(word: str, terms: _Terms, loosely: bool = True) -> bool:
    folded = fold(word)
    if folded in terms.forms or (loosely and any(_loosely(piece, terms.folded) for piece in folded.split("-"))):
        return True
    # A form the loose match misses («Ханою» for «Ханой», «людей» for «человек»): its lemmas.
    return is_russian(word) and folded[:2] in terms.starts and bool(lemmas(word) & terms.forms)


def _names(text: str, terms: _Terms) -> bool:
    """Whether ``text`` holds a form of a query word, by its lemmas (the loose match aside)."""
    return any(_matches(match.group(), terms, loosely=False) for match in WORD.finditer(text))


def _highlight(text: str, terms: _Terms, length: int = 240) -> SafeString:
    windowed = bool(length) and len(text) > length
    start, end, spans = 0, len(text), []
    for match in WORD.finditer(text):
        if match.start() >= end:
            break
        word = match.group()
        if word not in terms.seen:
            terms.seen[word] = _matches(word, terms)
        if terms.seen[word]:
            if windowed and not spans:  # the window opens a little before the first match
                start = max(0, match.start() - length // 3)
                end = min(len(text), start + length)
            spans.append(match.span())
    if windowed and not spans:
        end = length
    out, cursor = [], start
    for left, right in spans:
        if right > end:
            break
        out.append(escape(text[cursor:left]))
        out.append(f"<mark>{escape(text[left:right])}</mark>")
        cursor = right
    out.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 — every piece is escaped above


def highlight(text: str, query: str, length: int = 240) -> SafeString:
    """Escaped ``text`` (or a window of ``length`` characters around the first match) with matches marked.

    A word is marked when it is a form of a query word («Шанхая» for «Шанхай»), or looks
    like one (the same beginning).
    """
    return _highlight(text, _terms(query), length)


def has_terms(query: str) -> bool:
    """Whether ``query`` has a word to search for (punctuation alone finds nothing)."""
    return bool(_PIECE.findall(query))
