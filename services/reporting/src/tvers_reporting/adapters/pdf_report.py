"""Draws a :class:`~tvers_reporting.yearly_report.shape.Report` as an A4 PDF with fpdf2.

Text is set in the PDF core font Helvetica, whose encoding (Latin-1) holds æ, ø and å and the
rest of Norwegian and English; nothing has to be bundled or found on the machine. A character
outside Latin-1 (a typographic dash, a Sámi letter in a name) is written as its nearest Latin-1
form rather than failing the report (decision 0040). The charts are the dashboard's SVG, which
fpdf2 draws as vectors, text included.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from tvers_reporting.charts import Chart
from tvers_reporting.yearly_report.shape import Report, Section, Table

# fpdf2 logs each <title> and <desc> it does not draw; those are for screen readers.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)

_SAME = {
    "\u2212": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u202f": "\u00a0",
    "\u2009": " ",
}
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_INK = (31, 31, 31)
_MUTED = (89, 89, 89)


def latin1(text: str) -> str:
    """``text`` as Latin-1 can write it: known look-alikes, then letters without their marks,
    then ``?``."""

    def one(char: str) -> str:
        if ord(char) < 256:
            return char
        if char in _SAME:
            return _SAME[char]
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
        return bare or "?"

    return "".join(one(c) for c in text)


class _Document(FPDF):
    def __init__(self, page_label: str) -> None:
        super().__init__(format="A4")
        self.page_label = page_label

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("Helvetica", size=9)
        self.set_text_color(*_MUTED)
        label = self.page_label.format(page=self.page_no(), pages="{nb}")
        self.cell(0, 6, latin1(label), align="C")


def render(report: Report) -> bytes:
    """The report as PDF bytes."""
    pdf = _Document(report.page_label)
    pdf.set_title(latin1(report.title))
    pdf.set_author(latin1(report.library))
    pdf.set_lang(report.language)
    pdf.set_creator("tvers reporting")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_text_color(*_INK)
    _title_page(pdf, report)
    for section in report.sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _title_page(pdf: FPDF, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font("Helvetica", style="B", size=32)
    pdf.multi_cell(0, 14, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=18)
    pdf.multi_cell(0, 10, latin1(report.library), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, latin1(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_font("Helvetica", size=10)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 5, latin1(report.made), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)


def _section(pdf: FPDF, section: Section) -> None:
    pdf.add_page()
    pdf.start_section(latin1(section.heading))
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.multi_cell(0, 9, latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=10.5)
    pdf.multi_cell(0, 5.5, latin1(section.intro), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if section.figures:
        _table(pdf, Table(headers=(), rows=tuple((f.label, f.value) for f in section.figures)))
    for chart in section.charts:
        _chart(pdf, chart)
    for table in section.tables:
        if table.rows:
            _table(pdf, table)
    pdf.set_font("Helvetica", style="I", size=9)
    pdf.set_text_color(*_MUTED)
    for note in section.notes:
        pdf.multi_cell(0, 4.5, latin1(note), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font("Helvetica", size=10)
    columns = len(table.rows[0]) if table.rows else len(table.headers)
    first = 0.55 if columns == 2 else 0.4
    rest = (1 - first) / max(columns - 1, 1)
    options: dict[str, Any] = {
        "col_widths": (first, *[rest] * (columns - 1)),
        "text_align": ("LEFT", *["RIGHT"] * (columns - 1)),
        "borders_layout": "HORIZONTAL_LINES",
        "line_height": 6,
        "first_row_as_headings": bool(table.headers),
        "headings_style": FontFace(emphasis="BOLD"),
    }
    with pdf.table(**options) as drawn:
        for row in (table.headers, *table.rows) if table.headers else table.rows:
            cells = drawn.row()
            for text in row:
                cells.cell(latin1(text))
    pdf.ln(5)


def _chart(pdf: FPDF, chart: Chart) -> None:
    size = _VIEWBOX.search(chart.svg)
    width = pdf.epw
    height = width * float(size.group(2)) / float(size.group(1)) if size else width * 0.5
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(
        io.BytesIO(latin1(chart.svg).encode()), w=width, h=height, alt_text=latin1(chart.summary)
    )
    pdf.ln(4)
