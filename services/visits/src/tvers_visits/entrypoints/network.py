"""HTTP routes of the school librarians' network: staff keep it; staff and school librarians
read it. Every route names the roles that may call it.

A name (and e-mail address) is taken only with ``"consent": true``, and kept only in this
service's table: no event, no log line, no error body echoes it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tvers_contracts.events.visits import NetworkRole
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.domain.network import Member
from tvers_visits.network import Listed, NetworkCases

router = APIRouter(tags=["school librarians' network"], route_class=JsonBodyRoute)

#: Format characters a name may hold: the zero-width (non-)joiners some scripts need.
_JOINERS = frozenset("\u200c\u200d")
#: What email-validator quotes of the address it refuses (a domain part, a label).
_QUOTED = re.compile(r"\s*\([^)]*\)|\s*'[^']*'")


def _a_readable_name(name: str) -> str:
    """One line with a letter in it: no control, separator or invisible format characters."""
    for char in name:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _JOINERS):
            raise ValueError(
                f"a name may not contain control, separator or format characters "
                f"(U+{ord(char):04X})"
            )
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ValueError("a name must contain a letter")
    return name


def _refused_without_what_was_typed(value: Any, handler: ValidatorFunctionWrapHandler) -> str:
    """An address refused with email-validator's reason, less what it quotes of the address:
    an error body may end up in a proxy's log."""
    try:
        address: str = handler(value)
    except ValidationError as error:
        problem = error.errors()[0]
        if problem["type"] != "value_error":
            raise
        raise PydanticCustomError("value_error", _QUOTED.sub("", problem["msg"])) from None
    return address


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_a_readable_name),
]
Email = Annotated[EmailStr, Field(max_length=254), WrapValidator(_refused_without_what_was_typed)]
CONSENT = (
    "Whether the member agreed to have their name (and e-mail) kept and shown to the network. "
    "Without it, no name is taken."
)


class MemberIn(Strict):
    """Someone joining the network: a school and a role; a name only with their consent."""

    school_id: Slug = Field(description="A registered school.")
    role: NetworkRole
    name: Name | None = None
    email: Email | None = Field(default=None, description="Only with a name.")
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

    name: Name
    email: Email | None = None
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
