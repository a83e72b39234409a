"""HTTP routes of a school year: the classes of each school, the classes not yet visited, the
free slots for a visit, and the booking plan proposed and confirmed. Every route names the roles
that may call it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field, model_validator

from tvers_contracts.events.visits import (
    LAST_GRADE,
    MOST_CLASSES,
    MOST_PUPILS,
    ClassLabel,
    Programme,
    SchoolClass,
    check_label_grade,
)
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.queries import QueryDate
from tvers_runtime.http.security import allow
from tvers_visits.domain.visit_year import ClassRef
from tvers_visits.entrypoints.class_visits import VisitMoment, Year
from tvers_visits.entrypoints.dependencies import Visits
from tvers_visits.entrypoints.school_scope import check_school
from tvers_visits.entrypoints.visit_views import (
    ClassOut,
    ClassStatusOut,
    PlanOut,
    SlotOut,
    class_out,
    class_status_out,
    planned_out,
    slot_out,
)
from tvers_visits.visit_cases import VisitAsked

router = APIRouter(tags=["school years"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
#: The longest span of free slots asked for at once.
LONGEST_SLOT_SPAN = timedelta(days=92)
#: The most visits one plan confirmation books.
MOST_CONFIRMED = 400


class SchoolClassIn(Strict):
    grade: int = Field(ge=1, le=LAST_GRADE)
    class_label: ClassLabel = Field(description="E.g. 2A: the grade, then letters. Never a name.")
    pupils: int = Field(ge=1, le=MOST_PUPILS)

    @model_validator(mode="after")
    def _label_of_its_grade(self) -> SchoolClassIn:
        check_label_grade(self.grade, self.class_label)
        return self


class ClassesIn(Strict):
    classes: list[SchoolClassIn] = Field(
        max_length=MOST_CLASSES,
        description="Every class of the school this year: grade, label (2A) and pupils. No names.",
    )

    @model_validator(mode="after")
    def _each_class_once(self) -> ClassesIn:
        labels = [c.class_label for c in self.classes]
        if len(set(labels)) != len(labels):
            raise ValueError("each class is listed once")
        return self

    def school_classes(self) -> list[SchoolClass]:
        return [SchoolClass(**c.model_dump()) for c in self.classes]


class SchoolYearOut(BaseModel):
    school_year: str
    first_day: date
    last_day: date


@router.get(
    "/school-years/current",
    dependencies=[Depends(allow(Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN, Role.VIEWER))],
)
async def current_school_year(visits: Visits) -> SchoolYearOut:
    """The school year going on (in July: the one about to start)."""
    year = visits.current_year()
    return SchoolYearOut(school_year=year.label, first_day=year.first_day, last_day=year.last_day)


@router.put("/school-years/{school_year}/schools/{school_id}/classes")
async def set_classes(
    year: Year,
    school_id: Slug,
    body: ClassesIn,
    request: Request,
    who: Staff,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> list[ClassStatusOut]:
    """Replace a school's classes of the year. A class with a visit booked or held stays, with
    at least the pupils its visit counts on."""
    await visits.set_classes(
        await command_context(request, who, idempotency_key),
        year,
        school_id,
        body.school_classes(),
    )
    return [class_status_out(year, s) for s in await visits.statuses(who.tenant, year, school_id)]


@router.get("/school-years/{school_year}/schools/{school_id}/classes")
async def school_classes(
    year: Year,
    school_id: Slug,
    who: Annotated[
        Principal,
        Depends(allow(Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN, Role.VIEWER)),
    ],
    visits: Visits,
) -> list[ClassStatusOut]:
    """A school's classes of the year, each with its visits and its programme visit if booked or
    held (a teacher or school librarian: their own school only)."""
    check_school(who, school_id)
    return [class_status_out(year, s) for s in await visits.statuses(who.tenant, year, school_id)]


@router.get("/school-years/{school_year}/not-yet-visited")
async def not_yet_visited(
    year: Year,
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.VIEWER))],
    visits: Visits,
) -> list[ClassOut]:
    """The 2nd- and 9th-grade classes with no visit of their programme booked or held yet."""
    return [class_out(ref) for ref in await visits.not_yet_visited(who.tenant, year)]


@router.get("/school-years/{school_year}/free-slots")
async def free_slots(
    year: Year,
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER))],
    visits: Visits,
    branch_id: Annotated[Slug, Query()],
    programme: Annotated[Programme, Query()],
    first: Annotated[QueryDate, Query(alias="from")],
    last: Annotated[QueryDate, Query(alias="to")],
) -> list[SlotOut]:
    """The free slots at a branch for a visit of ``programme``: on school days, in school hours,
    staffed throughout, and free of other visits; ``from`` to ``to`` (at most 92 days)."""
    if last < first or last - first > LONGEST_SLOT_SPAN:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            "'to' is on or after 'from', and at most 92 days after it",
        )
    found = await visits.free_slots(who.tenant, year, branch_id, programme, first=first, last=last)
    return [slot_out(slot) for slot in found]


@router.get("/school-years/{school_year}/proposed-plan")
async def proposed_plan(year: Year, who: Staff, visits: Visits) -> PlanOut:
    """A booking plan for the classes not yet visited: spread over the branches' free staffed
    school-day hours for the rest of the year, nearest branch first, no two visits overlapping.
    Nothing is booked until a person confirms the plan (in whole or in part)."""
    plan = await visits.propose(who.tenant, year)
    return PlanOut(
        school_year=year.label,
        visits=[planned_out(p) for p in plan.visits],
        no_room=[class_out(ref) for ref in plan.no_room],
    )


class PlannedVisitIn(Strict):
    school_id: Slug
    grade: int = Field(ge=1, le=LAST_GRADE)
    class_label: ClassLabel
    branch_id: Slug
    starts_at: VisitMoment
    ends_at: VisitMoment
    expected_pupils: int = Field(ge=1, le=MOST_PUPILS)
    programme: Programme

    @model_validator(mode="after")
    def _label_of_its_grade(self) -> PlannedVisitIn:
        check_label_grade(self.grade, self.class_label)
        return self


class ConfirmIn(Strict):
    visits: list[PlannedVisitIn] = Field(min_length=1, max_length=MOST_CONFIRMED)


class ConfirmedOut(BaseModel):
    school_year: str
    visit_ids: list[UUID]


@router.post("/school-years/{school_year}/proposed-plan/confirm", status_code=201)
async def confirm_plan(
    year: Year,
    body: ConfirmIn,
    request: Request,
    who: Staff,
    visits: Visits,
    idempotency_key: IdempotencyKey = None,
) -> ConfirmedOut:
    """Book the chosen visits of a proposed plan, all of them or, when one no longer fits (booked
    meanwhile, hours changed), none: the answer says which and why."""
    chosen = [
        VisitAsked(
            pupils_of=ClassRef(v.school_id, v.grade, v.class_label),
            branch_id=v.branch_id,
            starts_at=v.starts_at,
            ends_at=v.ends_at,
            expected_pupils=v.expected_pupils,
            programme=v.programme,
        )
        for v in body.visits
    ]
    ids = await visits.confirm(await command_context(request, who, idempotency_key), year, chosen)
    return ConfirmedOut(school_year=year.label, visit_ids=ids)
