"""The demo's school strand as data, read from the files beside this module (``files/``): the
municipality's schools with their classes and routes (``schools.toml``), the deposits' themes,
the theme days and the network (``school-library.toml``), and the resource bank's pages in
nynorsk Markdown (``resource-pages/<category>/<slug>.md``, the first line the title; a
``<slug>.v2.md`` beside a page is its second version, written by a school librarian)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

FILES = resources.files("tvers_cli.demo") / "files"
#: The grades whose classes visit the library, and their data files' names.
_GRADES = {2: "second_grade", 9: "ninth_grade"}


@dataclass(frozen=True)
class Route:
    branch_id: str
    means: str
    minutes: int


@dataclass(frozen=True)
class SchoolClass:
    grade: int
    label: str
    pupils: int


@dataclass(frozen=True)
class DemoSchool:
    """A school of the municipality: its nearest branch, its routes, its classes that visit."""

    school_id: str
    name: str
    school_type: str
    nearest_branch_id: str
    routes: tuple[Route, ...]
    classes: tuple[SchoolClass, ...]


@dataclass(frozen=True)
class NetworkMember:
    school_id: str
    role: str
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ThemeDayData:
    topic: str
    starts: str
    ends: str
    branch_id: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class SchoolLibrary:
    """The deposits' themes, the theme days (held and upcoming) and the network."""

    deposit_themes: tuple[str, ...]
    held_theme_day: ThemeDayData
    upcoming_theme_day: ThemeDayData
    network: tuple[NetworkMember, ...]


@dataclass(frozen=True)
class Page:
    """A resource bank page as written: its slug, category, title and Markdown."""

    slug: str
    category: str
    title: str
    markdown: str

    def body(self) -> dict[str, str]:
        return {"category": self.category, "title": self.title, "markdown": self.markdown}


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((FILES / name).read_text(encoding="utf-8"))


@functools.cache
def schools() -> tuple[DemoSchool, ...]:
    """The schools, in the order of the file."""
    return tuple(_school(entry) for entry in _toml("schools.toml")["school"])


def _school(entry: dict[str, Any]) -> DemoSchool:
    classes = tuple(
        SchoolClass(grade, f"{grade}{chr(ord('A') + n)}", pupils)
        for grade, field in _GRADES.items()
        for n, pupils in enumerate(entry.get(field, ()))
    )
    return DemoSchool(
        school_id=entry["id"],
        name=entry["name"],
        school_type=entry["type"],
        nearest_branch_id=entry["nearest"],
        routes=tuple(Route(branch, means, minutes) for branch, means, minutes in entry["routes"]),
        classes=classes,
    )


@functools.cache
def school_library() -> SchoolLibrary:
    """The deposits' themes, the theme days and the network."""
    data = _toml("school-library.toml")
    return SchoolLibrary(
        deposit_themes=tuple(data["deposit_themes"]),
        held_theme_day=_theme_day(data["theme_days"]["held"]),
        upcoming_theme_day=_theme_day(data["theme_days"]["upcoming"]),
        network=tuple(
            NetworkMember(m["school"], m["role"], m.get("name"), m.get("email"))
            for m in data["network"]
        ),
    )


def _theme_day(entry: dict[str, Any]) -> ThemeDayData:
    return ThemeDayData(
        topic=entry["topic"],
        starts=entry["starts"],
        ends=entry["ends"],
        branch_id=entry.get("branch"),
        place=entry.get("place"),
    )


@functools.cache
def pages() -> tuple[tuple[Page, ...], tuple[Page, ...]]:
    """The resource bank's pages, and the second versions of some, each by slug."""
    first: list[Page] = []
    second: list[Page] = []
    for folder in sorted((FILES / "resource-pages").iterdir(), key=lambda f: f.name):
        for file in sorted(folder.iterdir(), key=lambda f: f.name):
            slug, _, version = file.name.removesuffix(".md").partition(".")
            (second if version == "v2" else first).append(_page(file, slug, folder.name))
    return tuple(first), tuple(second)


def _page(file: Traversable, slug: str, category: str) -> Page:
    title, _, markdown = file.read_text(encoding="utf-8").partition("\n")
    return Page(slug, category, title.removeprefix("# ").strip(), markdown.strip() + "\n")
