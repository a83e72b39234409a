"""JSON routes of the meirope read models (``/api/meirope/...``), for viewers and staff.

Each takes a period (``from``, ``to``; by default the last 60 days and the 14 to come, at most
three years) and an optional branch, and answers counts only: never a patron reference.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from tvers_contracts.events.access import DenialReason
from tvers_contracts.values import Slug
from tvers_reporting.entrypoints.http import Infra, Reader, period
from tvers_reporting.read_models import meirope_queries as queries
from tvers_reporting.read_models.meirope_denials import MeiropeDenials
from tvers_reporting.read_models.meirope_entries import MeiropeEntries
from tvers_reporting.read_models.meirope_incidents import MeiropeIncidents
from tvers_reporting.read_models.meirope_visitors import MeiropeVisitors
from tvers_reporting.read_models.open_hours import OpenHours, open_hours

router = APIRouter(prefix="/api/meirope", tags=["meirope"])
From = Annotated[date | None, Query(alias="from", description="First day (Europe/Oslo).")]
To = Annotated[date | None, Query(alias="to", description="Last day (Europe/Oslo), included.")]


class DenialsOut(BaseModel):
    branch_id: str
    day: date = Field(description="The Europe/Oslo day of the attempts.")
    reason: DenialReason
    staffed: int = Field(description="Denials in staffed hours.")
    meirope: int = Field(description="Denials in meirope hours.")
    closed: int = Field(description="Denials while the branch was closed.")


class EntriesHourOut(BaseModel):
    branch_id: str
    weekday: int = Field(ge=1, le=7, description="ISO weekday in Europe/Oslo: 1 Monday, 7 Sunday.")
    hour: int = Field(ge=0, le=23, description="Europe/Oslo wall-clock hour of the entries.")
    staffed: int = Field(description="Entries in staffed hours, summed over the period's days.")
    meirope: int = Field(description="Entries in meirope hours, summed over the period's days.")


class VisitorsMonthOut(BaseModel):
    branch_id: str
    month: date = Field(description="First day of the Europe/Oslo month.")
    visitors: int = Field(description="Distinct people let in at the branch that month.")


class IncidentsDayOut(BaseModel):
    branch_id: str
    day: date = Field(description="The Europe/Oslo day.")
    held_open: int = Field(description="Alarms: a door held open too long.")
    forced: int = Field(description="Alarms: a door forced open.")
    tailgating: int = Field(description="Counter reports with more entries than doors granted.")
    closings_with_occupants: int = Field(description="Closings with people still inside.")
    occupants_at_closing: int = Field(description="People still inside at those closings.")


class OpenHoursWeekOut(BaseModel):
    branch_id: str
    week: date = Field(description="The Monday of the Europe/Oslo ISO week.")
    staffed_minutes: int = Field(
        description="Minutes open with staff, of the periods starting that week (rounded down)."
    )
    meirope_minutes: int = Field(
        description="Minutes open without staff (meirope), of the periods starting that week."
    )


async def _denials(request: Request) -> MeiropeDenials:
    projection: MeiropeDenials = request.app.state.meirope_denials
    return projection


async def _entries(request: Request) -> MeiropeEntries:
    projection: MeiropeEntries = request.app.state.meirope_entries
    return projection


async def _visitors(request: Request) -> MeiropeVisitors:
    projection: MeiropeVisitors = request.app.state.meirope_visitors
    return projection


async def _incidents(request: Request) -> MeiropeIncidents:
    projection: MeiropeIncidents = request.app.state.meirope_incidents
    return projection


async def _open_hours(request: Request) -> OpenHours:
    projection: OpenHours = request.app.state.open_hours
    return projection


Denials = Annotated[MeiropeDenials, Depends(_denials)]
Entries = Annotated[MeiropeEntries, Depends(_entries)]
Visitors = Annotated[MeiropeVisitors, Depends(_visitors)]
Incidents = Annotated[MeiropeIncidents, Depends(_incidents)]
Opening = Annotated[OpenHours, Depends(_open_hours)]


@router.get("/denials", response_model=list[DenialsOut])
async def denials(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Denials,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Denied door attempts per branch, day and reason, staffed and meirope hours apart."""
    start, end = period(request, first, last)
    return await queries.denials_by_reason(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/entries-by-hour", response_model=list[EntriesHourOut])
async def entries_by_hour(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Entries,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Entries per branch, weekday and wall-clock hour over the period (hours without entries
    are left out), staffed and meirope hours apart: the heat map."""
    start, end = period(request, first, last)
    return await queries.entries_by_hour(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/visitors", response_model=list[VisitorsMonthOut])
async def visitors(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Visitors,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Unique visitors per branch and month (months overlapping the period). Access cannot link
    a person across months or branches, so the months and branches do not add up to people."""
    start, end = period(request, first, last)
    return await queries.visitors_by_month(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/incidents", response_model=list[IncidentsDayOut])
async def incidents(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Incidents,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Door alarms, suspected tailgating and people left inside at closing, per branch and day."""
    start, end = period(request, first, last)
    return await queries.incidents_by_day(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/open-hours", response_model=list[OpenHoursWeekOut])
async def open_hours_by_week(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Opening,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Minutes open with and without staff per branch and week, from the schedules and their
    exceptions: the periods starting in the period asked, each day by the schedule as it stood
    at the end of that day, counted in the week of the day they start."""
    start, end = period(request, first, last)
    return await open_hours(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )
