"""The SVG charts: valid, named and described for screen readers, one mark per value, labels
escaped, colours with enough contrast, and honest about zeros, gaps and empty data."""

import xml.etree.ElementTree as ET

import pytest

from tvers_reporting.charts import Chart, grouped_bars, heat_map, line
from tvers_reporting.charts.canvas import AXIS, MUTED_TEXT, SERIES, TEXT, contrast

NS = {"svg": "http://www.w3.org/2000/svg"}
NASTY = 'Bø & <Hareid> "sør"'


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def marks(root: ET.Element) -> list[str]:
    return [e.attrib["data-value"] for e in root.iter() if "data-value" in e.attrib]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iterfind(".//svg:text", NS)]


def sample_charts(prefix: str = "c") -> list[Chart]:
    return [
        heat_map(
            [[1, 2], [0, 3]],
            rows=["må", "ty"],
            columns=["08", "09"],
            title="Inngangar",
            summary="Flest tysdag kl. 09.",
            id_prefix=f"{prefix}1",
        ),
        grouped_bars(
            ["Skodje"],
            [("Betent", [4.0]), ("Meirope", [2.0])],
            title="Besøk",
            summary="Skodje har flest.",
            id_prefix=f"{prefix}2",
        ),
        line(
            [("v1", 0.5), ("v2", 0.25)],
            title="Dekning",
            summary="Dekninga fell.",
            id_prefix=f"{prefix}3",
        ),
    ]


