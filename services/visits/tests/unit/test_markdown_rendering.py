"""A page's Markdown becomes safe HTML: markup is kept, and nothing that runs or loads another
page (scripts, event handlers, javascript: links, iframes, styles) reaches a reader."""

import pytest

from tvers_visits.adapters.markdown import plain_text, render_html
from tvers_visits.adapters.resource_search import norwegian_order, snippet_html


def test_ordinary_markdown_is_kept() -> None:
    rendered = render_html(
        "# Lånekort\n\nElevane får **lånekort** og *ei bok*.\n\n"
        "1. Registrer klassen\n2. Skriv ut korta\n\n"
        "[Biblioteket](https://bibliotek.example/opning) · `F5` · ~~gamalt~~\n\n"
        "| Trinn | Program |\n|---|:-:|\n| 2 | Lånekort |\n\n"
        "> Hugs samtykkeskjema.\n\n```\nkode\n```"
    )
    for kept in (
        "<h1>Lånekort</h1>",
        "<strong>lånekort</strong>",
        "<em>ei bok</em>",
        "<ol>",
        "<li>Registrer klassen</li>",
        '<a href="https://bibliotek.example/opning" rel="noopener noreferrer">Biblioteket</a>',
        "<code>F5</code>",
        "<s>gamalt</s>",
        "<table>",
        '<th style="text-align:center">Program</th>',
        "<blockquote>",
        "<pre><code>kode\n</code></pre>",
    ):
        assert kept in rendered


def test_a_script_is_rendered_without_it() -> None:
    rendered = render_html(
        "Hei.\n\n<script>alert('hei')</script>\n\nMeir <script>x()</script>tekst."
    )
    assert "script" not in rendered
    assert "alert" not in rendered
    assert "x()" not in rendered
    assert "<p>Hei.</p>" in rendered
    assert "tekst." in rendered


@pytest.mark.parametrize(
    "markdown",
    [
        '<a href="#" onclick="steal()">klikk</a>',
        '<img src="bilete.png" onerror="steal()" alt="bilete">',
        '<p onmouseover="steal()">over</p>',
        '<div><b onfocus="steal()" tabindex="1">fokus</b></div>',
    ],
)
def test_event_handler_attributes_are_stripped(markdown: str) -> None:
    rendered = render_html(markdown)
    assert "steal" not in rendered
    assert " on" not in rendered


@pytest.mark.parametrize(
    "markdown",
    [
        "[klikk](javascript:alert(1))",
        '<a href="javascript:alert(1)">klikk</a>',
        '<a href="JaVaScRiPt:alert(1)">klikk</a>',
        '<a href="  javascript:alert(1)">klikk</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">klikk</a>',
        '<a href="vbscript:msgbox(1)">klikk</a>',
        "[klikk](<javascript:alert(1)>)",
    ],
)
def test_links_that_run_code_lose_their_address(markdown: str) -> None:
    rendered = render_html(markdown).lower()
    assert 'href="javascript' not in rendered
    assert 'href="data' not in rendered
    assert 'href="vbscript' not in rendered
    assert "href=" not in rendered


def test_iframes_objects_styles_and_forms_are_taken_out() -> None:
    rendered = render_html(
        '<iframe src="https://evil.example">ramme</iframe>\n\n'
        '<object data="x.swf"></object><embed src="x.swf">\n\n'
        "<style>body{display:none}</style>\n\n"
        '<form action="https://evil.example"><input name="pin"></form>\n\n'
        '<p style="position:fixed">fast</p>'
    )
    for gone in ("iframe", "ramme", "object", "embed", "style", "display", "form", "input"):
        assert gone not in rendered
    assert "fast" in rendered


def test_safe_links_images_and_disclosures_are_kept() -> None:
    rendered = render_html(
        "[e-post](mailto:bibliotek@example.no) [side](/ressursar/lanekort)\n\n"
        "![Skjermbilete av lånekortet](https://bibliotek.example/kort.png)\n\n"
        "<details><summary>Meir</summary>Skjult tekst</details>"
    )
    assert 'href="mailto:bibliotek@example.no"' in rendered
    assert 'href="/ressursar/lanekort"' in rendered
    assert 'src="https://bibliotek.example/kort.png"' in rendered
    assert 'alt="Skjermbilete av lånekortet"' in rendered
    assert "<details><summary>Meir</summary>Skjult tekst</details>" in rendered


def test_the_plain_text_is_what_a_reader_reads() -> None:
    text = plain_text(
        "# Lånekort\n\nElevane får **lånekort** & *bøker*. <script>alert(1)</script>\n\n* ein\n* to"
    )
    assert text == "Lånekort\nElevane får lånekort & bøker.\nein\nto"


def test_a_snippet_is_escaped_but_for_the_marks_of_what_was_found() -> None:
    headline = "Ta med <script> og \ue000biblioteket\ue001 & meir"
    assert snippet_html(headline) == (
        "Ta med &lt;script&gt; og <mark>biblioteket</mark> &amp; meir"
    )


def test_the_marks_of_the_search_never_come_from_a_page() -> None:
    assert plain_text("Ein \ue000falsk\ue001 markering") == "Ein falsk markering"


def test_titles_are_ordered_as_in_norwegian() -> None:
    titles = ["Åpningstider", "Ørsta", "Zebra", "Ærlig talt", "alfabet", "Bok"]
    assert sorted(titles, key=norwegian_order) == [
        "alfabet",
        "Bok",
        "Zebra",
        "Ærlig talt",
        "Ørsta",
        "Åpningstider",
    ]
