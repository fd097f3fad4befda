"""The yearly table as a Word document (DOCX), written row by row.

python-docx builds the document around the table — landscape pages, the title line and
the data date, the header row repeated on every page, page numbers in the footer — with
one placeholder row. The rows are then streamed in its place into the ZIP, so memory
holds one partner's rows at a time whatever the table's length. Cells spanning rows
(country, city, events) are vertical merges; the import reads them as the blank cells
they stand for.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips

from events.report.export.cells import COLUMNS, Cell, Headings, Paragraph, Row, Span
from events.report.export.content import Text

WIDTHS = (1900, 1900, 3900, 1700, 5736)  # twips; 15 136 = A4 landscape less 1.5 cm margins
LANGUAGE_TAGS = {"ru": "ru-RU", "en": "en-GB", "vi": "vi-VN"}
_PLACEHOLDER = "REPORT-ROWS-GO-HERE"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DOCUMENT = "word/document.xml"


def write_docx(headings: Headings, rows: Iterator[Row | Text], out: BinaryIO, *, language: str) -> None:
    """Write the document to ``out`` (seekable); ``rows`` are the table's rows, a ``Text`` being a region's."""
    skeleton = _skeleton(headings, language)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as source:
        document = source.read(_DOCUMENT).decode("utf-8")
        before, after = _split_at_placeholder(document)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename != _DOCUMENT:
                    target.writestr(info, source.read(info.filename))
            with target.open(zipfile.ZipInfo(_DOCUMENT), "w") as stream:
                stream.write(before.encode("utf-8"))
                for row in rows:
                    stream.write((_region_row(row) if isinstance(row, Text) else _row(row)).encode("utf-8"))
                stream.write(after.encode("utf-8"))


def _split_at_placeholder(document: str) -> tuple[str, str]:
    marker = document.index(_PLACEHOLDER)
    start = document.rindex("<w:tr", 0, marker)
    end = document.index("</w:tr>", marker) + len("</w:tr>")
    return document[:start], document[end:]


def _skeleton(headings: Headings, language: str) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs", "w:hAnsi"):
        fonts.set(qn(script), "Times New Roman")
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), LANGUAGE_TAGS.get(language, language))
    properties.append(tag)
    document.core_properties.title = headings.title
    document.core_properties.language = LANGUAGE_TAGS.get(language, language)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(headings.title)
    run.bold, run.font.size = True, Pt(14)
    for line in (headings.data_line, headings.legend):
        if line:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(line).italic = True
    document.add_paragraph()

    table = document.add_table(rows=1, cols=COLUMNS)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Twips(width)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for cell, text, width in zip(header.cells, headings.columns, WIDTHS, strict=True):
        cell.width = Twips(width)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    table.add_row().cells[0].text = _PLACEHOLDER

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    digits = OxmlElement("w:t")
    digits.text = "1"
    number.append(digits)
    field.append(number)
    footer._p.append(field)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(value: str) -> str:
    return escape(_INVALID_XML.sub("", " ".join(value.split("\n"))))


def _runs(paragraph: Paragraph) -> str:
    runs = []
    for part in paragraph:
        if not part.text:
            continue
        if part.fallback is None:
            runs.append(f'<w:r><w:t xml:space="preserve">{_text(part.text)}</w:t></w:r>')
            continue
        tag = LANGUAGE_TAGS.get(part.fallback, part.fallback)
        runs.append(
            f'<w:r><w:rPr><w:i/><w:lang w:val="{tag}"/></w:rPr><w:t xml:space="preserve">{_text(part.text)}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve"> [{part.fallback.upper()}]</w:t></w:r>'
        )
    return "".join(runs)


def _cell(cell: Cell, width: int) -> str:
    merge = {Span.STARTS: '<w:vMerge w:val="restart"/>', Span.CONTINUES: "<w:vMerge/>"}.get(cell.span, "")
    paragraphs = "".join(f"<w:p>{_runs(paragraph)}</w:p>" for paragraph in cell.paragraphs) or "<w:p/>"
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr>{paragraphs}</w:tc>'


def _row(row: Row) -> str:
    return "<w:tr>" + "".join(_cell(cell, width) for cell, width in zip(row, WIDTHS, strict=True)) + "</w:tr>"


def _region_row(name: Text) -> str:
    """A region's line: one cell across the table, shaded, its name in capitals and bold."""
    return (
        f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{sum(WIDTHS)}" w:type="dxa"/>'
        f'<w:gridSpan w:val="{COLUMNS}"/><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr>'
        f'<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
        f'<w:t xml:space="preserve">{_text(name.text)}</w:t></w:r></w:p></w:tc></w:tr>'
    )
