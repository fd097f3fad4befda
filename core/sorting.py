"""Sorting names the way readers of each language expect.

The database's collation cannot be relied on (and the displayed name may come through
the language fallback), so lists of names are sorted in Python with this key.
"""

from core.i18n import text_in_language
from core.text import fold


def name_key(text: str) -> tuple[str, str]:
    """«Ёлки» next to «Елки», «Đà Nẵng» next to «Da Lat»; ties broken by the exact text."""
    return fold(text), text


def sorted_by_name(items, field: str = "name"):
    return sorted(items, key=lambda item: name_key(text_in_language(item, field)[0]))
