"""Theme days (*temadagar*) for school librarians: competence building and a network between
school and public libraries. Staff plan them, change or cancel them, and record them as held
with how many took part from each school: counts, never names. All on the tenant's stream
(``theme-days-<tenant>``): a few a year.

A theme day takes place at a branch (``branch_id``) or at a place named in a few words
(``place``), never both; its times, if given, are Europe/Oslo wall-clock times.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.events.visits.base import VisitsEvent
from tvers_contracts.events.visits.texts import ShortText
from tvers_contracts.values import LocalTime, Slug

#: The most schools one theme day's participants may come from.
MOST_SCHOOLS = 100
#: The most participants from one school.
MOST_PARTICIPANTS = 200


class ThemeDayEvent(VisitsEvent):
    """Base of the events of a theme day."""

    aggregate: ClassVar[str] = "theme_days"

    theme_day_id: UUID


class ThemeDayArrangement(ThemeDayEvent):
    """What staff say of a theme day: topic, day, place and times."""

    topic: ShortText
    day: dt.date
    branch_id: Slug | None = Field(default=None, description="The branch it is held at, if one.")
    place: ShortText | None = Field(default=None, description="Where else it is held.")
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None

    @model_validator(mode="after")
    def _one_place_and_a_span(self) -> ThemeDayArrangement:
        if (self.branch_id is None) == (self.place is None):
            raise ValueError("a theme day is held at a branch or at a place, one of them")
        starts, ends = self.starts_at, self.ends_at
        if (starts is None) != (ends is None):
            raise ValueError("a theme day has a start and an end time, or neither")
        if starts is not None and ends is not None and ends <= starts:
            raise ValueError("a theme day ends after it starts, on the same day")
        return self


class ThemeDayPlanned(ThemeDayArrangement):
    """Staff planned a theme day."""


class ThemeDayChanged(ThemeDayArrangement):
    """Staff changed a planned theme day: every field as it now stands, changed or not."""


class ThemeDayCancelled(ThemeDayEvent):
    """A planned theme day will not be held."""


class SchoolParticipants(BaseModel):
    """How many took part from one school."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    school_id: Slug
    participants: int = Field(ge=1, le=MOST_PARTICIPANTS)


class ThemeDayHeld(ThemeDayEvent):
    """A theme day was held: how many took part from each school (each school once)."""

    participants: list[SchoolParticipants] = Field(min_length=1, max_length=MOST_SCHOOLS)

    @model_validator(mode="after")
    def _each_school_once(self) -> ThemeDayHeld:
        schools = [entry.school_id for entry in self.participants]
        if len(set(schools)) != len(schools):
            raise ValueError("each school is listed once")
        return self