@pytest.mark.parametrize("chart", sample_charts(), ids=["heat_map", "grouped_bars", "line"])
def test_a_chart_is_an_image_named_by_its_title_and_described_by_its_summary(
    chart: Chart,
) -> None:
    root = parse(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.attrib["role"] == "img"
    assert "viewBox" in root.attrib
    assert "width" not in root.attrib
    assert "height" not in root.attrib
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    title = root.find(f"svg:title[@id='{title_id}']", NS)
    desc = root.find(f"svg:desc[@id='{desc_id}']", NS)
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text == chart.summary


def test_charts_on_one_page_have_ids_of_their_own() -> None:
    ids = [
        e.attrib["id"]
        for chart in sample_charts("a") + sample_charts("b")
        for e in parse(chart).iter()
        if "id" in e.attrib
    ]
    assert len(ids) == len(set(ids)) == 12


def test_an_id_prefix_that_is_not_an_id_is_refused() -> None:
    with pytest.raises(ValueError, match="id_prefix"):
        line([("v1", 1.0)], title="t", summary="s", id_prefix='x" onload="alert(1)')


@pytest.mark.parametrize("chart", sample_charts(), ids=["heat_map", "grouped_bars", "line"])
def test_a_chart_has_no_script_style_class_or_outside_reference(chart: Chart) -> None:
    for element in parse(chart).iter():
        assert element.tag.split("}")[1] not in {"script", "style", "image", "foreignObject", "a"}
        assert not {"class", "style", "href"} & set(element.attrib)
        assert not any(name.startswith("on") for name in element.attrib)
        assert "url(" not in " ".join(element.attrib.values())


def test_the_heat_map_draws_one_cell_per_value_and_writes_the_counts_in_them() -> None:
    root = parse(
        heat_map(
            [[0, 7, 1], [12, 0, 0]],
            rows=["måndag", "tysdag"],
            columns=["8", "9", "10"],
            title="Inngangar",
            summary="s",
        )
    )
    assert marks(root) == ["0", "7", "1", "12", "0", "0"]
    assert {"7", "1", "12"} <= set(texts(root))
    cells = [e for e in root.iter() if "data-value" in e.attrib]
    assert [c.attrib["fill"] for c in cells if c.attrib["data-value"] == "0"] == ["#ffffff"] * 3


def test_the_grouped_bars_draw_one_bar_per_value_a_zero_as_no_length() -> None:
    root = parse(
        grouped_bars(
            ["Ålesund", "Skodje", "Hareid"],
            [("Betent", [10.0, 0.0, 3.0]), ("Meirope", [5.0, 2.0, 0.0])],
            title="Besøk",
            summary="s",
            value_label=lambda v: f"{v:.0f} besøk",
        )
    )
    bars = [e for e in root.iter() if "data-value" in e.attrib]
    assert [b.attrib["data-value"] for b in bars] == ["10.0", "5.0", "0.0", "2.0", "3.0", "0.0"]
    assert bars[2].attrib["width"] == "0"
    assert float(bars[0].attrib["width"]) == 2 * float(bars[1].attrib["width"])
    assert {"0 besøk", "10 besøk", "Betent", "Meirope", "Skodje"} <= set(texts(root))


def test_the_bar_series_differ_by_marker_shape_as_well_as_colour() -> None:
    root = parse(grouped_bars(["A"], [("x", [1.0]), ("y", [2.0])], title="t", summary="s"))
    circles = root.findall("svg:circle", NS)
    squares = [r for r in root.findall("svg:rect", NS) if r.attrib.get("width") == "10"]
    assert circles
    assert squares
    assert {c.attrib["fill"] for c in circles} == {SERIES[0]}
    assert {s.attrib["fill"] for s in squares} == {SERIES[1]}


def test_the_line_breaks_at_a_missing_value_and_marks_every_known_one() -> None:
    root = parse(
        line(
            [("v1", 0.5), ("v2", 0.0), ("v3", None), ("v4", 1.0), ("v5", None), ("v6", 0.2)],
            title="Dekning",
            summary="s",
            y_max=1.0,
            value_label=lambda v: f"{v:.0%}",
        )
    )
    assert marks(root) == ["0.5", "0.0", "1.0", "0.2"]
    polylines = root.findall("svg:polyline", NS)
    assert [len(p.attrib["points"].split()) for p in polylines] == [2]
    assert {"0%", "50%", "100%"} <= set(texts(root))


def test_a_single_point_is_a_marker_on_a_scale() -> None:
    root = parse(line([("veke 1", 3.0)], title="t", summary="s"))
    assert marks(root) == ["3.0"]
    assert root.findall("svg:polyline", NS) == []
    assert "veke 1" in texts(root)


def test_labels_are_escaped_and_come_back_whole() -> None:
    charts = [
        heat_map([[1]], rows=[NASTY], columns=[NASTY], title=NASTY, summary=NASTY),
        grouped_bars([NASTY], [(NASTY, [1.0])], title=NASTY, summary=NASTY),
        line([(NASTY, 1.0)], title=NASTY, summary=NASTY),
    ]
    for chart in charts:
        assert "<Hareid>" not in chart.svg
        assert "&lt;Hareid&gt;" in chart.svg
        root = parse(chart)
        assert NASTY in texts(root)
        assert root.find("svg:desc", NS) is not None


def test_a_label_with_characters_xml_cannot_hold_still_makes_well_formed_svg() -> None:
    # A name from an event may carry control characters (the contracts allow them); XML 1.0
    # cannot hold them, and a PDF renderer refuses the whole chart.
    odd = "Bø\x01\x0b\x1f skule\ufffe"
    charts = [
        heat_map([[1]], rows=[odd], columns=[odd], title=odd, summary=odd),
        grouped_bars([odd], [(odd, [1.0])], title=odd, summary=odd),
        line([(odd, 1.0)], title=odd, summary=odd),
    ]
    for chart in charts:
        assert "Bø skule" in texts(parse(chart))


@pytest.mark.parametrize(
    "chart",
    [
        heat_map(
            [[0, 0], [0, 0]],
            rows=["a", "b"],
            columns=["1", "2"],
            title="t",
            summary="s",
            empty_message="Ingen inngangar i perioden.",
        ),
        heat_map(
            [],
            rows=[],
            columns=[],
            title="t",
            summary="s",
            empty_message="Ingen inngangar i perioden.",
        ),
        grouped_bars([], [], title="t", summary="s", empty_message="Ingen inngangar i perioden."),
        grouped_bars(
            ["a"],
            [("x", [0.0])],
            title="t",
            summary="s",
            empty_message="Ingen inngangar i perioden.",
        ),
        line([("v1", None)], title="t", summary="s", empty_message="Ingen inngangar i perioden."),
        line([], title="t", summary="s", empty_message="Ingen inngangar i perioden."),
    ],
)
def test_no_data_draws_an_empty_chart_with_the_callers_message(chart: Chart) -> None:
    root = parse(chart)
    assert marks(root) == []
    assert "Ingen inngangar i perioden." in texts(root)
    assert root.attrib["role"] == "img"


def test_text_and_marks_have_enough_contrast_against_white() -> None:
    assert all(contrast(colour, "#ffffff") >= 4.5 for colour in (TEXT, MUTED_TEXT))
    assert all(contrast(colour, "#ffffff") >= 3 for colour in (*SERIES, AXIS))
    for chart in sample_charts():
        for element in parse(chart).iterfind(".//svg:text", NS):
            if element.attrib["fill"] != "#ffffff":  # white text sits on a dark cell
                assert contrast(element.attrib["fill"], "#ffffff") >= 4.5


def test_text_on_a_heat_map_cell_is_readable_on_that_cell() -> None:
    root = parse(
        heat_map([[1, 5, 9, 10]], rows=["a"], columns=["a", "b", "c", "d"], title="t", summary="s")
    )
    cells = [e for e in root.iter() if "data-value" in e.attrib]
    numbers = [t for t in root.iterfind("svg:text", NS) if t.text in {"1", "5", "9", "10"}]
    numbers = [t for t in numbers if float(t.attrib["y"]) < float(cells[0].attrib["y"]) + 24]
    assert len(numbers) == 4
    for cell, number in zip(cells, numbers, strict=True):
        assert contrast(number.attrib["fill"], cell.attrib["fill"]) >= 4.5


def test_mismatched_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="one row per row label"):
        heat_map([[1, 2]], rows=["a"], columns=["1"], title="t", summary="s")
    with pytest.raises(ValueError, match="one value per group"):
        grouped_bars(["a", "b"], [("x", [1.0])], title="t", summary="s")
