"""Readable ASCII slugs from Russian and Vietnamese names.

Django's ``slugify`` drops Cyrillic and Vietnamese letters; these are transliterated
first (Russian by the common passport-style scheme: «Санкт-Петербург» →
``sankt-peterburg``; Vietnamese by dropping tone marks: «Hồ Chí Minh» → ``ho-chi-minh``).
"""

import unicodedata

from django.db import models
from django.utils.text import slugify

from core.text import strip_accents

_RUSSIAN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    out = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        if lower in _RUSSIAN:
            latin = _RUSSIAN[lower].strip("_")
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    return strip_accents("".join(out))


def slug_for(text: str, max_length: int = 80) -> str:
    return slugify(transliterate(text))[:max_length].strip("-") or "item"


def unique_slug(instance: models.Model, text: str, field: str = "slug") -> str:
    """A slug for ``text`` not yet taken by another row of the instance's model."""
    base = slug_for(text)
    manager = type(instance)._default_manager
    others = manager.exclude(pk=instance.pk) if instance.pk else manager.all()
    slug, n = base, 2
    while others.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def free_slug(text: str, taken: set[str]) -> str:
    """Like ``unique_slug``, against slugs read once (for bulk writes); the slug chosen is added to ``taken``."""
    base = slug_for(text)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
