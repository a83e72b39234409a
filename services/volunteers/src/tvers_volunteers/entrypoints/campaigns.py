"""HTTP routes of recruitment campaigns: staff record, correct and end them; staff and viewers
read them. Every route names the roles that may call it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Query, Request, status
from pydantic import BaseModel, Field, StringConstraints

from tvers_contracts.events.volunteers import CampaignPlace, RecruitmentChannel
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.queries import QueryDate
from tvers_runtime.http.security import allow
from tvers_volunteers.campaigns import Campaigns
from tvers_volunteers.domain.campaign import Campaign, Details
from tvers_volunteers.entrypoints.dependencies import staff_ref

router = APIRouter(tags=["campaigns"], route_class=JsonBodyRoute)


class CampaignIn(Strict):
    """A recruitment campaign as staff record or correct it."""

    channel: RecruitmentChannel
    place: Annotated[CampaignPlace, StringConstraints(strip_whitespace=True)]
    starts_on: dt.date = Field(description="The first day (Europe/Oslo).")
    ends_on: dt.date = Field(description="The last day, included; at most a year after starts_on.")

    def details(self) -> Details:
        return Details(self.channel, self.place, self.starts_on, self.ends_on)


class EndIn(Strict):
    ended_on: dt.date | None = Field(
        default=None,
        description=(
            "The last day it ran, before its planned last day; by default today (or the day "
            "before its first day, which calls it off, if it has not begun)."
        ),
    )


class CampaignOut(BaseModel):
    campaign_id: UUID
    channel: RecruitmentChannel
    place: str
    starts_on: dt.date
    ends_on: dt.date = Field(description="The last day as planned.")
    ended_on: dt.date | None = Field(description="The last day it ran, if ended early.")


async def campaigns(request: Request) -> Campaigns:
    """The use cases, as wired by the bootstrap."""
    cases: Campaigns = request.app.state.campaigns
    return cases


Cases = Annotated[Campaigns, Depends(campaigns)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Readers = Depends(allow(Role.STAFF, Role.VIEWER))


def campaign_out(state: Campaign) -> CampaignOut:
    assert state.campaign_id is not None
    assert state.details is not None
    return CampaignOut(
        campaign_id=state.campaign_id,
        channel=state.details.channel,
        place=state.details.place,
        starts_on=state.details.starts_on,
        ends_on=state.details.ends_on,
        ended_on=state.ended_on,
    )


@router.post("/campaigns", status_code=status.HTTP_201_CREATED)
async def record_campaign(
    body: CampaignIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> CampaignOut:
    """Record a recruitment campaign: its channel, place and dates."""
    context = await command_context(request, who, idempotency_key)
    campaign_id = await cases.record(context, details=body.details(), staff_id=staff_ref(who))
    return campaign_out(await cases.campaign(who.tenant, campaign_id))


@router.post("/campaigns/{campaign_id}/corrections")
async def correct_campaign(
    campaign_id: UUID,
    body: CampaignIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> CampaignOut:
    """Correct a campaign: every field as it should stand. The same fields again change
    nothing."""
    await cases.correct(
        await command_context(request, who, idempotency_key),
        campaign_id=campaign_id,
        details=body.details(),
        staff_id=staff_ref(who),
    )
    return campaign_out(await cases.campaign(who.tenant, campaign_id))


@router.post("/campaigns/{campaign_id}/end")
async def end_campaign(
    campaign_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    body: Annotated[EndIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> CampaignOut:
    """End a campaign before its planned last day, once."""
    await cases.end(
        await command_context(request, who, idempotency_key),
        campaign_id=campaign_id,
        ended_on=None if body is None else body.ended_on,
        staff_id=staff_ref(who),
    )
    return campaign_out(await cases.campaign(who.tenant, campaign_id))


@router.get("/campaigns")
async def list_campaigns(
    who: Annotated[Principal, Readers],
    cases: Cases,
    channel: Annotated[RecruitmentChannel | None, Query(description="Of this channel.")] = None,
    active_on: Annotated[
        QueryDate | None,
        Query(description="Running on this day (Europe/Oslo), its first and last included."),
    ] = None,
) -> list[CampaignOut]:
    """The recruitment campaigns, the latest start first."""
    found = await cases.listing(who.tenant, channel=channel, active_on=active_on)
    return [campaign_out(state) for state in found]


@router.get("/campaigns/{campaign_id}")
async def get_campaign(
    campaign_id: UUID, who: Annotated[Principal, Readers], cases: Cases
) -> CampaignOut:
    """One recruitment campaign."""
    return campaign_out(await cases.campaign(who.tenant, campaign_id))
