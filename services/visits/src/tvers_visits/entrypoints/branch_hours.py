"""``GET /branches/{branch_id}/staffed-hours``: the hours a branch is staffed, from the service's
own view of the branches' schedules (learned from the access service's schedule events; see
:mod:`tvers_runtime.branch_schedules`). Class visits are booked in staffed hours only; meirope
hours, when the branch is open without staff, are never listed (decision 0032)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer

from tvers_contracts.schedule import OSLO
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.branch_schedules import PostgresBranchSchedules
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.queries import QueryDate
from tvers_runtime.http.security import allow
from tvers_runtime.known_branches import KnownBranches

router = APIRouter(tags=["branches"])
#: The most dates one request covers: two months, what a booking page shows at once.
LONGEST = 62
#: The dates asked about lie within these: the service's working life, and far from the ends of
#: the calendar, where an instant would not fit in a ``datetime``.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

Reader = Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN))]
First = Annotated[QueryDate, Query(alias="from", description="The first date (Europe/Oslo).")]
Last = Annotated[
    QueryDate,
    Query(alias="to", description=f"The last date, included; at most {LONGEST} dates in all."),
]


class StaffedHoursOut(BaseModel):
    """One staffed period of a branch (made from an
    :class:`~tvers_contracts.schedule.Occurrence`)."""

    model_config = ConfigDict(from_attributes=True)

    date: dt.date = Field(
        validation_alias="day", description="The date the period starts on (Europe/Oslo)."
    )
    starts: AwareDatetime = Field(description="In Europe/Oslo time, with its offset.")
    ends: AwareDatetime = Field(description="In Europe/Oslo time, with its offset.")
    exception: bool = Field(description="Whether a dated exception set it.")
    label: str | None = Field(description="The exception's label (Julaftan), if any.")

    @field_serializer("starts", "ends")
    def _in_oslo(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(OSLO)


@router.get("/branches/{branch_id}/staffed-hours")
async def staffed_hours(
    branch_id: Slug, request: Request, who: Reader, first: First, last: Last
) -> list[StaffedHoursOut]:
    """The periods a branch is staffed from one date to another, in order, exceptions
    included: the hours in which class visits can be booked. Learned from the access service,
    so a schedule set there a moment ago may take a second to show here."""
    _check_dates(first, last)
    branches: KnownBranches = request.app.state.known_branches
    if not await branches.is_known(who.tenant, branch_id):
        raise ApiError(
            status.HTTP_404_NOT_FOUND, "not_found", f"no branch {branch_id} is known here"
        )
    schedules: PostgresBranchSchedules = request.app.state.schedules
    hours = await schedules.hours(who.tenant, branch_id, since=first)
    return [StaffedHoursOut.model_validate(o) for o in hours.staffed(first, last)]


def _check_dates(first: dt.date, last: dt.date) -> None:
    problem = None
    if not (EARLIEST <= first <= LATEST and EARLIEST <= last <= LATEST):
        problem = f"'from' and 'to' must lie from {EARLIEST} to {LATEST}"
    elif last < first:
        problem = "'to' lies before 'from'"
    elif (last - first).days >= LONGEST:
        problem = f"at most {LONGEST} days at a time"
    if problem:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_request", problem)
