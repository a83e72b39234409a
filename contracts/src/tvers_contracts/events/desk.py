"""Events owned by ``desk``: the innbyggartorg desk log (decision 0043).

Help given to a citizen at one of the innbyggartorg sites, by one of the three departments of the
unit (library, citizen service, volunteer centre), and the category list it is counted by.
**Nothing about the citizen**, and no free text where something could creep in: every field of a
help record is an id or a code.

- help records, one stream each (``help-<help_id>``): :class:`HelpGiven`, :class:`HelpUndone`;
- the tenant's category list (``desk-categories-<tenant>``): :class:`CategoryAdded`,
  :class:`CategoryRenamed`, :class:`CategoryRetired`. A category keeps its id for good (a rename
  keeps it, a retired id is never given again), so that reports stay comparable when the list
  changes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.values import Slug

#: The longest name a category may have, in either language.
MOST_NAME_CHARACTERS = 80


class Department(StrEnum):
    """The three departments of the innbyggartorg unit."""

    LIBRARY = "library"
    #: *Innbyggarservice*.
    CITIZEN_SERVICE = "citizen_service"
    #: *Frivilligsentral*.
    VOLUNTEER_CENTRE = "volunteer_centre"


class Channel(StrEnum):
    """How the citizen came to the desk."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"


class Duration(StrEnum):
    """Roughly how long the help took."""

    UNDER_5_MINUTES = "under_5_minutes"
    FROM_5_TO_15_MINUTES = "5_to_15_minutes"
    OVER_15_MINUTES = "over_15_minutes"


class UndoReason(StrEnum):
    """Why a help record was undone (a code: no free text)."""

    RECORDED_BY_MISTAKE = "recorded_by_mistake"
    RECORDED_TWICE = "recorded_twice"
    WRONG_DETAILS = "wrong_details"


class DeskEvent(DomainEvent):
    """Base of the events of the desk service."""

    service: ClassVar[str] = "desk"


class HelpGiven(DeskEvent):
    """A department helped a citizen at a site: what with, how, roughly how long, and whether
    they were sent on to another department. Nothing about the citizen."""

    aggregate: ClassVar[str] = "help"

    help_id: UUID
    site: Slug = Field(description="The innbyggartorg site, e.g. skodje.")
    department: Department = Field(description="The department that helped.")
    category_id: Slug = Field(description="The category, by its stable id.")
    channel: Channel
    duration: Duration
    referred_to: Department | None = Field(
        default=None, description="The department the citizen was sent on to, if any."
    )
    given_at: AwareDatetime = Field(description="When the help was recorded as given.")

    @model_validator(mode="after")
    def _referred_elsewhere(self) -> HelpGiven:
        if self.referred_to is self.department:
            raise ValueError("a referral goes to another department than the one that helped")
        return self


class HelpUndone(DeskEvent):
    """A help record was undone shortly after it was made (a mistake): reports leave it out."""

    aggregate: ClassVar[str] = "help"

    help_id: UUID
    reason: UndoReason


class CategoryEvent(DeskEvent):
    """Base of the events of the category list."""

    aggregate: ClassVar[str] = "category"


class CategoryAdded(CategoryEvent):
    """A category was added to the list, with its names in nynorsk and English."""

    category_id: Slug = Field(description="Stable for good: reports count by it.")
    name: str = Field(min_length=1, max_length=MOST_NAME_CHARACTERS, description="Nynorsk.")
    name_en: str = Field(min_length=1, max_length=MOST_NAME_CHARACTERS, description="English.")


class CategoryRenamed(CategoryEvent):
    """A category got new names; its id, and so its counts, stay."""

    category_id: Slug
    name: str = Field(min_length=1, max_length=MOST_NAME_CHARACTERS, description="Nynorsk.")
    name_en: str = Field(min_length=1, max_length=MOST_NAME_CHARACTERS, description="English.")


class CategoryRetired(CategoryEvent):
    """A category is no longer offered; help recorded with it before still counts by its id."""

    category_id: Slug


DESK_EVENTS: tuple[type[DomainEvent], ...] = (
    HelpGiven,
    HelpUndone,
    CategoryAdded,
    CategoryRenamed,
    CategoryRetired,
)
