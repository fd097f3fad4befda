"""Splitting an events cell into items, each led by its date.

A cell holds items as ``<p>`` paragraphs, bullets, lines, or run together in one
paragraph («… России. 21-24 августа – визит …»). A paragraph that starts in lower
case continues the one before it (a cell broken across a page). Sentences without a
date stay with the item before them; a paragraph without a date is an undated item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.partial_dates import PartialPeriod
from core.text import plain_text
from events.report.dates import ITEM_START, split_lead

_PARAGRAPH = re.compile(r"</?p\b[^>]*>|<br\s*/?>|\n", re.IGNORECASE)
_BULLET = re.compile(r"(?:^|\s)[•·▪◦●]\s+|^\s*[-–—*]\s+(?=\d|[А-ЯЁA-Z])")


@dataclass(frozen=True)
class Item:
    text: str  # as in the report, without markup
    period: PartialPeriod | None = None
    title: str = ""  # the text without its date


def paragraphs(cell: str) -> list[str]:
    """The cell's paragraphs as plain text; a lower-case start joins the previous one."""
    result: list[str] = []
    for raw in _PARAGRAPH.split(cell):
        text = plain_text(raw)
        if not text:
            continue
        if result and text[0].islower():
            result[-1] = f"{result[-1]} {text}"
        else:
            result.append(text)
    return result


def split_items(cell: str) -> list[str]:
    items = []
    for paragraph in paragraphs(cell):
        for bulleted in _BULLET.split(paragraph):
            items.extend(part.strip() for part in ITEM_START.split(bulleted) if part.strip())
    return items


def parse_items(cell: str, *, year: int) -> list[Item]:
    result = []
    for text in split_items(cell):
        lead = split_lead(text, year=year)
        if lead is None:
            result.append(Item(text))
        else:
            title = lead.rest[:1].upper() + lead.rest[1:] if lead.rest else text
            result.append(Item(text, lead.period, title))
    return result
