"""HTTP routes of certificates (*attest*): issued by staff or by the volunteer themself for a
period, listed, and printed as a PDF on request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response, status
from pydantic import BaseModel, Field

from tvers_contracts.events.volunteers import CertificateLocale
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_volunteers.certificate_cases import CertificateCases, IssuedCertificate
from tvers_volunteers.entrypoints.dependencies import reader_of, staff_ref
from tvers_volunteers.entrypoints.people import may_act_for

router = APIRouter(tags=["certificates"], route_class=JsonBodyRoute)
StaffOrVolunteer = Annotated[Principal, Depends(allow(Role.STAFF, Role.VOLUNTEER))]
Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="The certificate's number.")]


async def certificate_cases(request: Request) -> CertificateCases:
    """The use cases, as wired by the bootstrap."""
    cases: CertificateCases = request.app.state.certificates
    return cases


Cases = Annotated[CertificateCases, Depends(certificate_cases)]


class CertificateIn(Strict):
    period_from: date = Field(description="The first day of the period (Europe/Oslo).")
    period_to: date = Field(description="The last day of the period; not after today.")
    locale: CertificateLocale = CertificateLocale.NN


class CertificateOut(BaseModel):
    number: int = Field(description="Its number among the volunteer's certificates.")
    volunteer_id: UUID
    period_from: date
    period_to: date
    minutes_served: int
    branches: list[str]
    locale: CertificateLocale
    issued_at: datetime
    issued_by_staff: bool
    pdf: str = Field(description="Where to fetch the PDF.")


def certificate_out(issued: IssuedCertificate) -> CertificateOut:
    event = issued.event
    return CertificateOut(
        number=issued.number,
        volunteer_id=event.volunteer_id,
        period_from=event.period_from,
        period_to=event.period_to,
        minutes_served=event.minutes_served,
        branches=list(event.branches),
        locale=event.locale,
        issued_at=issued.issued_at,
        issued_by_staff=event.issued_by is not None,
        pdf=f"/volunteers/{event.volunteer_id}/certificates/{issued.number}/pdf",
    )


@router.post("/volunteers/{volunteer_id}/certificates", status_code=status.HTTP_201_CREATED)
async def issue_certificate(
    volunteer_id: UUID,
    body: CertificateIn,
    request: Request,
    who: StaffOrVolunteer,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> CertificateOut:
    """Issue a certificate of the time served in a period (409 when there is none)."""
    may_act_for(who, volunteer_id)
    issued = await cases.issue(
        await command_context(request, who, idempotency_key),
        volunteer_id=volunteer_id,
        first=body.period_from,
        last=body.period_to,
        locale=body.locale,
        issued_by=staff_ref(who) if who.role is Role.STAFF else None,
    )
    return certificate_out(issued)


@router.get("/volunteers/{volunteer_id}/certificates")
async def list_certificates(
    volunteer_id: UUID, who: StaffOrVolunteer, cases: Cases
) -> list[CertificateOut]:
    """The volunteer's certificates, oldest first."""
    may_act_for(who, volunteer_id)
    return [certificate_out(c) for c in await cases.all_issued(who.tenant, volunteer_id)]


@router.get(
    "/volunteers/{volunteer_id}/certificates/{number}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The certificate."}},
)
async def certificate_pdf(
    volunteer_id: UUID, number: Number, who: StaffOrVolunteer, cases: Cases
) -> Response:
    """The certificate as a PDF, in the language it was issued in (404 once the volunteer's
    data is erased)."""
    may_act_for(who, volunteer_id)
    pdf = await cases.pdf(who.tenant, volunteer_id, number, reader=reader_of(who))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="attest-{number}.pdf"'},
    )
