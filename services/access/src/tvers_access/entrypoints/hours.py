"""HTTP routes of a branch's schedule beyond the week: dated exceptions (staff), the branch
status (staff, viewers, doors), and the published opening hours as JSON and as an iCalendar
feed, which need no login. "Now" comes from the clock the bootstrap injects."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tvers_access.domain.hours import PublishedHours, date_range
from tvers_access.entrypoints.dependencies import App, BranchReader, Done, Staff, may_read_branch
from tvers_access.entrypoints.ical import calendar_feed
from tvers_access.entrypoints.occupancy import Occupancy
from tvers_contracts.events.access import DayPeriod
from tvers_contracts.values import OpeningKind, Slug
from tvers_runtime.clock import Clock
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.text import PlainLabel

router = APIRouter(route_class=JsonBodyRoute)
#: Dates published by default: the coming four weeks as JSON; for the calendar feed, the past
#: week (so today's events stay) and the coming half year.
JSON_DAYS = 28
FEED_DAYS_BACK = 7
FEED_DAYS = 190


async def now(request: Request) -> dt.datetime:
    """Now, from the injected clock (aware)."""
    clock: Clock = request.app.state.clock
    return clock()


Now = Annotated[dt.datetime, Depends(now)]
From = Annotated[
    dt.date | None,
    Query(alias="from", description="The first date (Europe/Oslo)."),
]
To = Annotated[
    dt.date | None,
    Query(alias="to", description="The last date, included; at most 366 dates from `from`."),
]


class ExceptionIn(Strict):
    periods: list[DayPeriod] = Field(
        max_length=48, description="The date's periods; none: closed all day."
    )
    label: PlainLabel | None = Field(
        default=None,
        description="What the day is (Julaftan, Stengt grunna straumbrot); no person's name.",
    )


class ModeChangeOut(BaseModel):
    at: AwareDatetime
    mode: OpeningKind


class OccupantsAlertOut(BaseModel):
    period_ends: AwareDatetime = Field(description="The meirope closing.")
    checked_at: AwareDatetime
    count: int = Field(description="People counted inside then.")


class BranchStatusOut(BaseModel):
    """A branch now: its mode and next change, how many are inside, whether people were left
    inside at a closing, and whether a volunteer host is checked in."""

    branch_id: str
    at: AwareDatetime = Field(description="The moment the status is for.")
    mode: OpeningKind
    next_change: ModeChangeOut | None = Field(
        description="When the mode changes next, within two weeks; null: not within them."
    )
    host_checked_in: bool = Field(
        description="Whether a volunteer host is checked in (bibliotekvenn), as the volunteers "
        "service reports: from check-in to check-out, and at most until the shift's end."
    )
    hosts_checked_in: int = Field(ge=0, description="How many volunteer hosts are checked in.")
    # Occupancy and the alert of people left inside at closing (decision 0015).
    occupancy: int = Field(
        ge=0,
        description="People inside as the counters say: from zero at the start of the current "
        "(or last) opening, or at staff's last clear; never below zero.",
    )
    occupants_remained_at_closing: OccupantsAlertOut | None = Field(
        description="The latest meirope closing that left people inside, until staff clear it."
    )


class PeriodOut(BaseModel):
    date: dt.date = Field(description="The date the period starts on.")
    starts: AwareDatetime
    ends: AwareDatetime
    kind: OpeningKind = Field(description="staffed or meirope")
    exception: bool = Field(description="Whether a dated exception set it.")
    label: str | None = Field(description="The exception's label, if any.")


class ExceptionOut(BaseModel):
    date: dt.date
    label: str | None
    closed_all_day: bool


class HoursOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    branch_id: str
    name: str
    timezone: str
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    periods: list[PeriodOut]
    exceptions: list[ExceptionOut]


@router.put("/branches/{branch_id}/exceptions/{date}", tags=["branches"])
async def set_exception(
    branch_id: Slug,
    date: dt.date,
    body: ExceptionIn,
    request: Request,
    who: Staff,
    app: App,
    moment: Now,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Set one date's hours apart from the weekly schedule: a holiday, a closure, extra or
    changed hours. They replace the whole date, midnight to midnight; no periods: closed."""
    await app.set_exception(
        await command_context(request, who, idempotency_key),
        branch_id,
        day=date,
        periods=body.periods,
        label=body.label,
        now=moment,
    )
    return Done(status="set")


