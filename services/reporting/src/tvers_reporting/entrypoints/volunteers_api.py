"""JSON routes of the volunteers' read models (``/api/volunteers/...``), for viewers and staff.

Each takes a period (``from``, ``to``; by default the last 60 days and the 14 to come, at most
three years) and answers counts only: never a volunteer's id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from tvers_contracts.events.volunteers import RecruitmentChannel
from tvers_contracts.values import Slug
from tvers_reporting.entrypoints.http import Infra, Reader, period
from tvers_reporting.read_models import volunteer_queries as queries
from tvers_reporting.read_models.host_coverage import HostCoverage, host_coverage
from tvers_reporting.read_models.volunteer_shifts import VolunteerShifts
from tvers_reporting.read_models.volunteers import Volunteers

router = APIRouter(prefix="/api/volunteers", tags=["volunteers"])
From = Annotated[date | None, Query(alias="from", description="First day (Europe/Oslo).")]
To = Annotated[date | None, Query(alias="to", description="Last day (Europe/Oslo), included.")]


class CoverageWeekOut(BaseModel):
    branch_id: str
    week: date = Field(description="The Monday of the Europe/Oslo week the periods start in.")
    meirope_minutes: int = Field(description="Meirope time by the schedule, whole minutes.")
    hosted_minutes: int = Field(description="Of it, with at least one host checked in.")
    share: float | None = Field(description="hosted / meirope time; null without meirope time.")


class ShiftWeekOut(BaseModel):
    branch_id: str
    week: date = Field(description="The Monday of the Europe/Oslo week the shifts start in.")
    shifts_published: int
    shifts_cancelled: int
    shifts_filled: int = Field(description="Published, not cancelled, every place held.")
    places_offered: int = Field(description="Places on published shifts not cancelled.")
    places_taken: int = Field(description="Claims and places taken from the waitlist.")
    places_released: int
    waitlist_joins: int
    no_shows: int


class HoursMonthOut(BaseModel):
    branch_id: str
    month: date = Field(description="First day of the Europe/Oslo month of the check-ins.")
    minutes: int = Field(description="Time served, whole minutes rounded down.")
    shifts_served: int = Field(description="Volunteers' shifts with time served.")
    volunteers: int = Field(description="Volunteers who served at the branch that month.")


class ServedMonthOut(BaseModel):
    month: date
    volunteers_served: int = Field(description="Volunteers with a shift served that month.")


class ActiveOut(BaseModel):
    active: int = Field(description="Registered now, neither deactivated nor erased.")
    months: list[ServedMonthOut]


class RecruitmentOut(BaseModel):
    channel: RecruitmentChannel
    campaign_id: UUID | None
    place: str | None = Field(description="The campaign's place, when a campaign brought them.")
    registrations: int = Field(description="Registrations within the period.")
    first_shifts: int = Field(description="First shifts served within the period.")


class CertificatesMonthOut(BaseModel):
    month: date
    certificates: int
    minutes: int = Field(description="Minutes served that the certificates state, in all.")


async def _coverage(request: Request) -> HostCoverage:
    projection: HostCoverage = request.app.state.host_coverage
    return projection


async def _shifts(request: Request) -> VolunteerShifts:
    projection: VolunteerShifts = request.app.state.volunteer_shifts
    return projection


async def _volunteers(request: Request) -> Volunteers:
    projection: Volunteers = request.app.state.volunteers
    return projection


Coverage = Annotated[HostCoverage, Depends(_coverage)]
Shifts = Annotated[VolunteerShifts, Depends(_shifts)]
People = Annotated[Volunteers, Depends(_volunteers)]


@router.get("/shifts", response_model=list[ShiftWeekOut])
async def shifts(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Shifts,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Shifts per branch and week (weeks whose Monday is in the period): published, filled,
    cancelled, places offered, taken and released, waitlist joins and no-shows."""
    start, end = period(request, first, last)
    return await queries.shifts_by_week(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/hours", response_model=list[HoursMonthOut])
async def hours(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: People,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Hours served per branch and month, from check-in to check-out or as staff corrected
    them, counted in the month of the check-in (check-ins within the period)."""
    start, end = period(request, first, last)
    return await queries.hours_by_month(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )


@router.get("/active", response_model=ActiveOut)
async def active(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: People,
    first: From = None,
    last: To = None,
) -> dict[str, Any]:
    """Active volunteers now, and per month those who served a shift."""
    start, end = period(request, first, last)
    return await queries.active_volunteers(
        infra.pool, projection, tenant=who.tenant, first=start, last=end
    )


@router.get("/recruitment", response_model=list[RecruitmentOut])
async def recruitment(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: People,
    first: From = None,
    last: To = None,
) -> list[dict[str, Any]]:
    """Registrations and first shifts per recruitment channel and campaign."""
    start, end = period(request, first, last)
    return await queries.recruitment(
        infra.pool, projection, tenant=who.tenant, first=start, last=end
    )


@router.get("/certificates", response_model=list[CertificatesMonthOut])
async def certificates(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: People,
    first: From = None,
    last: To = None,
) -> list[dict[str, Any]]:
    """Certificates of hours served issued per month."""
    start, end = period(request, first, last)
    return await queries.certificates_by_month(
        infra.pool, projection, tenant=who.tenant, first=start, last=end
    )


@router.get("/host-coverage", response_model=list[CoverageWeekOut])
async def coverage(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Coverage,
    first: From = None,
    last: To = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """The share of each branch's meirope hours with a volunteer host checked in, per week, by
    the schedule as it stood on each day."""
    start, end = period(request, first, last)
    return await host_coverage(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )
