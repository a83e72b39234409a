"""HTTP routes of help records: record help given, read a record back, undo it within the undo
window. A desk token records at its own site only; staff at any."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.events.desk import Channel, Department, Duration, HelpGiven, UndoReason
from tvers_contracts.values import Slug
from tvers_desk.domain.help_record import HelpRecord, NewHelp
from tvers_desk.entrypoints.dependencies import Desk, check_site, own_site
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow

router = APIRouter(tags=["help records"], route_class=JsonBodyRoute)
Recorder = Annotated[Principal, Depends(allow(Role.DESK, Role.STAFF))]


class HelpIn(Strict):
    """Help given: codes and ids only, never anything about the citizen."""

    site: Slug = Field(description="The innbyggartorg site (GET /sites), e.g. skodje.")
    department: Department = Field(description="The department that helped.")
    category_id: Slug = Field(description="An offered category (GET /categories).")
    channel: Channel
    duration: Duration
    referred_to: Department | None = Field(
        default=None, description="The other department the citizen was sent on to, if any."
    )

    def new_help(self) -> NewHelp:
        return NewHelp(
            site=self.site,
            department=self.department,
            category_id=self.category_id,
            channel=self.channel,
            duration=self.duration,
            referred_to=self.referred_to,
        )


class UndoIn(Strict):
    reason: UndoReason


class HelpOut(BaseModel):
    help_id: UUID
    site: str
    department: Department
    category_id: str
    channel: Channel
    duration: Duration
    referred_to: Department | None
    given_at: datetime
    undo_until: datetime = Field(description="Until when it may be undone (exclusive).")
    undone: bool


def help_out(given: HelpGiven, *, undone: bool, desk: Desk) -> HelpOut:
    return HelpOut(
        help_id=given.help_id,
        site=given.site,
        department=given.department,
        category_id=given.category_id,
        channel=given.channel,
        duration=given.duration,
        referred_to=given.referred_to,
        given_at=given.given_at,
        undo_until=given.given_at + desk.undo_window,
        undone=undone,
    )


def record_out(record: HelpRecord, desk: Desk) -> HelpOut:
    assert record.given is not None
    return help_out(record.given, undone=record.undone, desk=desk)


@router.post("/help", status_code=status.HTTP_201_CREATED)
async def record_help(
    body: HelpIn,
    request: Request,
    who: Recorder,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> HelpOut:
    """Record help given at a site: the department, a category, the channel, a rough duration
    and maybe a referral to another department. Send it with an ``Idempotency-Key`` so that a
    retry (after a lost answer, or from a page that was offline) is stored once."""
    check_site(who, body.site)
    given = await desk.give_help(
        await command_context(request, who, idempotency_key), body.new_help()
    )
    return help_out(given, undone=False, desk=desk)


@router.get("/help/{help_id}")
async def read_help(help_id: UUID, who: Recorder, desk: Desk) -> HelpOut:
    """A help record, and whether it was undone (a desk reads its own site's only)."""
    return record_out(await desk.record(who.tenant, help_id, only_site=own_site(who)), desk)


@router.post("/help/{help_id}/undo")
async def undo_help(
    help_id: UUID,
    body: UndoIn,
    request: Request,
    who: Recorder,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> HelpOut:
    """Undo a help record recorded by mistake, within minutes of recording it (a desk its own
    site's only). Undone once: a second undo is refused, unless it repeats the first with the
    same ``Idempotency-Key``."""
    only_site = own_site(who)
    await desk.undo_help(
        await command_context(request, who, idempotency_key),
        help_id,
        body.reason,
        only_site=only_site,
    )
    return record_out(await desk.record(who.tenant, help_id, only_site=only_site), desk)
