"""What every chart shares: the ``<svg>`` root with its title and description, the colours
(checked for contrast against white), text and the empty-chart message.

The SVG is built as an element tree, so every label is escaped by the serializer. Every look is
a presentation attribute (fill, stroke, font-size): no CSS, no script, no external reference, so
a browser and a PDF renderer draw it alike.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Helvetica, Arial, sans-serif"
#: Text: 4.5:1 or more against white (WCAG 1.4.3).
TEXT = "#1f1f1f"
MUTED_TEXT = "#595959"
#: Axes and grid lines are decoration; the axis line itself has 3:1 (WCAG 1.4.11).
AXIS = "#767676"
GRID = "#d9d9d9"
#: Series colours, each 3:1 or more against white and told apart by shape too.
SERIES = ("#1f5fa8", "#b0461a", "#2d7a3e", "#6b3fa0")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")
#: What XML 1.0 cannot hold: control characters (but tab and line breaks), surrogates, U+FFFE
#: and U+FFFF. A name from an event may carry them; they are dropped, unseen anyway.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", SVG_NS)


@dataclass(frozen=True)
class Chart:
    """A chart as SVG markup and its one-sentence text alternative."""

    svg: str
    summary: str


def luminance(colour: str) -> float:
    """The relative luminance of a ``#rrggbb`` colour (WCAG 2.1)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two ``#rrggbb`` colours (WCAG 2.1), from 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def fmt(number: float) -> str:
    """A coordinate, short."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str | float) -> ET.Element:
    """A child element; numbers become short coordinates, ``font_size`` becomes ``font-size``."""
    element = ET.SubElement(
        parent,
        tag,
        {
            key.rstrip("_").replace("_", "-"): fmt(value)
            if isinstance(value, float | int)
            else value
            for key, value in attrs.items()
        },
    )
    if text is not None:
        element.text = text
    return element


def label(
    parent: ET.Element,
    text: str,
    x: float,
    y: float,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
) -> ET.Element:
    """A line of text at a baseline."""
    element = sub(
        parent,
        "text",
        text,
        x=x,
        y=y,
        font_size=size,
        font_family=FONT,
        fill=fill,
        text_anchor=anchor,
    )
    if bold:
        element.set("font-weight", "bold")
    return element


def canvas(*, width: float, height: float, title: str, summary: str, id_prefix: str) -> ET.Element:
    """The ``<svg>`` root: a ``viewBox`` and no fixed size (it scales to its container), an
    image role named by its ``<title>`` and described by its ``<desc>``."""
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "viewBox": f"0 0 {fmt(width)} {fmt(height)}",
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "font-family": FONT,
        },
    )
    sub(svg, "title", title, id=f"{id_prefix}-title")
    sub(svg, "desc", summary, id=f"{id_prefix}-desc")
    sub(svg, "rect", x=0, y=0, width=width, height=height, fill="#ffffff")
    label(svg, title, 8, 20, size=15, bold=True)
    return svg


def empty(
    *, title: str, summary: str, message: str | None, id_prefix: str, width: float = 640
) -> Chart:
    """A chart with no data: its frame and the caller's message, and no made-up marks."""
    svg = canvas(width=width, height=120, title=title, summary=summary, id_prefix=id_prefix)
    sub(svg, "rect", x=8, y=32, width=width - 16, height=80, fill="none", stroke=AXIS)
    label(svg, message or summary, width / 2, 77, size=13, anchor="middle", fill=MUTED_TEXT)
    return finish(svg, summary)


def finish(svg: ET.Element, summary: str) -> Chart:
    """Serialise the tree (escaping every text and attribute, dropping what XML cannot hold)
    into a chart."""
    for element in svg.iter():
        element.tag = element.tag if element.tag.startswith("{") else f"{{{SVG_NS}}}{element.tag}"
        if element.text:
            element.text = _NOT_XML.sub("", element.text)
        for key, value in element.attrib.items():
            element.set(key, _NOT_XML.sub("", value))
    return Chart(svg=ET.tostring(svg, encoding="unicode"), summary=summary)


def mark(parent: ET.Element, shape: int, x: float, y: float, size: float, colour: str) -> None:
    """A series' marker, so the series differ by shape as well as colour: a circle, a square,
    a triangle or a diamond centred on (x, y)."""
    r = size / 2
    kind = shape % 4
    if kind == 0:
        sub(parent, "circle", cx=x, cy=y, r=r, fill=colour)
    elif kind == 1:
        sub(parent, "rect", x=x - r, y=y - r, width=size, height=size, fill=colour)
    elif kind == 2:
        points = f"{fmt(x)},{fmt(y - r)} {fmt(x + r)},{fmt(y + r)} {fmt(x - r)},{fmt(y + r)}"
        sub(parent, "polygon", points=points, fill=colour)
    else:
        corners = ((x, y - r), (x + r, y), (x, y + r), (x - r, y))
        points = " ".join(f"{fmt(cx)},{fmt(cy)}" for cx, cy in corners)
        sub(parent, "polygon", points=points, fill=colour)
