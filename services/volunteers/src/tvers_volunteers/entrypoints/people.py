"""HTTP routes for volunteers as people: registration, their personal data, erasure.

``staff`` may do everything; a ``volunteer`` token is bound to one volunteer id and may read and
erase only that volunteer's data (403 otherwise). Personal data goes into the vault and comes out
of it here, and nowhere else: no event, no log line.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
)

from tvers_contracts.events.volunteers import RecruitmentChannel
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.personal import EmailAddress, PersonName
from tvers_runtime.http.security import allow
from tvers_volunteers.domain.person import PersonalData
from tvers_volunteers.domain.volunteer import Standing, Volunteer
from tvers_volunteers.entrypoints.dependencies import reader_of
from tvers_volunteers.registration import Registration

router = APIRouter(tags=["volunteers"], route_class=JsonBodyRoute)

Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ]{5,18}[0-9]$"),
]


class RegistrationIn(Strict):
    """What a volunteer registers with. Name, contact and birth year go to the vault only; the
    events see the age band, the channel, the campaign and whether they are a vgs student."""

    name: PersonName
    email: EmailAddress
    phone: Phone | None = Field(default=None, description="Digits, spaces and a leading +.")
    birth_year: int = Field(ge=1900, le=2100, description="At least 15 this year.")
    vgs_student: bool = Field(description="An upper-secondary (vidaregåande) student.")
    channel: RecruitmentChannel | None = Field(
        default=None,
        description="How they came to us; with a campaign, the campaign's (or left out).",
    )
    campaign_id: UUID | None = Field(
        default=None, description="The recruitment campaign that brought them, if one did."
    )


class VolunteerOut(BaseModel):
    """A volunteer's standing: no personal data."""

    volunteer_id: UUID
    standing: Standing
    vgs_student: bool
    eligible_to_host: bool
    missing_for_hosting: list[str] = Field(description="What keeps them from hosting.")


class PersonalDataOut(BaseModel):
    """A volunteer's personal data, from the vault."""

    volunteer_id: UUID
    name: str
    email: str
    phone: str | None
    birth_year: int


async def registration(request: Request) -> Registration:
    """The use cases, as wired by the bootstrap."""
    cases: Registration = request.app.state.registration
    return cases


Cases = Annotated[Registration, Depends(registration)]
StaffOrVolunteer = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))]


def may_act_for(who: Principal, volunteer_id: UUID) -> None:
    """Staff act for anyone; a volunteer only for the volunteer their token is bound to."""
    if who.role is Role.VOLUNTEER and who.volunteer_id != volunteer_id:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "forbidden",
            "a volunteer token may act only for the volunteer it is bound to",
        )


def volunteer_out(state: Volunteer) -> VolunteerOut:
    assert state.volunteer_id is not None
    return VolunteerOut(
        volunteer_id=state.volunteer_id,
        standing=state.standing,
        vgs_student=state.vgs_student,
        eligible_to_host=state.eligible_to_host,
        missing_for_hosting=state.missing_for_hosting(),
    )


@router.post("/volunteers", status_code=status.HTTP_201_CREATED)
async def register_volunteer(
    body: RegistrationIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF))],
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Register a volunteer. Their name, contact and birth year are kept in the vault,
    encrypted for them alone."""
    volunteer_id = await cases.register(
        await command_context(request, who, idempotency_key),
        person=PersonalData(
            name=body.name, email=body.email, phone=body.phone, birth_year=body.birth_year
        ),
        vgs_student=body.vgs_student,
        channel=body.channel,
        campaign_id=body.campaign_id,
    )
    return volunteer_out(await cases.volunteer(volunteer_id, tenant=who.tenant))


@router.get("/volunteers/{volunteer_id}")
async def get_volunteer(volunteer_id: UUID, who: StaffOrVolunteer, cases: Cases) -> VolunteerOut:
    """A volunteer's standing (no personal data)."""
    may_act_for(who, volunteer_id)
    return volunteer_out(await cases.volunteer(volunteer_id, tenant=who.tenant))


@router.get("/volunteers/{volunteer_id}/personal-data")
async def get_personal_data(
    volunteer_id: UUID, who: StaffOrVolunteer, cases: Cases
) -> PersonalDataOut:
    """A volunteer's name, contact and birth year; 404 ``erased`` once erased."""
    may_act_for(who, volunteer_id)
    person = await cases.personal_data(volunteer_id, tenant=who.tenant, reader=reader_of(who))
    return PersonalDataOut(
        volunteer_id=volunteer_id,
        name=person.name,
        email=person.email,
        phone=person.phone,
        birth_year=person.birth_year,
    )


@router.post("/volunteers/{volunteer_id}/erase")
async def erase_volunteer(
    volunteer_id: UUID,
    request: Request,
    who: StaffOrVolunteer,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerOut:
    """Erase a volunteer's personal data for good (staff, or the volunteer themself). Their
    shifts and hours stay, under an id that leads to no one."""
    may_act_for(who, volunteer_id)
    await cases.erase(
        await command_context(request, who, idempotency_key), volunteer_id=volunteer_id
    )
    return volunteer_out(await cases.volunteer(volunteer_id, tenant=who.tenant))
