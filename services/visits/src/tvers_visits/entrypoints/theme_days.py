"""HTTP routes of theme days for school librarians: staff plan, change, cancel and record them
as held; staff, school librarians and teachers read them. Every route names the roles that may
call it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field, StringConstraints

from tvers_contracts.events.visits import (
    MOST_PARTICIPANTS,
    MOST_SCHOOLS,
    SchoolParticipants,
    ShortText,
)
from tvers_contracts.values import LocalTime, Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.domain.theme_day import Arrangement, Stage, ThemeDay, When
from tvers_visits.theme_days import ThemeDayCases

router = APIRouter(tags=["theme days"], route_class=JsonBodyRoute)
Text = Annotated[ShortText, StringConstraints(strip_whitespace=True)]


class ThemeDayIn(Strict):
    """A theme day as staff plan it, or every field as it should stand after a change."""

    topic: Text
    day: dt.date = Field(
        description="Europe/Oslo; from a year back (recorded after the fact) to 400 days ahead."
    )
    branch_id: Slug | None = Field(
        default=None, description="The branch it is held at; or give `place`."
    )
    place: Text | None = Field(default=None, description="Where else it is held, in a few words.")
    starts_at: LocalTime | None = Field(default=None, description="With `ends_at`, or neither.")
    ends_at: LocalTime | None = None

    def arrangement(self) -> Arrangement:
        return Arrangement(
            self.topic, self.day, self.branch_id, self.place, self.starts_at, self.ends_at
        )


class ParticipantsIn(Strict):
    school_id: Slug
    participants: int = Field(ge=1, le=MOST_PARTICIPANTS)


class HeldIn(Strict):
    participants: list[ParticipantsIn] = Field(
        min_length=1,
        max_length=MOST_SCHOOLS,
        description="How many took part from each school: each school once, no names.",
    )


class ParticipantsOut(BaseModel):
    school_id: str
    participants: int


class ThemeDayOut(BaseModel):
    theme_day_id: UUID
    topic: str
    day: dt.date
    branch_id: str | None
    place: str | None
    starts_at: dt.time | None = Field(description="Europe/Oslo wall-clock time.")
    ends_at: dt.time | None
    stage: Stage
    participants: list[ParticipantsOut] = Field(description="Once held: per school.")


async def theme_day_cases(request: Request) -> ThemeDayCases:
    """The use cases, as wired by the bootstrap."""
    cases: ThemeDayCases = request.app.state.theme_days
    return cases


Cases = Annotated[ThemeDayCases, Depends(theme_day_cases)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Readers = Annotated[Principal, Depends(allow(Role.STAFF, Role.SCHOOL_LIBRARIAN, Role.TEACHER))]


def theme_day_out(day: ThemeDay) -> ThemeDayOut:
    arrangement = day.arrangement
    return ThemeDayOut(
        theme_day_id=day.theme_day_id,
        topic=arrangement.topic,
        day=arrangement.day,
        branch_id=arrangement.branch_id,
        place=arrangement.place,
        starts_at=arrangement.starts_at,
        ends_at=arrangement.ends_at,
        stage=day.stage,
        participants=[
            ParticipantsOut(school_id=p.school_id, participants=p.participants)
            for p in day.participants
        ],
    )


@router.post("/theme-days", status_code=status.HTTP_201_CREATED)
async def plan_theme_day(
    body: ThemeDayIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> ThemeDayOut:
    """Plan a theme day: topic, day, place (a branch or a place) and times."""
    context = await command_context(request, who, idempotency_key)
    return theme_day_out(await cases.plan(context, body.arrangement()))


@router.post("/theme-days/{theme_day_id}/changes")
async def change_theme_day(
    theme_day_id: UUID,
    body: ThemeDayIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> ThemeDayOut:
    """Change a planned theme day: every field as it should stand. The same again changes
    nothing."""
    context = await command_context(request, who, idempotency_key)
    return theme_day_out(await cases.change(context, theme_day_id, body.arrangement()))


@router.post("/theme-days/{theme_day_id}/cancel")
async def cancel_theme_day(
    theme_day_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> ThemeDayOut:
    """Call a planned theme day off."""
    context = await command_context(request, who, idempotency_key)
    return theme_day_out(await cases.cancel(context, theme_day_id))


@router.post("/theme-days/{theme_day_id}/held")
async def record_theme_day_held(
    theme_day_id: UUID,
    body: HeldIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> ThemeDayOut:
    """Record a theme day as held (on or after its day), with how many came from each school."""
    participants = [
        SchoolParticipants(school_id=p.school_id, participants=p.participants)
        for p in body.participants
    ]
    context = await command_context(request, who, idempotency_key)
    return theme_day_out(await cases.record_held(context, theme_day_id, participants))


@router.get("/theme-days")
async def list_theme_days(
    who: Readers,
    cases: Cases,
    when: Annotated[
        When | None,
        Query(
            description="upcoming (today and later, the soonest first) or past (the latest "
            "first); all by day if left out."
        ),
    ] = None,
) -> list[ThemeDayOut]:
    """The theme days, cancelled ones included (by their stage)."""
    return [theme_day_out(day) for day in await cases.listing(who.tenant, when=when)]


@router.get("/theme-days/{theme_day_id}")
async def get_theme_day(theme_day_id: UUID, who: Readers, cases: Cases) -> ThemeDayOut:
    """One theme day."""
    return theme_day_out(await cases.theme_day(who.tenant, theme_day_id))
