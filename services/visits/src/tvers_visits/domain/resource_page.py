"""A page of the resource bank and its versions. Pure: no I/O.

Each change makes a new version, numbered as the page's stream. An edit and a removal name the
version they were based on (what the writer saw): if someone else saved meanwhile, the change is
refused with :class:`EditConflict`, which says what happened, instead of silently overwriting
the other's work. Writing what the page already says makes no new version.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    MOST_TEXT_CHARACTERS,
    MOST_TITLE_CHARACTERS,
    AuthorRole,
    ResourceCategory,
    ResourcePageRemoved,
    ResourcePageWritten,
)
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, NotFound, RuleViolated

#: Format characters a title may hold: the zero-width (non-)joiners some scripts and emoji need.
_JOINERS = frozenset("\u200c\u200d")


def _one_visible_line(title: str) -> bool:
    """No control character (C0 or C1: ``\\x85`` is a line end), no line or paragraph separator,
    and no invisible format character (a direction override makes a title read as another)."""
    for char in title:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _JOINERS):
            return False
    return True


def stream(tenant: str, slug: str) -> str:
    """A page's stream: the tenant in it, so that two municipalities may use the same slug."""
    return f"resource-page-{tenant}-{slug}"


@dataclass(frozen=True)
class PageText:
    """What a writer writes: the category, the title and the Markdown text."""

    category: ResourceCategory
    title: str
    markdown: str


def page_text(category: ResourceCategory, title: str, markdown: str) -> PageText:
    """A page's text, checked: a title of one line (surrounding spaces dropped), some text, both
    within bounds. Line ends are kept as ``\\n`` (a form sends ``\\r\\n``)."""
    title = title.strip()
    markdown = markdown.replace("\r\n", "\n")
    if not title:
        raise RuleViolated("a page needs a title")
    if len(title) > MOST_TITLE_CHARACTERS:
        raise RuleViolated(f"a title has at most {MOST_TITLE_CHARACTERS} characters")
    if not _one_visible_line(title):
        raise RuleViolated(
            "a title is one line, without control, line-separator or invisible format "
            "characters (such as direction overrides)"
        )
    if not markdown.strip():
        raise RuleViolated("a page needs some text")
    if len(markdown) > MOST_TEXT_CHARACTERS:
        raise RuleViolated(
            f"a page's text has at most {MOST_TEXT_CHARACTERS} characters, this has "
            f"{len(markdown)}: split it into several pages"
        )
    return PageText(category, title, markdown)


@dataclass(frozen=True)
class ResourcePage:
    """A page as its latest version left it. ``text`` is None while it is removed."""

    slug: str | None = None
    version: int = 0
    text: PageText | None = None
    last_role: AuthorRole | None = None

    @property
    def exists(self) -> bool:
        """Whether it was ever written."""
        return self.version > 0

    @property
    def removed(self) -> bool:
        """Whether its latest version is its removal."""
        return self.exists and self.text is None


NO_PAGE = ResourcePage()


def evolve(page: ResourcePage, event: DomainEvent) -> ResourcePage:
    """The page after one of its events."""
    if isinstance(event, ResourcePageWritten):
        text = PageText(event.category, event.title, event.markdown)
        return ResourcePage(event.slug, event.version, text, event.author_role)
    if isinstance(event, ResourcePageRemoved):
        return ResourcePage(event.slug, event.version, None, event.author_role)
    return page


class EditConflict(Conflict):
    """The page was changed after the version an edit was based on: what happened since."""

    code = "edit_conflict"

    def __init__(
        self,
        *,
        slug: str,
        base_version: int,
        current_version: int,
        changed_by: AuthorRole | None,
        removed: bool,
        changed_at: datetime | None = None,
    ) -> None:
        self.slug = slug
        self.base_version = base_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.removed = removed
        self.changed_at = changed_at
        what = "removed" if removed else "saved"
        by = f" by {changed_by.value}" if changed_by else ""
        when = (
            f" at {changed_at.astimezone(OSLO):%Y-%m-%d %H:%M:%S} (Europe/Oslo)"
            if changed_at
            else ""
        )
        super().__init__(
            f"page {slug!r} was changed after version {base_version}, which this change was "
            f"based on: version {current_version} was {what}{by}{when}. Nothing was saved; "
            f"read version {current_version}, merge your change into it, and save it with "
            f"base_version {current_version}"
        )

    def at(self, changed_at: datetime) -> EditConflict:
        """The same conflict, saying when the current version was saved."""
        return EditConflict(
            slug=self.slug,
            base_version=self.base_version,
            current_version=self.current_version,
            changed_by=self.changed_by,
            removed=self.removed,
            changed_at=changed_at,
        )


def create(page: ResourcePage, *, slug: str, text: PageText, role: AuthorRole) -> list[DomainEvent]:
    """Version 1 of a new page."""
    if page.exists:
        raise Conflict(
            f"a page {slug!r} exists already (version {page.version}"
            + (", removed" if page.removed else "")
            + f"): choose another slug, or edit it with base_version {page.version}"
        )
    return [_written(slug, 1, text, role)]


def edit(
    page: ResourcePage, *, slug: str, base_version: int, text: PageText, role: AuthorRole
) -> list[DomainEvent]:
    """A new version of the page, if it differs from the current one; a removed page is
    written again."""
    _check_base(page, slug, base_version)
    if page.text == text:
        return []
    return [_written(slug, page.version + 1, text, role)]


def remove(
    page: ResourcePage, *, slug: str, base_version: int, role: AuthorRole
) -> list[DomainEvent]:
    """The page's removal (nothing if it is removed already)."""
    _check_base(page, slug, base_version)
    if page.removed:
        return []
    return [ResourcePageRemoved(slug=slug, version=page.version + 1, author_role=role)]


def _check_base(page: ResourcePage, slug: str, base_version: int) -> None:
    if not page.exists:
        raise NotFound(f"no page {slug!r}")
    if base_version > page.version:
        raise RuleViolated(
            f"page {slug!r} has no version {base_version}; its latest is {page.version}"
        )
    if base_version != page.version:
        raise EditConflict(
            slug=slug,
            base_version=base_version,
            current_version=page.version,
            changed_by=page.last_role,
            removed=page.removed,
        )


def _written(slug: str, version: int, text: PageText, role: AuthorRole) -> ResourcePageWritten:
    return ResourcePageWritten(
        slug=slug,
        version=version,
        author_role=role,
        category=text.category,
        title=text.title,
        markdown=text.markdown,
    )
