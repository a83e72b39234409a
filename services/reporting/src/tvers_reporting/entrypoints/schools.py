"""The JSON API of the schools' figures: programme coverage, pupils reached, deposits by status
and theme days, for viewers and staff. A school year defaults to the current one on Oslo's date
(July counts with the year just ended, as the visits service names it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from tvers_contracts.events.visits import SchoolYearLabel, school_year_of
from tvers_contracts.values import Slug
from tvers_reporting.entrypoints.http import Infra, Reader
from tvers_reporting.read_models import school_queries as queries
from tvers_runtime.projection import Projection

router = APIRouter(prefix="/api/schools", tags=["schools"])

YearQuery = Annotated[
    SchoolYearLabel | None,
    Query(description="A school year, e.g. 2026-2027 (1 Aug to 30 Jun); the current by default."),
]
SchoolQuery = Annotated[Slug | None, Query(description="Only this school.")]


class CoverageOut(BaseModel):
    school_year: str
    school_id: str
    school_name: str | None = Field(description="Null until the school's registration is read.")
    grade: int = Field(description="2 or 9: the grades with a programme.")
    classes: int
    booked: int = Field(description="Classes whose programme visit is booked, not yet held.")
    held: int = Field(description="Classes whose programme visit was held.")
    not_yet: int = Field(description="Classes with no programme visit, or only cancelled ones.")


class ReachOut(BaseModel):
    school_year: str
    school_id: str
    school_name: str | None
    branch_id: str
    visits: int = Field(description="Class visits held.")
    pupils: int = Field(description="Pupils present at them.")
    library_cards: int = Field(description="Library cards handed out at them.")


class DepositsOut(BaseModel):
    school_id: str
    school_name: str | None
    requested: int
    prepared: int
    delivered: int = Field(description="Delivered and not yet returned (overdue included).")
    returned: int
    cancelled: int
    overdue: int = Field(description="Delivered, not returned, and due before the day asked.")


class ParticipantsOut(BaseModel):
    school_id: str
    school_name: str | None
    participants: int


class ThemeDayOut(BaseModel):
    theme_day_id: UUID
    school_year: str
    day: date
    topic: str
    branch_id: str | None
    place: str | None
    stage: str = Field(description="planned, cancelled or held")
    participants: int = Field(description="All who took part (held theme days only).")
    schools: list[ParticipantsOut]


def _today(request: Request) -> date:
    now: datetime = request.app.state.clock()
    return now.astimezone(ZoneInfo(request.app.state.timezone)).date()


def _year(request: Request, school_year: str | None) -> str:
    return school_year or school_year_of(_today(request))


async def _names(request: Request, infra: Infra, tenant: str) -> dict[str, str]:
    schools: Projection = request.app.state.schools
    return await queries.school_names(infra.pool, schools, tenant=tenant)


@router.get("/coverage", response_model=list[CoverageOut])
async def coverage(
    request: Request,
    who: Reader,
    infra: Infra,
    school_year: YearQuery = None,
    school_id: SchoolQuery = None,
) -> list[CoverageOut]:
    """Per school and programme grade (2nd and 9th) in a school year: the classes, and how many
    have their programme visit booked, held, or not yet."""
    year = _year(request, school_year)
    rows = await queries.coverage(
        infra.pool,
        request.app.state.school_visits,
        tenant=who.tenant,
        school_year=year,
        school_id=school_id,
    )
    names = await _names(request, infra, who.tenant)
    return [
        CoverageOut(
            school_year=year,
            school_id=r.school_id,
            school_name=names.get(r.school_id),
            grade=r.grade,
            classes=r.classes,
            booked=r.booked,
            held=r.held,
            not_yet=r.not_yet,
        )
        for r in rows
    ]


@router.get("/reach", response_model=list[ReachOut])
async def reach(
    request: Request,
    who: Reader,
    infra: Infra,
    school_year: YearQuery = None,
    school_id: SchoolQuery = None,
    branch_id: Annotated[Slug | None, Query(description="Only this branch.")] = None,
) -> list[ReachOut]:
    """Per school and branch in a school year: class visits held, pupils reached and library
    cards handed out."""
    year = _year(request, school_year)
    rows = await queries.reach(
        infra.pool,
        request.app.state.school_visits,
        tenant=who.tenant,
        school_year=year,
        school_id=school_id,
        branch_id=branch_id,
    )
    names = await _names(request, infra, who.tenant)
    return [
        ReachOut(
            school_year=year,
            school_id=r.school_id,
            school_name=names.get(r.school_id),
            branch_id=r.branch_id,
            visits=r.visits,
            pupils=r.pupils,
            library_cards=r.library_cards,
        )
        for r in rows
    ]


@router.get("/deposits", response_model=list[DepositsOut])
async def deposits(
    request: Request,
    who: Reader,
    infra: Infra,
    school_year: Annotated[
        SchoolYearLabel | None,
        Query(description="Only deposits ordered in this school year; all by default."),
    ] = None,
    school_id: SchoolQuery = None,
    on: Annotated[
        date | None, Query(description="The day overdue is counted on; today by default.")
    ] = None,
) -> list[DepositsOut]:
    """Per school: book deposits by their current status, and how many are overdue on a day."""
    rows = await queries.deposit_counts(
        infra.pool,
        request.app.state.deposits,
        tenant=who.tenant,
        on=on or _today(request),
        school_year=school_year,
        school_id=school_id,
    )
    names = await _names(request, infra, who.tenant)
    return [
        DepositsOut(
            school_id=r.school_id,
            school_name=names.get(r.school_id),
            overdue=r.overdue,
            **r.by_status,
        )
        for r in rows
    ]


@router.get("/theme-days", response_model=list[ThemeDayOut])
async def theme_days(
    request: Request,
    who: Reader,
    infra: Infra,
    school_year: YearQuery = None,
    school_id: Annotated[
        Slug | None, Query(description="Only theme days this school took part in.")
    ] = None,
) -> list[ThemeDayOut]:
    """The theme days of a school year by day, with their stage and, when held, how many took
    part from each school."""
    rows = await queries.theme_days(
        infra.pool,
        request.app.state.theme_days,
        tenant=who.tenant,
        school_year=_year(request, school_year),
        school_id=school_id,
    )
    names = await _names(request, infra, who.tenant)
    return [
        ThemeDayOut(
            theme_day_id=r.theme_day_id,
            school_year=r.school_year,
            day=r.day,
            topic=r.topic,
            branch_id=r.branch_id,
            place=r.place,
            stage=r.stage,
            participants=sum(r.participants.values()),
            schools=[
                ParticipantsOut(school_id=s, school_name=names.get(s), participants=n)
                for s, n in sorted(r.participants.items())
            ],
        )
        for r in rows
    ]