@router.delete("/branches/{branch_id}/exceptions/{date}", tags=["branches"])
async def remove_exception(
    branch_id: Slug,
    date: dt.date,
    request: Request,
    who: Staff,
    app: App,
    moment: Now,
    idempotency_key: IdempotencyKey = None,
) -> Done:
    """Remove a date's exception: it follows the weekly schedule again."""
    await app.remove_exception(
        await command_context(request, who, idempotency_key), branch_id, day=date, now=moment
    )
    return Done(status="removed")


@router.get("/branches/{branch_id}/status", tags=["branches"])
async def branch_status(
    branch_id: Slug, who: BranchReader, app: App, moment: Now, occupancy: Occupancy
) -> BranchStatusOut:
    """The branch now: staffed, meirope or closed, the next change, how many are inside,
    whether people were left inside at a closing, and whether a volunteer host is checked in."""
    await may_read_branch(who, branch_id, app)
    found = await app.branch_status(branch_id, tenant=who.tenant, now=moment)
    change = found.next_change
    inside = await occupancy.status(branch_id, now=moment)
    alert = inside.alert
    return BranchStatusOut(
        branch_id=found.branch_id,
        at=found.at.astimezone(app.zone),
        mode=found.mode,
        next_change=None
        if change is None
        else ModeChangeOut(at=change.at.astimezone(app.zone), mode=change.mode),
        host_checked_in=found.host_checked_in,
        hosts_checked_in=found.hosts_checked_in,
        occupancy=inside.occupancy,
        occupants_remained_at_closing=None
        if alert is None
        else OccupantsAlertOut(
            period_ends=alert.period_ends.astimezone(app.zone),
            checked_at=alert.checked_at.astimezone(app.zone),
            count=alert.count,
        ),
    )


@router.get("/branches/{branch_id}/hours", tags=["opening hours"])
async def opening_hours(
    branch_id: Slug, app: App, moment: Now, first: From = None, last: To = None
) -> HoursOut:
    """The published opening hours, staffed and meirope, of a range of dates (default: the
    coming four weeks), with times in Europe/Oslo. No login needed."""
    today = moment.astimezone(app.zone).date()
    start, end = date_range(today, first, last, back=0, length=JSON_DAYS)
    return _hours_out(await app.published_hours(branch_id, first=start, last=end), app.zone)


class CalendarResponse(Response):
    """An iCalendar document."""

    media_type = "text/calendar"


@router.get(
    "/branches/{branch_id}/hours.ics",
    tags=["opening hours"],
    response_class=CalendarResponse,
    responses={
        200: {
            "description": "An iCalendar (RFC 5545) feed of the opening hours.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    },
)
async def opening_hours_calendar(
    branch_id: Slug, app: App, moment: Now, first: From = None, last: To = None
) -> CalendarResponse:
    """The published opening hours as a calendar feed to subscribe to (default: the past week
    and the coming half year). No login needed."""
    today = moment.astimezone(app.zone).date()
    start, end = date_range(today, first, last, back=FEED_DAYS_BACK, length=FEED_DAYS)
    published = await app.published_hours(branch_id, first=start, last=end)
    feed = calendar_feed(published, zone=app.zone, stamp=moment.astimezone(dt.UTC))
    return CalendarResponse(
        feed, headers={"Content-Disposition": f'inline; filename="{branch_id}.ics"'}
    )


def _hours_out(published: PublishedHours, zone: ZoneInfo) -> HoursOut:
    return HoursOut(
        branch_id=published.branch_id,
        name=published.name,
        timezone=zone.key,
        first=published.first,
        last=published.last,
        periods=[
            PeriodOut(
                date=p.day,
                starts=p.starts.astimezone(zone),
                ends=p.ends.astimezone(zone),
                kind=p.kind,
                exception=p.exception,
                label=p.label,
            )
            for p in published.periods
        ],
        exceptions=[
            ExceptionOut(
                date=day,
                label=hours.label,
                closed_all_day=all(p.kind is OpeningKind.CLOSED for p in hours.periods),
            )
            for day, hours in published.exceptions.items()
        ],
    )
