"""The schools, the ways from them to the branches, their classes per school year, and the
branches' rooms for class visits.

- ``SchoolRegistered`` and ``SchoolRoutesSet`` on the tenant's register
  (``school-register-<tenant>``);
- ``SchoolClassesSet`` on the school year's stream (``school-year-<tenant>-<year>``), with the
  visits of that year;
- ``VisitRoomSet`` on the tenant's rooms (``visit-rooms-<tenant>``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.events.visits.base import (
    FIRST_GRADE,
    LAST_GRADE,
    MOST_PUPILS,
    ClassLabel,
    SchoolYearLabel,
    VisitsEvent,
    check_label_grade,
)
from tvers_contracts.values import Slug

#: The most branches a school lists routes to.
MOST_ROUTES = 20
#: The most classes a school has in a school year.
MOST_CLASSES = 60


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


class TravelMeans(StrEnum):
    """How a class gets to a branch."""

    WALK = "walk"
    BUS = "bus"
    FERRY = "ferry"


class Route(BaseModel):
    """The way from a school to a branch: how, and how many minutes door to door."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    branch_id: Slug
    means: TravelMeans
    minutes: int = Field(ge=0, le=600)


class SchoolRoutesSet(VisitsEvent):
    """The ways from a school to the branches its classes can reach were replaced. The nearest
    branch comes first in planning, then the others by travel time."""

    aggregate: ClassVar[str] = "school"

    school_id: Slug
    routes: list[Route] = Field(max_length=MOST_ROUTES)

    @model_validator(mode="after")
    def _one_route_per_branch(self) -> SchoolRoutesSet:
        branches = [route.branch_id for route in self.routes]
        if len(set(branches)) != len(branches):
            raise ValueError("one route per branch")
        return self


class SchoolClass(BaseModel):
    """A class of a school year: grade, label and how many pupils. Never a name."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    grade: int = Field(ge=FIRST_GRADE, le=LAST_GRADE)
    class_label: ClassLabel
    pupils: int = Field(ge=1, le=MOST_PUPILS)

    @model_validator(mode="after")
    def _label_of_its_grade(self) -> SchoolClass:
        check_label_grade(self.grade, self.class_label)
        return self


class SchoolClassesSet(VisitsEvent):
    """A school's classes of a school year were replaced by these."""

    aggregate: ClassVar[str] = "school_year"

    school_id: Slug
    school_year: SchoolYearLabel
    classes: list[SchoolClass] = Field(max_length=MOST_CLASSES)

    @model_validator(mode="after")
    def _each_class_once(self) -> SchoolClassesSet:
        labels = [c.class_label for c in self.classes]
        if len(set(labels)) != len(labels):
            raise ValueError("each class is listed once")
        return self


class VisitRoomSet(VisitsEvent):
    """How many pupils a branch's room for class visits holds: visits that overlap in time may
    together expect no more."""

    aggregate: ClassVar[str] = "visit_rooms"

    branch_id: Slug
    pupils: int = Field(ge=1, le=500)
