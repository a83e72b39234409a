"""The category list help is counted by: managed by staff as data, with a history. One stream
per tenant (``desk-categories-<tenant>``), since the list is short and a change must see all of
it. Pure, no I/O.

A category's id is stable for good: a rename keeps it, and a retired category keeps its id (no
new category may take it), so that counts by id stay comparable across the list's changes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from tvers_contracts import DomainEvent
from tvers_contracts.events.desk import CategoryAdded, CategoryRenamed, CategoryRetired
from tvers_desk.domain.errors import (
    CategoryExists,
    CategoryNameTaken,
    CategoryNotFound,
    CategoryNotOffered,
    CategoryRetiredBefore,
    UnknownCategory,
)


def stream(tenant: str) -> str:
    """The tenant's category list's stream id."""
    return f"desk-categories-{tenant}"


@dataclass(frozen=True)
class Category:
    """One category, offered or retired."""

    category_id: str
    name: str
    name_en: str
    retired: bool = False


@dataclass(frozen=True)
class CategoryList:
    """Every category the list ever had, by id, in the order they were added."""

    categories: dict[str, Category] = field(default_factory=dict)
    #: Whether the list has had any event (the defaults are added to a list that never had one).
    started: bool = False

    def offered(self) -> list[Category]:
        """The categories not retired, in the order they were added."""
        return [c for c in self.categories.values() if not c.retired]

    def get(self, category_id: str) -> Category:
        """The category; :class:`CategoryNotFound` when the list never had it."""
        found = self.categories.get(category_id)
        if found is None:
            raise CategoryNotFound(f"no category {category_id!r}")
        return found

    def check_offered(self, category_id: str) -> None:
        """Refuse a category that help may not be recorded with: unknown, or retired."""
        found = self.categories.get(category_id)
        if found is None:
            raise UnknownCategory(f"no category {category_id!r}; see GET /categories")
        if found.retired:
            raise CategoryNotOffered(f"category {category_id!r} is retired")


NO_CATEGORIES = CategoryList()

#: The list a tenant starts with (id, nynorsk, English): the help all three departments give.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("digital-help", "Digital hjelp", "Digital help"),
    ("bankid-id-porten", "BankID og ID-porten", "BankID and ID-porten"),
    ("printing-scanning", "Utskrift og skanning", "Printing and scanning"),
    ("forms-applications", "Skjema og søknader", "Forms and applications"),
    ("library-services", "Bibliotektenester", "Library services"),
    ("municipal-services", "Kommunale tenester", "Municipal services"),
    ("volunteering-activities", "Frivilligarbeid og aktivitetar", "Volunteering and activities"),
    ("other", "Anna", "Other"),
)


def evolve(categories: CategoryList, event: DomainEvent) -> CategoryList:
    """The list after an event."""
    known = categories.categories
    if isinstance(event, CategoryAdded):
        added = Category(event.category_id, event.name, event.name_en)
        return CategoryList({**known, added.category_id: added}, started=True)
    if isinstance(event, CategoryRenamed) and event.category_id in known:
        renamed = replace(known[event.category_id], name=event.name, name_en=event.name_en)
        return CategoryList({**known, renamed.category_id: renamed}, started=True)
    if isinstance(event, CategoryRetired) and event.category_id in known:
        retired = replace(known[event.category_id], retired=True)
        return CategoryList({**known, retired.category_id: retired}, started=True)
    return categories


def _same_name(name: str) -> str:
    """A name as people read it: Unicode-compatible form, no invisible characters, single
    spaces, any case (so "Digital\u00a0hjelp " and "digital hjelp" are one name)."""
    visible = "".join(
        char for char in unicodedata.normalize("NFKC", name) if unicodedata.category(char) != "Cf"
    )
    return " ".join(visible.split()).casefold()


def _check_names_free(
    categories: CategoryList, name: str, name_en: str, *, but: str | None = None
) -> None:
    for other in categories.offered():
        if other.category_id == but:
            continue
        if _same_name(other.name) == _same_name(name) or _same_name(other.name_en) == (
            _same_name(name_en)
        ):
            raise CategoryNameTaken(f"category {other.category_id!r} already has that name")


def add(categories: CategoryList, category_id: str, name: str, name_en: str) -> list[DomainEvent]:
    """Add a category under a new id and names no offered category has."""
    if category_id in categories.categories:
        raise CategoryExists(
            f"category id {category_id!r} is taken (ids of retired categories too)"
        )
    _check_names_free(categories, name, name_en)
    return [CategoryAdded(category_id=category_id, name=name, name_en=name_en)]


def rename(
    categories: CategoryList,
    category_id: str,
    name: str | None = None,
    name_en: str | None = None,
) -> list[DomainEvent]:
    """Give an offered category new names (a name not given stays); its id stays (no event
    when nothing changes)."""
    category = categories.get(category_id)
    if category.retired:
        raise CategoryRetiredBefore(f"category {category_id!r} is retired")
    name = category.name if name is None else name
    name_en = category.name_en if name_en is None else name_en
    if (category.name, category.name_en) == (name, name_en):
        return []
    _check_names_free(categories, name, name_en, but=category_id)
    return [CategoryRenamed(category_id=category_id, name=name, name_en=name_en)]


def retire(categories: CategoryList, category_id: str) -> list[DomainEvent]:
    """Stop offering a category; its id stays taken and its past counts stay."""
    if categories.get(category_id).retired:
        raise CategoryRetiredBefore(f"category {category_id!r} is retired already")
    return [CategoryRetired(category_id=category_id)]


def start_with_defaults(categories: CategoryList) -> list[DomainEvent]:
    """The default categories, for a list that never had an event; nothing otherwise (once)."""
    if categories.started:
        return []
    return [
        CategoryAdded(category_id=category_id, name=name, name_en=name_en)
        for category_id, name, name_en in DEFAULT_CATEGORIES
    ]
