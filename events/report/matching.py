"""Which country and partner a report row names, despite the spelling.

Countries match on their name or any of their ``aliases``; partners on
``normalised_aliases`` within the country («г. Хошимин» ≈ «Хошимин», «Нур-Султан» is
an alias of «Астана»), then on the name without a bracketed part or with only it
(«Мумбай (Бомбей)»). A blank partner cell is the country's government. A country cell
that names no country but a known partner («Минск») is read as that partner.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from partners.models import Country, Partner, normalise_name


def spellings(name: str) -> list[str]:
    """Normalised forms to look a partner up by, the exact one first."""
    base = normalise_name(name)
    forms = [base]
    if match := re.fullmatch(r"(.+?)\s*\((.+)\)", base):
        forms += [match[1], match[2]]
    for prefix in ("провинция ", "пров. ", "г. ", "город "):
        forms += [form[len(prefix) :] for form in list(forms) if form.startswith(prefix)]
    return list(dict.fromkeys(form.strip() for form in forms))


def partner_key(country: Country, name: str) -> str:
    """Identifies a partner the file names, matched or not: ``VN/хошимин``."""
    return f"{country.code}/{normalise_name(name)}"


@dataclass
class RowMatch:
    country: Country | None
    partner_name: str  # the partner cell as the row spells it ("" for the government)
    partners: list[Partner] = field(default_factory=list)

    @property
    def key(self) -> str:
        return partner_key(self.country, self.partner_name) if self.country else ""


class Matcher:
    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            for name in [*country.aliases, country.name_ru, country.name_en]:
                if name:
                    self.countries.setdefault(normalise_name(name), country)
        self.partners: dict[tuple[int, str], list[Partner]] = defaultdict(list)
        self.anywhere: dict[str, list[Partner]] = defaultdict(list)
        for partner in Partner.objects.select_related("country").prefetch_related("agreements__milestones"):
            names = set(partner.normalised_aliases)
            if partner.kind == Partner.Kind.GOVERNMENT:
                names.add("")
            for alias in names:
                self.partners[(partner.country_id, alias)].append(partner)
                if alias:
                    self.anywhere[alias].append(partner)

    def country(self, name: str) -> Country | None:
        return self.countries.get(normalise_name(name))

    def partners_of(self, country: Country, name: str) -> list[Partner]:
        for form in spellings(name) if name else [""]:
            if found := self.partners.get((country.pk, form)):
                return found
        return []

    def __call__(self, country_cell: str, partner_cell: str) -> RowMatch:
        country = self.country(country_cell)
        if country is None and not partner_cell:
            found = self.anywhere.get(normalise_name(country_cell), [])
            if len({partner.country_id for partner in found}) == 1:
                return RowMatch(found[0].country, country_cell, found)
        if country is None:
            return RowMatch(None, partner_cell)
        return RowMatch(country, partner_cell, self.partners_of(country, partner_cell))
