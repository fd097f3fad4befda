"""A partner's rows in the five columns, and the table's headings, in the report's language.

Country | City | Basis for cooperation | Year ties were established / document signed |
Main events. One row per agreement (its title and its dated steps); the country, city and
events cells span the partner's rows (the country's span all its partners), as in the
Committee's table. A blank city is the country's government. Each event is a paragraph
led by its date: «3–6 июля – визит делегации…». Text not yet translated keeps its
language, for the writers to mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.utils.translation import gettext, override, pgettext

from events.report.export.content import PartnerBlock, ReportScope, Text, text
from events.report.export.dates import data_date

COLUMNS = 5
Paragraph = tuple[Text, ...]


class Span(Enum):
    """How a cell takes part in a cell spanning rows: it starts it, continues it (and is blank), or neither."""

    ALONE = "alone"
    STARTS = "starts"
    CONTINUES = "continues"


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[Paragraph, ...] = ()
    span: Span = Span.ALONE

    @property
    def plain(self) -> str:
        return "\n".join("".join(part.text for part in paragraph) for paragraph in self.paragraphs)


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Headings:
    title: str
    data_line: str
    legend: str  # what the marks of untranslated text mean ("" in Russian, the language of record)
    columns: tuple[str, ...]


def headings(scope: ReportScope, day) -> Headings:
    with override(scope.language):
        columns = (
            pgettext("yearly report", "Country"),
            pgettext("yearly report", "City"),
            pgettext("yearly report", "Basis for cooperation"),
            pgettext("yearly report", "Year ties were established / document signed"),
            pgettext("yearly report", "Main events in %(year)s") % {"year": scope.year},
        )
        return Headings(
            title=pgettext("yearly report", "COOPERATION OF ST PETERSBURG WITH PARTNER CITIES"),
            data_line=gettext("Data of %(site)s as of %(date)s")
            % {"site": settings.SITE_NAME, "date": data_date(day, scope.language)},
            legend=""
            if scope.language == settings.LANGUAGE_CODE
            else gettext(
                "Text followed by a language code in brackets, such as [RU], is not yet translated "
                "and is given in that language."
            ),
            columns=columns,
        )


def region_title(block: PartnerBlock, language: str) -> Text:
    name = text(block.region, "name", language)
    return Text(name.text.upper(), name.fallback)


def _one(value: Text) -> tuple[Paragraph, ...]:
    return ((value,),) if value.text else ()


def partner_rows(block: PartnerBlock, language: str) -> list[Row]:
    """The partner's rows: one per agreement, at least one."""
    country = _one(text(block.country, "name", language))
    city = () if block.is_government else _one(text(block.partner, "name", language))
    events = _events(block.events)
    agreements = block.agreements or [None]
    several = len(agreements) > 1
    rows = []
    for index, agreement in enumerate(agreements):
        first = index == 0
        spanning = Span.STARTS if several else Span.ALONE
        rows.append(
            (
                Cell(country, Span.STARTS) if first and block.opens_country else Cell((), Span.CONTINUES),
                Cell(city, spanning) if first else Cell((), Span.CONTINUES),
                Cell(_one(agreement.title) if agreement else ()),
                Cell(((Text(agreement.dates),),) if agreement and agreement.dates else ()),
                Cell(events, spanning) if first else Cell((), Span.CONTINUES),
            )
        )
    with override(language):
        word = pgettext("yearly report", "and")
    joiner = Text(f" {word} ")
    for joint in block.joint:
        names = tuple(part for index, name in enumerate(joint.names) for part in ((joiner, name) if index else (name,)))
        rows.append((Cell((), Span.CONTINUES), Cell((names,)), Cell(), Cell(), Cell(_events(joint.events))))
    return rows


def _events(lines) -> tuple[Paragraph, ...]:
    """Each event a paragraph led by its date: «3–6 июля – визит делегации…»."""
    return tuple((Text(f"{line.when} – "), line.title) if line.title.text else (Text(line.when),) for line in lines)
