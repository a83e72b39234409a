"""How the resource bank's pages show a page, its history, a search's hits and an edit that met
another: in words of the page's language, times in Oslo's wall-clock time, who by role (never a
name). Pure: no I/O.

A page's HTML is the use cases' safe rendering (sanitised by nh3, decision 0033) and a hit's
snippet is escaped text with ``<mark>`` around the words found: both are marked safe here, and
nothing else is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from tvers_contracts.events.visits import AuthorRole, ResourceCategory
from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale, _, local_date, local_time
from tvers_runtime.pages.refusals import Words
from tvers_visits.adapters.resource_search import SearchHit
from tvers_visits.domain.resource_page import EditConflict
from tvers_visits.resource_bank import PageView, VersionEntry

CATEGORY: dict[ResourceCategory, str] = {
    ResourceCategory.LIBRARY_SYSTEM: _("The library system"),
    ResourceCategory.READING_PROMOTION: _("Reading promotion"),
    ResourceCategory.CLASS_VISIT_PROGRAMMES: _("The class visits' programmes"),
}
BY_ROLE: dict[AuthorRole, str] = {
    AuthorRole.STAFF: _("the library's staff"),
    AuthorRole.SCHOOL_LIBRARIAN: _("a school librarian"),
}
SAVED = _("Version {version}, saved by {role} on {when}.")
REMOVED = _("Version {version}, taken out of the resource bank by {role} on {when}.")
CONFLICT_SAVED = _(
    "While you were writing, {role} saved version {version} of the page, on {when}. Nothing "
    "was saved of yours: your text is kept below. Compare it with the page as it is now, put "
    "your changes into it, and save again."
)
CONFLICT_REMOVED = _(
    "While you were writing, {role} took the page out of the resource bank, on {when}. Nothing "
    "was saved of yours: your text is kept below. Saving it writes the page back."
)
#: An opening or closing heading tag of the sanitiser's output (lower case, well formed).
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def moment(value: datetime, locale: Locale) -> str:
    """``24. november 2026, 14:02`` in Oslo's time."""
    local = value.astimezone(OSLO)
    return f"{local_date(local.date(), locale)}, {local_time(local, locale)}"


def page_html(view: PageView) -> Markup:
    """The page's safe HTML, to stand under the page's own ``h1`` (its title): its headings one
    level down (``h1`` becomes ``h2``, ``h6`` stays), so the page keeps one ``h1`` and its
    headings in order."""
    lowered = _HEADING.sub(lambda found: f"<{found[1]}h{min(int(found[2]) + 1, 6)}", view.html)
    return Markup(lowered)  # noqa: S704 - the use cases' sanitised rendering


@dataclass(frozen=True)
class HitView:
    """A page a search found, with where the words stand in it."""

    slug: str
    title: str
    category: str
    snippet: Markup


def hit_view(hit: SearchHit, said: Callable[[str], str]) -> HitView:
    """A hit, its snippet marked safe (escaped text, the words found in ``<mark>``)."""
    snippet = Markup(hit.snippet_html)  # noqa: S704 - escaped by the search adapter
    return HitView(hit.slug, hit.title, said(CATEGORY[hit.category]), snippet)


def written_line(
    version: int, role: AuthorRole, at: datetime, locale: Locale, said: Callable[[str], str]
) -> str:
    """``Version 3, saved by a school librarian on 24. november 2026, 14:02.``"""
    return said(SAVED).format(version=version, role=said(BY_ROLE[role]), when=moment(at, locale))


def history_line(entry: VersionEntry, locale: Locale, said: Callable[[str], str]) -> str:
    """A version in the page's history, saved or a removal."""
    if not entry.removed:
        return written_line(entry.version, entry.author_role, entry.written_at, locale, said)
    role, when = said(BY_ROLE[entry.author_role]), moment(entry.written_at, locale)
    return said(REMOVED).format(version=entry.version, role=role, when=when)


def conflict_words(conflict: EditConflict, locale: Locale, said: Callable[[str], str]) -> Words:
    """What happened to the page while the person wrote."""
    role = said(BY_ROLE[conflict.changed_by]) if conflict.changed_by else ""
    when = "" if conflict.changed_at is None else moment(conflict.changed_at, locale)
    message = CONFLICT_REMOVED if conflict.removed else CONFLICT_SAVED
    return Words(message, {"role": role, "version": str(conflict.current_version), "when": when})
