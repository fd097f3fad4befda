"""Text as the portal compares and shows it outside HTML: folded for matching, plain for feeds.

Every comparison of names and words that should ignore case, accents and spacing goes
through ``fold`` (the site search, name sorting, partner matching, report titles), so
«Hồ Chí Minh», «HO CHI MINH» and «ho  chi minh» are one name everywhere. Every text shown
without markup (search entries, calendar and Atom feeds, schema.org data) comes from
``plain_text``.
"""

import html
import re
import unicodedata

from django.utils.html import strip_tags

# Tags after which a browser starts a new line: their text must not run into the next word.
_BREAKS = re.compile(
    r"<(?:br|hr|/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|tr|td|th|dl|dt|dd|section|article))\b[^>]*>",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"\W+")


def strip_accents(text: str) -> str:
    """«Hồ Chí Minh» → "Ho Chi Minh" (and «ё» → «е», «й» → «и»: the marks are combining characters)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """The form in which names and words are compared: case, accents and spacing ignored.

    «  Thành phố  Hồ Chí Minh » → "thanh pho ho chi minh"; «Ёлки» → "елки".
    """
    return " ".join(strip_accents(text).casefold().split())  # in this order: NFKD makes «№» "No"


def fold_words(text: str) -> str:
    """``fold`` with punctuation ignored too: «Визит (делегации)!» → "визит делегации"."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def plain_text(markup: str) -> str:
    """HTML as one line of plain text: tags removed, entities decoded, whitespace collapsed.

    «<p>Lanterns &amp; music</p><p>Dance</p>» → "Lanterns & music Dance": paragraphs and
    line breaks become spaces, inline tags vanish («<b>S</b>t.» stays "St.").
    """
    return " ".join(html.unescape(strip_tags(_BREAKS.sub(" ", markup))).split())
