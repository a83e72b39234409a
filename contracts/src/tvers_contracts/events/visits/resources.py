"""The resource bank: a small wiki for school librarians (guides to the library system,
reading-promotion ideas, the programmes of class visits), written in Markdown.

One stream per page, ``resource-page-<tenant>-<slug>``; each event is a new version of the page,
numbered as the stream (``version`` is the event's ``stream_version``). A written version carries
the whole page as it now stands, so a consumer replaces rather than merges. Who wrote it is said
by role only (staff or a school librarian): never a name, never a token's subject.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from tvers_contracts.events.visits.base import VisitsEvent
from tvers_contracts.values import Slug

#: The longest title of a page, in characters.
MOST_TITLE_CHARACTERS = 200
#: The longest Markdown text of a page, in characters: a long guide is some 10 000.
MOST_TEXT_CHARACTERS = 50_000

#: A page's title: one line, no control characters, 1 to 200 characters.
ResourceTitle = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=MOST_TITLE_CHARACTERS, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
#: A page's text as written, in Markdown (CommonMark with tables), 1 to 50 000 characters.
ResourceMarkdown = Annotated[str, StringConstraints(min_length=1, max_length=MOST_TEXT_CHARACTERS)]


class ResourceCategory(StrEnum):
    """What a page of the resource bank is about."""

    #: How to use the library system (the school library's catalogue, loans, the patrons).
    LIBRARY_SYSTEM = "library_system"
    #: Ideas for reading promotion (book talks, reading campaigns, displays).
    READING_PROMOTION = "reading_promotion"
    #: The programmes of the class visits to the public library (2nd and 9th grade).
    CLASS_VISIT_PROGRAMMES = "class_visit_programmes"


class AuthorRole(StrEnum):
    """Who changed a page, by role only."""

    STAFF = "staff"
    SCHOOL_LIBRARIAN = "school_librarian"


class ResourcePageEvent(VisitsEvent):
    """Base of the events of a resource-bank page."""

    aggregate: ClassVar[str] = "resource_page"

    slug: Slug = Field(description="The page's id within the municipality, e.g. lanekort.")
    version: int = Field(ge=1, description="The page's version: the event's stream_version.")
    author_role: AuthorRole


class ResourcePageWritten(ResourcePageEvent):
    """A page was written: created (version 1), edited, or written again after its removal.
    It carries the whole page as it now stands."""

    category: ResourceCategory
    title: ResourceTitle = Field(description="One line, no control characters.")
    markdown: ResourceMarkdown = Field(
        description="The text as written, in Markdown (CommonMark with tables and "
        "strikethrough). It may hold raw HTML: render it only through an HTML sanitiser."
    )


class ResourcePageRemoved(ResourcePageEvent):
    """A page was taken out of the resource bank. Its versions stay in its history, and writing
    it again brings it back."""
