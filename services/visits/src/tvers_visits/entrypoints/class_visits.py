"""HTTP routes of booked class visits: book, list, read, reschedule, cancel, record as held.
Every route names the roles that may call it; a teacher acts for their own school only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from tvers_contracts.events.visits import (
    LAST_GRADE,
    MOST_PUPILS,
    CancelReason,
    ClassLabel,
    Programme,
    SchoolYearLabel,
    check_label_grade,
)
from tvers_contracts.schedule import OSLO
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.domain import school_year
from tvers_visits.domain.school_year import (
    EARLIEST_YEAR,
    FIRST_KNOWN,
    LAST_KNOWN,
    LATEST_YEAR,
    SchoolYear,
)
from tvers_visits.domain.visit_year import ClassRef
from tvers_visits.entrypoints.dependencies import Visits
from tvers_visits.entrypoints.http import CountsIn
from tvers_visits.entrypoints.school_scope import check_school, own_school
from tvers_visits.entrypoints.visit_views import VisitOut, visit_out
from tvers_visits.visit_cases import VisitAsked

router = APIRouter(tags=["class visits"], route_class=JsonBodyRoute)
Booker = Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER))]
Reader = Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN))]


async def the_year(
    school_year: Annotated[
        SchoolYearLabel, Path(description="A school year, e.g. 2026-2027 (1 Aug to 30 Jun).")
    ],
) -> SchoolYear:
    """The school year named in the path: one of the service's working life (a year far from
    it would be refused, or fail its date arithmetic, further on)."""
    year = SchoolYear.named(school_year)
    if not FIRST_KNOWN <= year <= LAST_KNOWN:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            f"the school year {school_year} is not one this service deals in: give one from "
            f"{FIRST_KNOWN.label} to {LAST_KNOWN.label}",
        )
    return year


Year = Annotated[SchoolYear, Depends(the_year)]


def _in_working_life(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"a visit's time lies from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return moment


#: A visit's start or end: an aware moment in the service's working life.
VisitMoment = Annotated[AwareDatetime, AfterValidator(_in_working_life)]


class BookingIn(Strict):
    school_id: Slug
    grade: int = Field(ge=1, le=LAST_GRADE)
    class_label: ClassLabel = Field(description="The class, e.g. 2A. Never a pupil's name.")
    branch_id: Slug
    starts_at: VisitMoment
    ends_at: VisitMoment
    expected_pupils: int = Field(ge=1, le=MOST_PUPILS)
    programme: Programme

    @model_validator(mode="after")
    def _label_of_its_grade(self) -> BookingIn:
        check_label_grade(self.grade, self.class_label)
        return self

    def asked(self) -> VisitAsked:
        return VisitAsked(
            pupils_of=ClassRef(self.school_id, self.grade, self.class_label),
            branch_id=self.branch_id,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            expected_pupils=self.expected_pupils,
            programme=self.programme,
        )


class RescheduleIn(Strict):
    branch_id: Slug
    starts_at: VisitMoment
    ends_at: VisitMoment


class CancelIn(Strict):
    reason: CancelReason


@router.post("/class-visits", status_code=status.HTTP_201_CREATED)
async def book_visit(
    body: BookingIn,
    request: Request,
    who: Booker,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Book a class's visit to a branch, in the branch's staffed hours: no more pupils than the
    class has, no more than the branch's room holds at once, the class free then, and one visit
    of the 2nd- or 9th-grade programme per class and school year."""
    check_school(who, body.school_id)
    visit_id = await visits.book(await command_context(request, who, idempotency_key), body.asked())
    year = school_year.of(body.starts_at.astimezone(OSLO).date())
    return visit_out(year, await visits.visit(who.tenant, year, visit_id))


@router.get("/school-years/{school_year}/class-visits")
async def list_visits(
    year: Year,
    who: Reader,
    visits: Visits,
    school_id: Annotated[Slug | None, Query()] = None,
    branch_id: Annotated[Slug | None, Query()] = None,
) -> list[VisitOut]:
    """The school year's visits in time order, of a school or at a branch if given. A teacher or
    school librarian sees their own school's only."""
    mine = own_school(who)
    if school_id is not None:
        check_school(who, school_id)
    found = await visits.visits(who.tenant, year, school_id=mine or school_id, branch_id=branch_id)
    return [visit_out(year, v) for v in found]


@router.get("/school-years/{school_year}/class-visits/{visit_id}")
async def read_visit(year: Year, visit_id: UUID, who: Reader, visits: Visits) -> VisitOut:
    """One visit (a teacher: of their own school)."""
    found = await visits.visit(who.tenant, year, visit_id, only_school=own_school(who))
    return visit_out(year, found)


@router.post("/school-years/{school_year}/class-visits/{visit_id}/reschedule")
async def reschedule_visit(
    year: Year,
    visit_id: UUID,
    body: RescheduleIn,
    request: Request,
    who: Booker,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Move a booked visit to another time (and maybe branch) in the same school year, by the
    booking's rules."""
    await visits.reschedule(
        await command_context(request, who, idempotency_key),
        year,
        visit_id,
        branch_id=body.branch_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        only_school=own_school(who),
    )
    return visit_out(year, await visits.visit(who.tenant, year, visit_id))


@router.post("/school-years/{school_year}/class-visits/{visit_id}/cancel")
async def cancel_visit(
    year: Year,
    visit_id: UUID,
    body: CancelIn,
    request: Request,
    who: Booker,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Cancel a booked visit, with the reason. A visit already held cannot be cancelled."""
    await visits.cancel(
        await command_context(request, who, idempotency_key),
        year,
        visit_id,
        body.reason,
        only_school=own_school(who),
    )
    return visit_out(year, await visits.visit(who.tenant, year, visit_id))


@router.post("/school-years/{school_year}/class-visits/{visit_id}/held")
async def record_visit_held(
    year: Year,
    visit_id: UUID,
    body: CountsIn,
    request: Request,
    who: Booker,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Record a booked visit as held, once it has begun: pupils present (no more than the class
    has), library cards handed out (no more than pupils present, nor than consent forms)."""
    await visits.record_held(
        await command_context(request, who, idempotency_key),
        year,
        visit_id,
        body.counts(),
        only_school=own_school(who),
    )
    return visit_out(year, await visits.visit(who.tenant, year, visit_id))
