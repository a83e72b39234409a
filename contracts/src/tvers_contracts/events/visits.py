"""Events owned by ``visits``: class visits between schools and the public library.
Classes and counts only: children's names are never needed and never stored."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.values import Slug


class VisitsEvent(DomainEvent):
    """Base of the events of the visits service."""

    service: ClassVar[str] = "visits"


class SchoolType(StrEnum):
    """Which grades a school teaches."""

    PRIMARY = "primary"  # barneskule, grades 1-7
    LOWER_SECONDARY = "lower_secondary"  # ungdomsskule, grades 8-10
    COMBINED = "combined"  # 1-10-skule


class SchoolRegistered(VisitsEvent):
    """A school was added to the register of schools the public library works with."""

    aggregate: ClassVar[str] = "school"

    school_id: Slug
    name: str = Field(min_length=1, max_length=120)
    school_type: SchoolType
    nearest_branch_id: Slug = Field(
        description="The branch its classes visit: nearest by the way there (ferry or bus)."
    )


class ClassVisitHeld(VisitsEvent):
    """A school class visited a library branch: how many pupils came, how many got a card."""

    aggregate: ClassVar[str] = "class_visit"

    visit_id: UUID
    school_id: Slug
    grade: int = Field(ge=1, le=13)
    class_label: str = Field(min_length=1, max_length=20, description="E.g. 2A; never a name.")
    branch_id: Slug
    held_on: date
    pupils_present: int = Field(ge=0, le=200)
    library_cards_handed_out: int = Field(ge=0, le=200)

    @model_validator(mode="after")
    def _no_more_cards_than_pupils(self) -> ClassVisitHeld:
        if self.library_cards_handed_out > self.pupils_present:
            raise ValueError("more library cards handed out than pupils present")
        return self


VISITS_EVENTS: tuple[type[DomainEvent], ...] = (SchoolRegistered, ClassVisitHeld)
