"""Markdown to safe HTML, and to plain text for the search: markdown-it-py renders (CommonMark,
with tables and strikethrough), nh3 (the Ammonia sanitiser) keeps only an allowlist.

A page is stored as written, raw HTML and all; it is made safe here, every time it is shown.
Raw HTML in the Markdown is rendered by markdown-it and then sanitised, so a librarian may use a
``<details>`` or a ``<kbd>``, while a ``<script>``, an ``<iframe>``, a ``style``, an event-handler
attribute (``onclick``) or a ``javascript:`` link never reaches a reader: only the tags and
attributes below survive, links keep only http, https, mailto and tel addresses (or relative
ones), and every link gets ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

#: What a guide needs: text structure, lists, tables, links, images, code, a disclosure.
ALLOWED_TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "div", "span"),
        *("strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("code", "pre", "kbd", "samp", "abbr", "q", "cite"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("a", "img", "figure", "figcaption", "details", "summary"),
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    # Markdown tables align their columns with a style, of which only text-align is kept.
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "abbr": {"title"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Tags taken out with everything in them (not only the tag, as for any other tag not allowed).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
    filter_style_properties={"text-align"},
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))

#: Characters the search uses to mark the words it found in a snippet; never part of a text.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
_NOT_TEXT = str.maketrans("", "", HIGHLIGHT_START + HIGHLIGHT_END)


def render_html(markdown: str) -> str:
    """The page as HTML that is safe to put into any page as it is."""
    return str(_CLEANER.clean(_MARKDOWN.render(markdown)))


def plain_text(markdown: str) -> str:
    """What a reader of the page reads, without markup: the text the search indexes and quotes.
    It is the text of the safe HTML (what a ``<script>`` held is no part of it), one line per
    block (markdown-it ends every block it renders with a line break)."""
    text = html.unescape(_TEXT_ONLY.clean(render_html(markdown))).translate(_NOT_TEXT)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
