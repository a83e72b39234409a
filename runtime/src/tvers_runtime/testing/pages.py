"""Reading a service's page as a browser would, for tests: the hidden fields its forms carry,
and the options of its selects."""

from __future__ import annotations

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[found["name"] or ""] = found.get("value") or ""
        elif tag == "select":
            self._select = found.get("id") or ""
            self.options[self._select] = []
        elif tag == "option" and self._select is not None and found.get("value"):
            self.options[self._select].append(found["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden fields of a page's forms (the same in every form of one page)."""
    parser = _Fields()
    parser.feed(html)
    return parser.hidden


def select_options(html: str, select_id: str) -> list[str]:
    """The values a page's select (by its id) offers, leaving out an empty "choose" option."""
    parser = _Fields()
    parser.feed(html)
    return parser.options.get(select_id, [])
