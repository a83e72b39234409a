"""HTTP routes of a volunteer's standing (staff record the police certificate shown, the
introduction, deactivation and reactivation) and of their shifts and hours (staff, or the
volunteer themself)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.queries import QueryDate
from tvers_runtime.http.security import allow
from tvers_volunteers.domain.hours import hours_of
from tvers_volunteers.domain.limits import REACH_YEARS, within_reach
from tvers_volunteers.entrypoints.dependencies import App, ShiftOut, shift_out, staff_ref
from tvers_volunteers.entrypoints.people import VolunteerOut, may_act_for, volunteer_out

router = APIRouter(tags=["volunteers"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
StaffOrVolunteer = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))]
#: The longest span of hours or shifts asked for at once.
LONGEST_SPAN = timedelta(days=3 * 366)


class CertificateShownIn(Strict):
    shown_on: date = Field(description="The date staff saw the police certificate.")


class IntroductionIn(Strict):
    completed_on: date


@router.post("/volunteers/{volunteer_id}/police-certificate")
async def police_certificate_shown(
    volunteer_id: UUID,
    body: CertificateShownIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Record that the volunteer showed a police certificate (the document is not kept)."""
    state = await app.show_police_certificate(
        await command_context(request, who, idempotency_key),
        volunteer_id=volunteer_id,
        shown_on=body.shown_on,
        staff_id=staff_ref(who),
    )
    return volunteer_out(state)


@router.post("/volunteers/{volunteer_id}/introduction")
async def introduction_completed(
    volunteer_id: UUID,
    body: IntroductionIn,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Record that the volunteer completed the introduction."""
    state = await app.complete_introduction(
        await command_context(request, who, idempotency_key),
        volunteer_id=volunteer_id,
        completed_on=body.completed_on,
        staff_id=staff_ref(who),
    )
    return volunteer_out(state)


@router.post("/volunteers/{volunteer_id}/deactivate")
async def deactivate(
    volunteer_id: UUID,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Deactivate a volunteer: they claim nothing more, and their future places go to the
    waitlists within seconds."""
    state = await app.deactivate(
        await command_context(request, who, idempotency_key),
        volunteer_id=volunteer_id,
        staff_id=staff_ref(who),
    )
    return volunteer_out(state)


@router.post("/volunteers/{volunteer_id}/reactivate")
async def reactivate(
    volunteer_id: UUID,
    request: Request,
    who: Staff,
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Reactivate a deactivated volunteer."""
    state = await app.reactivate(
        await command_context(request, who, idempotency_key),
        volunteer_id=volunteer_id,
        staff_id=staff_ref(who),
    )
    return volunteer_out(state)


class ServedOut(BaseModel):
    checked_in_at: datetime
    checked_out_at: datetime
    minutes: int
    closed_by_rule: bool
    corrected: bool


class VolunteerShiftOut(ShiftOut):
    served: ServedOut | None = Field(default=None, description="Time served, once checked out.")
    no_show: bool


def _span(first: date | None, last: date | None, app: App) -> tuple[date, date]:
    today = app.now().astimezone(OSLO).date()
    first = first or today.replace(month=1, day=1)
    last = last or today.replace(month=12, day=31)
    if not (within_reach(first - today) and within_reach(last - today)):
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            f"'from' and 'to' must lie within {REACH_YEARS} years of today",
        )
    if last < first:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            "'to' must not lie before 'from'",
        )
    if last - first > LONGEST_SPAN:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            f"ask for at most {LONGEST_SPAN.days} days at once",
        )
    return first, last


def _instants(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time(), OSLO),
        datetime.combine(last + timedelta(days=1), time(), OSLO),
    )


FromDate = Annotated[QueryDate | None, Query(alias="from", description="Default: 1 January.")]
ToDate = Annotated[QueryDate | None, Query(alias="to", description="Default: 31 December.")]


@router.get("/volunteers/{volunteer_id}/shifts")
async def volunteer_shifts(
    volunteer_id: UUID,
    who: StaffOrVolunteer,
    app: App,
    first: FromDate = None,
    last: ToDate = None,
) -> list[VolunteerShiftOut]:
    """The shifts the volunteer holds, waits for, served or missed, by start (dates in
    Europe/Oslo; this year unless told)."""
    may_act_for(who, volunteer_id)
    first, last = _span(first, last, app)
    await app.registered_volunteer(volunteer_id, tenant=who.tenant)
    shifts = await app.shifts_of_volunteer(volunteer_id, *_instants(first, last), tenant=who.tenant)
    found = []
    for shift in shifts:
        served = shift.served_by(volunteer_id)
        found.append(
            VolunteerShiftOut(
                **shift_out(shift, who).model_dump(),
                served=None
                if served is None
                else ServedOut(
                    checked_in_at=served.checked_in_at,
                    checked_out_at=served.checked_out_at,
                    minutes=int(served.duration.total_seconds() // 60),
                    closed_by_rule=served.closed_by_rule,
                    corrected=served.corrected,
                ),
                no_show=volunteer_id in shift.no_shows and served is None,
            )
        )
    return found


class MonthOut(BaseModel):
    month: str = Field(description="YYYY-MM")
    minutes: int


class HoursOut(BaseModel):
    volunteer_id: UUID
    first: date
    last: date
    minutes: int
    shifts: int
    by_month: list[MonthOut]
    by_branch: dict[str, int]


@router.get("/volunteers/{volunteer_id}/hours")
async def volunteer_hours(
    volunteer_id: UUID,
    who: StaffOrVolunteer,
    app: App,
    first: FromDate = None,
    last: ToDate = None,
) -> HoursOut:
    """The volunteer's time served, in minutes, in total, per month and per branch (counted in
    the month of the check-in; this year unless told)."""
    may_act_for(who, volunteer_id)
    first, last = _span(first, last, app)
    after, before = _instants(first, last)
    await app.registered_volunteer(volunteer_id, tenant=who.tenant)
    shifts = await app.shifts_of_volunteer(
        volunteer_id, after - timedelta(hours=12), before, tenant=who.tenant
    )
    hours = hours_of(volunteer_id, shifts, first=first, last=last)
    return HoursOut(
        volunteer_id=volunteer_id,
        first=first,
        last=last,
        minutes=_minutes(hours.total),
        shifts=hours.shifts,
        by_month=[
            MonthOut(month=month.strftime("%Y-%m"), minutes=_minutes(served))
            for month, served in hours.by_month.items()
        ],
        by_branch={branch: _minutes(served) for branch, served in hours.by_branch.items()},
    )


def _minutes(served: timedelta) -> int:
    return int(served.total_seconds() // 60)
