"""A title for an event read from a report: the item's sentence, shortened without adding a word.

«22–26 ноября – состоялся визит делегации Санкт-Петербурга в г. Шанхай с целью развития
воздушных пассажирских перевозок…» becomes «Визит делегации Санкт-Петербурга в г. Шанхай»:
the leading date and a leading «состоялся», «прошла», «проведены»… are dropped, the first
sentence kept, the first letter capitalised, and a sentence longer than ``LIMIT`` cut at
the last clause boundary that fits — a comma, semicolon, colon, dash or bracket outside
quotes and brackets, or before a phrase of purpose or occasion («с целью», «в рамках»…) —
or, failing one, after the last whole word, with an ellipsis. Staff review such titles
(``Event.title_needs_review``).
"""

from __future__ import annotations

import re

from core.morphology import is_function_word
from events.report.dates import split_lead

LIMIT = 100  # characters, at most
_SHORTEST = 20  # a shorter clause says too little: cut after a whole word instead

_VERB = re.compile(
    r"^(?:состоял(?:ся|ась|ось|ись)|прош(?:ёл|ел|ла|ло|ли)|провед(?:ён|ен|ена|ено|ены))\s+", re.IGNORECASE
)
# A full stop ends a sentence before a capital letter, unless it ends an initial or an abbreviation.
_SENTENCE_END = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[»)”]))\.\s+(?=[А-ЯЁA-Z«\"“])")
_ABBREVIATIONS = {"гг", "пров", "им", "обл", "ул", "ст", "св", "тов", "проф", "акад", "чел", "тыс", "млн", "руб"}
# Where a long title may end, the preferred kinds first: before a bracket, before a phrase of purpose or
# occasion, at a semicolon, a dash, a comma. A colon introduces what the title is about: never there.
_BRACKET = re.compile(r"\s+(?=\()")
_PHRASE = re.compile(
    r"\s+(?=(?:с целью|для участия|для проведения|в рамках|по приглашению|посвящ[её]нн|в ходе|в связи с|"
    r"по итогам|по случаю|при поддержке|с участием|во главе с|под руководством)\b)",
    re.IGNORECASE,
)
_BOUNDARIES = (_BRACKET, _PHRASE, re.compile(r"\s*;\s+"), re.compile(r"\s+[–—-]\s+"), re.compile(r"\s*,\s+"))
_OPENING, _CLOSING = "«(“„", "»)”"


def title_from_report(text: str, *, year: int) -> str:
    """The title of an item of ``year``'s report whose text (with or without its date) is ``text``."""
    lead = split_lead(text, year=year)
    text = lead.rest if lead and lead.rest else text.strip()
    text = _VERB.sub("", " ".join(text.split()), count=1)
    text = _without_unclosed(_first_sentence(text).rstrip(" .;,:"))
    if len(text) > LIMIT:
        text = _shortened(text)
    return text[:1].upper() + text[1:]


def _first_sentence(text: str) -> str:
    depths = _depths(text)
    for match in _SENTENCE_END.finditer(text):
        if depths[match.start()]:
            continue
        word = re.findall(r"[^\W\d_]+", text[: match.start()])[-1]
        if word.lower() not in _ABBREVIATIONS:
            return text[: match.start()]
    return text


def _without_unclosed(text: str) -> str:
    """Without a bracket or quote the report opens and never closes («груза (5 аппаратов ИВЛ»)."""
    depths = _depths(text)
    if not depths or (depths[-1] == 0 and text[-1] not in _OPENING):
        return text
    start = max((i for i, depth in enumerate(depths) if depth == 0 and text[i] in _OPENING), default=0)
    return text[:start].rstrip(" ,;:–—-") if start >= _SHORTEST else text


def _depths(text: str) -> list[int]:
    """How deep in quotes or brackets each character is."""
    depth, result = 0, []
    for char in text:
        if char in _CLOSING and depth:
            depth -= 1
        result.append(depth)
        if char in _OPENING:
            depth += 1
    return result


def _shortened(text: str) -> str:
    depths = _depths(text)
    for boundary in _BOUNDARIES:
        cuts = [
            match.start()
            for match in boundary.finditer(text)
            if _SHORTEST <= match.start() <= LIMIT and depths[match.start()] == 0
        ]
        if cuts:
            return text[: max(cuts)]
    words = text[: LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:–—-(«").split(" ")
    while len(words) > 1 and is_function_word(words[-1]):  # not «…обучения с…»
        words.pop()
    cut = " ".join(words).rstrip(" ,;:–—-(«")
    return cut + "…" + _closing(cut)


def _closing(text: str) -> str:
    """The quotes and brackets ``text`` leaves open, closed: «…маршруты между нашими…»."""
    pairs, opened = dict(zip(_OPENING, "»)””", strict=True)), []
    for char in text:
        if char in _OPENING:
            opened.append(pairs[char])
        elif char in _CLOSING and opened:
            opened.pop()
    return "".join(reversed(opened))
