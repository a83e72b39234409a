"""HTTP routes of a branch's hosting rule: staff set it, staff and viewers read it. Every route
names the roles that may call it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule
from tvers_volunteers.entrypoints.dependencies import staff_ref
from tvers_volunteers.proposal_cases import ProposalCases

router = APIRouter(tags=["hosting rules"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Reader = Annotated[Principal, Depends(allow(Role.STAFF, Role.VIEWER))]


class HostingRuleIn(Strict):
    """How a branch's meirope hours are hosted; what is left out is the default."""

    last_minutes: int | None = Field(
        default=DEFAULT_RULE.last_minutes,
        ge=15,
        le=1440,
        description="The last minutes of each meirope period that are hosted; null: all of it "
        "(at most 12 hours make one shift).",
    )
    hosts: int = Field(default=DEFAULT_RULE.hosts, ge=1, le=20, description="Places per shift.")
    minimum_hosts: int = Field(
        default=DEFAULT_RULE.minimum_hosts,
        ge=1,
        le=20,
        description="An hour with fewer hosts is flagged 48 hours ahead; at most `hosts`.",
    )


class HostingRuleOut(BaseModel):
    branch_id: str
    last_minutes: int | None
    hosts: int
    minimum_hosts: int


async def proposals(request: Request) -> ProposalCases:
    """The use cases, as wired by the bootstrap."""
    cases: ProposalCases = request.app.state.proposals
    return cases


Cases = Annotated[ProposalCases, Depends(proposals)]


def rule_out(branch_id: str, rule: HostingRule) -> HostingRuleOut:
    return HostingRuleOut(
        branch_id=branch_id,
        last_minutes=rule.last_minutes,
        hosts=rule.hosts,
        minimum_hosts=rule.minimum_hosts,
    )


@router.put("/branches/{branch_id}/hosting-rule")
async def set_hosting_rule(
    branch_id: Slug,
    body: HostingRuleIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> HostingRuleOut:
    """Set how a branch's meirope hours are hosted. The proposals of the coming weeks follow
    within seconds: unconfirmed ones the rule no longer calls for are withdrawn."""
    if body.minimum_hosts > body.hosts:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            "minimum_hosts must be at most hosts",
        )
    rule = HostingRule(body.last_minutes, body.hosts, body.minimum_hosts)
    context = await command_context(request, who, idempotency_key)
    staff_id = staff_ref(who)
    found = await cases.set_hosting_rule(context, branch_id=branch_id, rule=rule, staff_id=staff_id)
    request.app.state.proposer.wake(who.tenant, branch_id)
    return rule_out(branch_id, found)


@router.get("/branches/{branch_id}/hosting-rule")
async def get_hosting_rule(branch_id: Slug, who: Reader, cases: Cases) -> HostingRuleOut:
    """How a branch's meirope hours are hosted (the default until staff set a rule)."""
    return rule_out(branch_id, await cases.known_hosting_rule(who.tenant, branch_id))
