"""HTTP routes of the reporting service: the daily activity and the pipeline's status as JSON,
and what the other JSON routes share (the readers' guard, the period). The dashboard's pages are
in :mod:`tvers_reporting.entrypoints.dashboard`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field, create_model

from tvers_contracts.values import Slug
from tvers_reporting.read_models.daily_activity import MEASURES, DailyActivity
from tvers_reporting.read_models.queries import (
    daily_rows,
    dead_letter_counts,
)
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.security import allow
from tvers_runtime.service import Infrastructure

router = APIRouter()
READERS = (Role.VIEWER, Role.STAFF)
Reader = Annotated[Principal, Depends(allow(*READERS))]


#: One row of ``/api/daily``: a field per measure, derived from the measures.
_MEASURE_FIELDS: dict[str, Any] = {
    m.name: (
        int | None,
        Field(description=f"{m.label_en} (null while a new release rebuilds the table)"),
    )
    for m in MEASURES
}
DailyOut: type[BaseModel] = create_model(
    "DailyOut", branch_id=(str, ...), day=(date, ...), **_MEASURE_FIELDS
)


class SourceOut(BaseModel):
    state: str = Field(description="following, standby, waiting, recovering, upgrading, stopped")
    reason: str | None = Field(description="Why it is not following, when it is not.")
    lag: int = Field(description="Messages of the stream not yet applied.")
    applied: int = Field(description="The stream sequence of the last message applied.")
    dead_letters: int = Field(description="Messages of this stream that could not be applied.")


class ProjectionOut(BaseModel):
    healthy: bool
    dead_letters: int
    sources: dict[str, SourceOut]


class StatusOut(BaseModel):
    projections: dict[str, ProjectionOut]


async def infrastructure(request: Request) -> Infrastructure:
    """The running parts, as wired by the bootstrap."""
    infra: Infrastructure = request.app.state.infrastructure
    return infra


async def projection(request: Request) -> DailyActivity:
    """The daily activity projection."""
    daily: DailyActivity = request.app.state.daily
    return daily


Infra = Annotated[Infrastructure, Depends(infrastructure)]
Daily = Annotated[DailyActivity, Depends(projection)]


def period(request: Request, first: date | None, last: date | None) -> tuple[date, date]:
    """The asked period, by default the last 60 days and the 14 to come (shifts are planned
    ahead); at most three years."""
    today = request.app.state.clock().astimezone(ZoneInfo(request.app.state.timezone)).date()
    last = last or today + timedelta(days=14)
    first = first or today - timedelta(days=59)
    if first > last:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_period", "from is after to")
    if (last - first).days > 3 * 366:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_period", "at most three years at once"
        )
    return first, last


@router.get("/api/daily", tags=["activity"], response_model=list[DailyOut])
async def daily(
    request: Request,
    who: Reader,
    infra: Infra,
    daily_activity: Daily,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
    branch_id: Slug | None = None,
) -> list[dict[str, Any]]:
    """Activity per branch and day: door entries in staffed and meirope hours, denials, shifts
    claimed, class visits, pupils and library cards."""
    start, end = period(request, first, last)
    rows = await daily_rows(
        infra.pool, daily_activity, tenant=who.tenant, first=start, last=end, branch_id=branch_id
    )
    return [{"branch_id": r.branch_id, "day": r.day, **r.counts} for r in rows]


@router.get("/api/status", tags=["operations"], dependencies=[Depends(allow(*READERS))])
async def projection_status(infra: Infra) -> StatusOut:
    """Each projection's health: per source stream its state, why, and its lag; its dead
    letters."""
    return StatusOut(projections=await pipeline_status(infra))


async def pipeline_status(infra: Infrastructure) -> dict[str, ProjectionOut]:
    """The health of every projection, as the API and the dashboard show it."""
    found: dict[str, ProjectionOut] = {}
    for runner in infra.runners:
        dead = await dead_letter_counts(infra.pool, runner.projection)
        found[runner.projection.name] = ProjectionOut(
            healthy=runner.healthy,
            dead_letters=sum(dead.values()),
            sources={
                source: SourceOut(
                    state=status.state.value,
                    reason=status.reason,
                    lag=status.lag,
                    applied=status.applied,
                    dead_letters=dead.get(source, 0),
                )
                for source, status in runner.statuses.by_source.items()
            },
        )
    return found
