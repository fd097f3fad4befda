"""Which partner a printed name means: the one place where partner names are matched.

The seed's event references («Вьетнам / г. Хошимин») and the rows of a yearly report
name partners as people write them. Names are compared in the form ``normalise_name``
gives — folded (``core.text.fold``: case, accents, «ё» and spacing ignored), without a
leading «г.», «город» or «пров.» and without guillemets — so «г. Хошимин» ≈ «Хошимин».

A country answers to its Russian and English names and to its aliases. A partner
answers, within its country, to its Russian name and to each of its aliases, the
«spellings in reports» («Нур-Султан» is an alias of «Астана»), which the model keeps
normalised in ``Partner.normalised_aliases``; failing that, to the name without a
bracketed part or with only it («Мумбай (Бомбей)»), or without «провинция». A blank
partner name is the country's government. A country name that names no country but a
partner of one country («Минск») is read as that partner; when no partner has that name,
as a city of that name that the gazetteer (``partners.gazetteer``) knows in one country
only, a partner of that country still to be created.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.text import fold

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partners.models import Country, Partner

# Stripped from every name (and so from every stored alias).
_PREFIXES = ("г. ", "город ", "пров. ")
# Stripped as a second try, also after a bracketed part is split off: «провинция Ханам (г. Фули)».
_FALLBACK_PREFIXES = ("провинция ", "пров. ", "г. ", "город ")
_BRACKETED = re.compile(r"(.+?)\s*\((.+)\)")


def normalise_name(text: str) -> str:
    """The form in which partner and country names are compared: «г. Хошимин» ≈ «Хошимин»."""
    text = fold(text)
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return " ".join(text.replace("«", "").replace("»", "").split())


def spellings(name: str) -> list[str]:
    """The normalised forms to look a partner up by, the exact one first."""
    base = normalise_name(name)
    forms = [base]
    if match := _BRACKETED.fullmatch(base):
        forms += [match[1], match[2]]
    for prefix in _FALLBACK_PREFIXES:
        forms += [form[len(prefix) :] for form in list(forms) if form.startswith(prefix)]
    return list(dict.fromkeys(form.strip() for form in forms))


def partner_key(country: Country, name: str) -> str:
    """Identifies a partner a text names, matched or not: ``VN/хошимин``."""
    return f"{country.code}/{normalise_name(name)}"


@dataclass
class Match:
    """What a country name and a partner name designate: the country if known, and its matching partners."""

    country: Country | None
    partner_name: str  # the partner as the text spells it ("" for the government)
    partners: list[Partner] = field(default_factory=list)
    #: The country was not named: the gazetteer placed the name given as a country in it.
    country_from_gazetteer: bool = False

    @property
    def key(self) -> str:
        return partner_key(self.country, self.partner_name) if self.country else ""


class PartnerMatcher:
    """Reads the countries and partners once, then matches any number of names without a query.

    ``partners`` is the queryset to read them from (by default every partner with its
    country), for a caller that needs more of each partner prefetched.
    """

    def __init__(self, partners: QuerySet | None = None) -> None:
        from partners.models import Country, Partner  # the models store names in the form this module defines

        self.countries: dict[str, Country] = {}
        self._by_code: dict[str, Country] = {}
        for country in Country.objects.all():
            self._by_code[country.code] = country
            for name in [*country.aliases, country.name_ru, country.name_en]:
                if name:
                    self.countries.setdefault(normalise_name(name), country)
        self._in_country: dict[tuple[int, str], list[Partner]] = defaultdict(list)
        self._anywhere: dict[str, list[Partner]] = defaultdict(list)
        for partner in Partner.objects.select_related("country") if partners is None else partners:
            names = set(partner.normalised_aliases)
            if partner.kind == Partner.Kind.GOVERNMENT:
                names.add("")
            for name in names:
                self._in_country[(partner.country_id, name)].append(partner)
                if name:
                    self._anywhere[name].append(partner)

    def country(self, name: str) -> Country | None:
        return self.countries.get(normalise_name(name))

    def anywhere(self, name: str) -> list[Partner]:
        """The partners, of any country, whose normalised name or alias is ``name`` (already normalised)."""
        return self._anywhere.get(name, [])

    def _placed(self, name: str) -> Country | None:
        from partners.gazetteer import gazetteer  # loads the cities: only for a name that is no country

        code = gazetteer().country_of(name)
        return self._by_code.get(code) if code else None

    def partners(self, country: Country, name: str) -> list[Partner]:
        """The partners of ``country`` that ``name`` may mean (its government when blank); usually one."""
        for form in spellings(name) if name.strip() else [""]:
            if found := self._in_country.get((country.pk, form)):
                return list(found)
        return []

    def match(self, country_name: str, partner_name: str) -> Match:
        """The country and partners that a country name and a partner name (blank: the government) designate."""
        country = self.country(country_name)
        if country is None and not partner_name.strip():
            found = self._anywhere.get(normalise_name(country_name), [])
            if len({partner.country_id for partner in found}) == 1:
                return Match(found[0].country, country_name, list(found))
            if not found and country_name.strip() and (placed := self._placed(country_name)):
                return Match(placed, country_name, self.partners(placed, country_name), country_from_gazetteer=True)
        if country is None:
            return Match(None, partner_name)
        return Match(country, partner_name, self.partners(country, partner_name))
