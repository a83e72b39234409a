"""A class visit's life: booked, rescheduled, cancelled, held. All on the school year's stream
(``school-year-<tenant>-<year>``), with that year's classes, so that one stream holds what the
rules compare: a class's visits, and the visits overlapping at a branch."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

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


class Programme(StrEnum):
    """What the class does at the library."""

    #: Library cards for every pupil, a reading session, maybe lunch in the library.
    SECOND_GRADE = "second_grade"
    #: Reading and writing; the library made known before upper secondary school.
    NINTH_GRADE = "ninth_grade"
    OTHER = "other"


class CancelReason(StrEnum):
    """Why a visit was cancelled."""

    SCHOOL_CANCELLED = "school_cancelled"
    LIBRARY_CANCELLED = "library_cancelled"
    WEATHER_OR_TRAVEL = "weather_or_travel"
    ILLNESS = "illness"
    BOOKED_BY_MISTAKE = "booked_by_mistake"
    OTHER = "other"


class ClassVisitEvent(VisitsEvent):
    """Base of the events of a class visit."""

    aggregate: ClassVar[str] = "school_year"


class ClassVisitBooked(ClassVisitEvent):
    """A class's visit to a branch was booked, in the branch's staffed hours."""

    visit_id: UUID
    school_id: Slug
    school_year: SchoolYearLabel
    grade: int = Field(ge=FIRST_GRADE, le=LAST_GRADE)
    class_label: ClassLabel
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    expected_pupils: int = Field(ge=1, le=MOST_PUPILS)
    programme: Programme
    plan_id: UUID | None = Field(
        default=None, description="The booking plan it was confirmed from, if any."
    )

    @model_validator(mode="after")
    def _a_class_and_a_span(self) -> ClassVisitBooked:
        check_label_grade(self.grade, self.class_label)
        if self.ends_at <= self.starts_at:
            raise ValueError("a visit must end after it starts")
        return self


class ClassVisitRescheduled(ClassVisitEvent):
    """A booked visit was moved: another time, maybe another branch."""

    visit_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _a_span(self) -> ClassVisitRescheduled:
        if self.ends_at <= self.starts_at:
            raise ValueError("a visit must end after it starts")
        return self


class ClassVisitCancelled(ClassVisitEvent):
    """A booked visit will not be held."""

    visit_id: UUID
    reason: CancelReason


class ClassVisitHeld(ClassVisitEvent):
    """A school class visited a library branch: how many pupils came, how many got a card, how
    many guardian consent forms were collected. Booked before (same ``visit_id``) or recorded
    afterwards only. Version 2 adds the school year, the consent forms and the programme."""

    schema_version: ClassVar[int] = 2

    visit_id: UUID
    school_id: Slug
    school_year: SchoolYearLabel
    grade: int = Field(ge=1, le=13)
    class_label: str = Field(min_length=1, max_length=20, description="E.g. 2A; never a name.")
    branch_id: Slug
    held_on: date
    programme: Programme
    pupils_present: int = Field(ge=0, le=200)
    library_cards_handed_out: int = Field(ge=0, le=200)
    consent_forms_collected: int = Field(ge=0, le=200)

    @model_validator(mode="after")
    def _no_more_cards_than_pupils(self) -> ClassVisitHeld:
        if self.library_cards_handed_out > self.pupils_present:
            raise ValueError("more library cards handed out than pupils present")
        return self
