"""HTTP routes of the school librarians' network: staff keep it; staff and school librarians
read it. Every route names the roles that may call it.

A name (and e-mail address) is taken only with ``"consent": true``, and kept only in this
service's table: no event, no log line, no error body echoes it.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from tvers_contracts.events.visits import NetworkRole
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.personal import EmailAddress, PersonName
from tvers_runtime.http.security import allow
from tvers_visits.domain.network import Member
from tvers_visits.network import Listed, NetworkCases

router = APIRouter(tags=["school librarians' network"], route_class=JsonBodyRoute)

CONSENT = (
    "Whether the member agreed to have their name (and e-mail) kept and shown to the network. "
    "Without it, no name is taken."
)


class MemberIn(Strict):
    """Someone joining the network: a school and a role; a name only with their consent."""

    school_id: Slug = Field(description="A registered school.")
    role: NetworkRole
    name: PersonName | None = None
    email: EmailAddress | None = Field(default=None, description="Only with a name.")
    consent: bool = Field(default=False, description=CONSENT)

    @model_validator(mode="after")
    def _names_with_consent_only(self) -> MemberIn:
        if (self.name is not None or self.email is not None) and not self.consent:
            raise ValueError("a name or e-mail is kept only with the member's consent")
        if self.email is not None and self.name is None:
            raise ValueError("an e-mail address is kept only with a name")
        return self


class MemberChangeIn(Strict):
    """A member's school and role, as they should stand."""

    school_id: Slug = Field(description="A registered school.")
    role: NetworkRole


class NameIn(Strict):
    """A member's name (and e-mail), with their consent."""

    name: PersonName
    email: EmailAddress | None = None
    consent: bool = Field(description=CONSENT + " Must be true.")

    @model_validator(mode="after")
    def _with_consent(self) -> NameIn:
        if not self.consent:
            raise ValueError("a name is kept only with the member's consent (consent: true)")
        return self


class MemberOut(BaseModel):
    member_id: UUID
    school_id: str
    role: NetworkRole
    name: str | None = Field(description="Only of a member who agreed to have it kept.")
    email: str | None


async def network_cases(request: Request) -> NetworkCases:
    """The use cases, as wired by the bootstrap."""
    cases: NetworkCases = request.app.state.network
    return cases


Cases = Annotated[NetworkCases, Depends(network_cases)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Readers = Annotated[Principal, Depends(allow(Role.STAFF, Role.SCHOOL_LIBRARIAN))]


def member_out(listed: Listed) -> MemberOut:
    member, named = listed.member, listed.named
    return MemberOut(
        member_id=member.member_id,
        school_id=member.school_id,
        role=member.role,
        name=None if named is None else named.name,
        email=None if named is None else named.email,
    )


def unnamed(member: Member) -> MemberOut:
    return member_out(Listed(member, None))


@router.post("/network/members", status_code=status.HTTP_201_CREATED)
async def add_member(
    body: MemberIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> MemberOut:
    """Add someone to the network: school and role, and their name only with their consent."""
    context = await command_context(request, who, idempotency_key)
    listed = await cases.join(
        context, school_id=body.school_id, role=body.role, name=body.name, email=body.email
    )
    return member_out(listed)


@router.post("/network/members/{member_id}/changes")
async def change_member(
    member_id: UUID,
    body: MemberChangeIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> MemberOut:
    """Change a member's school or role. The same again changes nothing."""
    context = await command_context(request, who, idempotency_key)
    listed = await cases.change(context, member_id, school_id=body.school_id, role=body.role)
    return member_out(listed)


@router.put("/network/members/{member_id}/name")
async def keep_member_name(member_id: UUID, body: NameIn, who: Staff, cases: Cases) -> MemberOut:
    """Keep a member's name (and e-mail) with their consent, replacing one kept before."""
    listed = await cases.keep_name(who.tenant, member_id, name=body.name, email=body.email)
    return member_out(listed)


@router.delete("/network/members/{member_id}/name")
async def withdraw_member_consent(member_id: UUID, who: Staff, cases: Cases) -> MemberOut:
    """The member withdrew their consent: their name and e-mail are deleted."""
    return unnamed(await cases.withdraw_consent(who.tenant, member_id))


@router.delete("/network/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(
    member_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The member left the network; their name, if kept, is deleted."""
    await cases.leave(await command_context(request, who, idempotency_key), member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/network/members")
async def list_members(
    who: Readers,
    cases: Cases,
    school_id: Annotated[Slug | None, Query(description="Of this school.")] = None,
) -> list[MemberOut]:
    """The network, by school: names only of those who agreed to have them kept."""
    return [member_out(listed) for listed in await cases.listing(who.tenant, school_id=school_id)]
