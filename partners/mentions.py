"""Which partners a Russian text names, in whatever case it names them.

«визит заместителя мэра Пекина», «в г. Шанхай», «делегация провинции Сычуань», «пров.
Дьенбьен», «в Бишкек и г. Ош»: a partner is named where the words of its Russian name or
of one of its aliases (in the forms ``partners.matching.spellings`` gives: without «г.»,
«пров.», «провинция», a bracketed part on its own) follow one another in the text, each
word of the text meeting the name's word through its lemmas (``core.morphology``):

- a name of one word is met by a word one of whose lemmas *is* that name as written
  («Пекина» → пекин; «Сычуани» → сычуань), not by any word sharing a lemma with it, so that
  «турки» (lemma «турок») does not name Turku, whose name pymorphy also reads as «турок»;
- a name of several words is met word by word through shared lemmas («Республику
  Сербскую» ≈ «Республика Сербская», adjectives having their masculine lemma);
- the text's first word of the name starts with a capital letter: names are proper
  nouns, and a common word spelt like one («мира», «бака») is not a mention;
- it does not follow a word that makes it the name of a street or of what is named after
  it: «ул. Хошимина» in St Petersburg, «парк им. …».

A country's government is not named by its country's name («Неделя Вьетнама»): a
government is never a mention. A spelling that a partner has only through a bracketed
part or a dropped prefix, while another partner bears it as its name or alias, names the
latter only: «Район Сюхуэй (Шанхай)» is not named by «Шанхай».
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.morphology import lemmas, words
from core.text import fold
from partners.matching import spellings

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from partners.models import Partner


# Before a name, these make it a street's (or a namesake's), not the partner's: «ул. Хошимина».
_NAMESAKE = frozenset(
    {"ул", "улица", "пр", "пр-т", "проспект", "пл", "площадь", "наб", "набережная", "пер", "переулок", "б-р"}
    | {"бульвар", "шоссе", "им", "имени"}
)


@dataclass(frozen=True)
class _Name:
    """A spelling of a partner as the lemma sets its words may meet."""

    words: tuple[frozenset[str], ...]
    partner: Partner


def _name_words(spelling: str) -> tuple[frozenset[str], ...]:
    parts = words(spelling)
    if len(parts) == 1:
        return (frozenset({fold(parts[0])}),)
    return tuple(lemmas(part) for part in parts)


class PartnerMentions:
    """Reads the partners once (``partners``: by default every one but the governments), then finds
    those any number of texts name without a query."""

    def __init__(self, partners: QuerySet | Iterable[Partner] | None = None) -> None:
        from partners.models import Partner

        if partners is None:
            partners = Partner.objects.only("kind", "name_ru", "aliases")
        claims: dict[str, dict[int, bool]] = defaultdict(dict)  # spelling → partner id → borne as written
        by_id: dict[int, Partner] = {}
        for partner in partners:
            if partner.kind == Partner.Kind.GOVERNMENT:
                continue
            by_id[partner.pk] = partner
            for name in [partner.name_ru or "", *partner.aliases]:
                for position, spelling in enumerate(spellings(name) if name.strip() else []):
                    claims[spelling][partner.pk] = claims[spelling].get(partner.pk, False) or position == 0
        self._first: dict[str, list[_Name]] = defaultdict(list)
        for spelling, claimants in claims.items():
            chosen = [pk for pk, written in claimants.items() if written] or list(claimants)
            name_words = _name_words(spelling)
            if not name_words:
                continue
            for pk in chosen:
                name = _Name(name_words, by_id[pk])
                for key in name_words[0]:
                    self._first[key].append(name)

    def named_in(self, text: str) -> list[Partner]:
        """The partners ``text`` names, in the order it first names them."""
        found: dict[int, Partner] = {}
        text_words = words(text)
        text_lemmas = [lemmas(word) for word in text_words]
        for start, word in enumerate(text_words):
            if not word[:1].isupper() or (start and text_words[start - 1].lower() in _NAMESAKE):
                continue
            candidates = {id(name): name for key in text_lemmas[start] for name in self._first.get(key, ())}
            for name in candidates.values():
                if name.partner.pk not in found and self._meets(name, text_words, text_lemmas, start):
                    found[name.partner.pk] = name.partner
        return list(found.values())

    @staticmethod
    def _meets(name: _Name, text_words: list[str], text_lemmas: list[frozenset[str]], start: int) -> bool:
        end = start + len(name.words)
        if end > len(text_words):
            return False
        return all(name_word & text_lemmas[i] for i, name_word in zip(range(start, end), name.words, strict=True))
