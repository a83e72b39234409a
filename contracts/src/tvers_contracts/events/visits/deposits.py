"""Book deposits (*depotlån*): a school orders books on a theme from the public library, for a
class or for the school library, and the library prepares, delivers and collects them. One
stream per deposit (``deposit-<id>``, a random id).

Only the order and its course are recorded: no titles (they stay in the library system), no
person (the orderer is named by their role only), and the class by its grade and label.
Dates are Europe/Oslo dates.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field, model_validator

from tvers_contracts.events.visits.base import (
    FIRST_GRADE,
    LAST_GRADE,
    ClassLabel,
    VisitsEvent,
    check_label_grade,
)
from tvers_contracts.events.visits.texts import ShortText
from tvers_contracts.values import Slug

#: The most books one deposit may hold (a school library's share of a theme, at most).
MOST_BOOKS = 300


class OrdererRole(StrEnum):
    """Who ordered a deposit, by role: never a person."""

    SCHOOL_LIBRARIAN = "school_librarian"
    TEACHER = "teacher"
    #: Public-library staff, on a school's behalf (an order by phone or e-mail).
    STAFF = "staff"


class CancelledBy(StrEnum):
    """Which side called a deposit off."""

    SCHOOL = "school"
    LIBRARY = "library"


class DepositEvent(VisitsEvent):
    """Base of the events on a deposit's stream."""

    aggregate: ClassVar[str] = "deposit"

    deposit_id: UUID


class DepositOrdered(DepositEvent):
    """A school ordered a deposit of books on a theme, for one class (``grade`` and
    ``class_label``) or, with neither, for the school library."""

    school_id: Slug
    grade: int | None = Field(default=None, ge=FIRST_GRADE, le=LAST_GRADE)
    class_label: ClassLabel | None = Field(default=None, description="E.g. 2A; never a name.")
    theme: ShortText
    books: int = Field(ge=1, le=MOST_BOOKS, description="Roughly how many books are wished.")
    wished_delivery_on: dt.date
    ordered_on: dt.date
    ordered_by: OrdererRole

    @model_validator(mode="after")
    def _a_class_or_the_library(self) -> DepositOrdered:
        if (self.grade is None) != (self.class_label is None):
            raise ValueError("a class is named by grade and class label together, or not at all")
        if self.grade is not None and self.class_label is not None:
            check_label_grade(self.grade, self.class_label)
        return self


class DepositPrepared(DepositEvent):
    """The library put the books of a deposit together."""

    books: int | None = Field(
        default=None, ge=1, le=MOST_BOOKS, description="How many books, if counted."
    )


class DepositDelivered(DepositEvent):
    """The books reached the school; they are due back on ``due_on`` (the last day, included)."""

    delivered_on: dt.date
    due_on: dt.date

    @model_validator(mode="after")
    def _due_after_delivery(self) -> DepositDelivered:
        if self.due_on <= self.delivered_on:
            raise ValueError("a deposit is due after the day it was delivered")
        return self


class DepositDueDateSet(DepositEvent):
    """A delivered deposit's due date was moved (an extension, or a correction)."""

    due_on: dt.date


class DepositReturned(DepositEvent):
    """The books of a deposit came back to the library."""

    returned_on: dt.date


class DepositCancelled(DepositEvent):
    """A deposit was called off before it was delivered."""

    cancelled_by: CancelledBy
