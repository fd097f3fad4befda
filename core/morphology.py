"""Russian words by their lemma: every inflected form of a word or a name meets its dictionary form.

The Snowball stemmer cuts «Шанхай» and «Шанхая» to different stems, and proper nouns
ending in -ай, -ой or -ия are exactly the names this site is about. pymorphy3, with its
Russian dictionaries, knows the words and guesses the forms of names it does not know.

A word's lemmas are the normal forms of *every* parse hypothesis, plus the word itself,
all folded (``core.text.fold``): «Шанхая» → {"шанхаи", "шанхая"}, «Ханою» → {"хана",
"ханои", "ханою"}, «Чэнду» → {"чэнд", "чэнду"}. A guess may be wrong, but a text indexed
and a query read with the same hypotheses meet wherever one of them is right. Words in
other scripts are only folded. The analyser is created once per process, on first use
(about 0.15 s), and each word is analysed once (a bounded cache).

Used by the site search (``core.search``) for the texts it indexes and the queries it
reads; anything else that must recognise a Russian word in any of its forms uses the
same functions, so that both agree on what a word's lemma is.
"""

from __future__ import annotations

import functools
import re

from core.text import fold

#: A word as the search reads it: letters and digits, hyphenated parts kept together («Алма-Ата»).
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Parts of speech that carry no meaning of their own in a query: prepositions, conjunctions, particles.
_FUNCTION = {"PREP", "CONJ", "PRCL", "INTJ"}
CACHE_SIZE = 200_000


@functools.cache
def analyzer():
    """The one ``MorphAnalyzer`` of the process (its dictionaries load on first use)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def is_russian(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def words(text: str) -> list[str]:
    """The words of ``text`` in order: «в г. Алма-Ате, 2024» → ["в", "г", "Алма-Ате", "2024"]."""
    return WORD.findall(text)


def lemmas(word: str) -> frozenset[str]:
    """The folded word and the folded normal forms of all its parse hypotheses."""
    return _lemmas(word.lower())


@functools.lru_cache(maxsize=CACHE_SIZE)
def _lemmas(word: str) -> frozenset[str]:
    folded = fold(word)
    if not is_russian(word):
        return frozenset({folded})
    return frozenset({folded, *(fold(parse.normal_form) for parse in analyzer().parse(word))})


def is_function_word(word: str) -> bool:
    """A preposition, conjunction or particle by its likeliest reading: «в», «и», «же» (never a name)."""
    return _is_function_word(word.lower())


@functools.lru_cache(maxsize=4096)
def _is_function_word(word: str) -> bool:
    if not is_russian(word):
        return False
    return analyzer().parse(word)[0].tag.POS in _FUNCTION


def lemma_text(text: str) -> str:
    """``text`` as the lemmas of its words, for a ``simple`` tsvector: «визитом в Шанхай» → "визит визитом в шанхаи"."""
    return " ".join(lemma for word in words(text) for lemma in sorted(lemmas(word)))


def likeliest_lemma(word: str) -> str:
    """The folded normal form of the word's likeliest reading: «делегации» → "делегация" (other words folded)."""
    return _likeliest(word.lower())


@functools.lru_cache(maxsize=CACHE_SIZE)
def _likeliest(word: str) -> str:
    if not is_russian(word):
        return fold(word)
    return fold(analyzer().parse(word)[0].normal_form)


def content_lemmas(text: str) -> list[str]:
    """The likeliest lemmas of the meaningful words, in order: «визит делегации в Шанхай» → визит делегация шанхай.

    For comparing two texts that say the same in other forms (``events.report`` matches an
    imported item to an event already present by them).
    """
    return [likeliest_lemma(word) for word in words(text) if not is_function_word(word)]
