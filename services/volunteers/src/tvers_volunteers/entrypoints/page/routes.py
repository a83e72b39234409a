"""The volunteer's page and what its forms do: claim (or wait for) a shift, give it up, leave a
waitlist, check in and out, issue a certificate and fetch its PDF. Each form answers with a
redirect back to the page and a word of what was done, or with the page again, in the status
the JSON API would give, saying in words what was refused (nothing is stored then)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Path, Request, Response, status
from fastapi.responses import RedirectResponse

from tvers_contracts.events.volunteers import CertificateLocale
from tvers_runtime.application import CommandContext
from tvers_runtime.domain import DomainError
from tvers_runtime.http.commands import command_context
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.certificate_cases import CertificateCases
from tvers_volunteers.domain.volunteer import Standing, Volunteer
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.home import home_context
from tvers_volunteers.entrypoints.page.refusals import Words, words_for
from tvers_volunteers.entrypoints.page.rendering import (
    PAGE,
    PAGE_HEADERS,
    PageProblem,
    locale_of,
    refusal_status,
    render,
)
from tvers_volunteers.entrypoints.page.router import router
from tvers_volunteers.entrypoints.page.session import PostedFrom, SignedIn, sign_in_cases
from tvers_volunteers.registration import Registration
from tvers_volunteers.sign_in_cases import PageSession

Number = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: An action on a shift: what it did, as a code of :data:`.texts.DONE`.
Act = Callable[[VolunteersApplication, CommandContext, UUID, UUID], Awaitable[str]]


async def standing_of(request: Request, session: PageSession) -> Volunteer:
    """The signed-in volunteer's standing; once their data is erased, their sessions end and
    the page says so."""
    people: Registration = request.app.state.registration
    volunteer = await people.volunteer(session.volunteer_id, tenant=session.tenant)
    if volunteer.standing is Standing.ERASED:
        await sign_in_cases(request).forget_volunteer(session.volunteer_id)
        raise PageProblem(status.HTTP_401_UNAUTHORIZED, texts.ERASED_TEXT, title=texts.ERASED)
    return volunteer


async def page_again(
    request: Request, session: PageSession, volunteer: Volunteer, words: Words, status_code: int
) -> Response:
    """The page again, saying what was refused."""
    context = await home_context(request, session, volunteer, problem=words)
    return render(request, "home.html", context, status_code=status_code)


@router.get(PAGE)
async def my_page(request: Request, session: SignedIn) -> Response:
    """The volunteer's own page."""
    volunteer = await standing_of(request, session)
    return render(request, "home.html", await home_context(request, session, volunteer))


async def _on_shift(
    request: Request, session: PageSession, form: PostedFrom, shift_id: UUID, act: Act
) -> Response:
    volunteer = await standing_of(request, session)
    context = await command_context(request, session.principal(), form.idempotency_key)
    try:
        done = await act(request.app.state.volunteers, context, shift_id, session.volunteer_id)
    except DomainError as error:
        words = words_for(error, locale_of(request))
        return await page_again(request, session, volunteer, words, refusal_status(error))
    return RedirectResponse(f"{PAGE}?done={done}#mine", status.HTTP_303_SEE_OTHER)


async def _claim(app: VolunteersApplication, c: CommandContext, shift: UUID, me: UUID) -> str:
    claimed = await app.claim_shift(c, shift_id=shift, volunteer_id=me, or_wait=True)
    return "claimed" if claimed.waiting_at is None else "waiting"


async def _release(app: VolunteersApplication, c: CommandContext, shift: UUID, me: UUID) -> str:
    await app.release_place(c, shift_id=shift, volunteer_id=me)
    return "released"


async def _leave(app: VolunteersApplication, c: CommandContext, shift: UUID, me: UUID) -> str:
    await app.leave_waitlist(c, shift_id=shift, volunteer_id=me)
    return "left_waitlist"


async def _check_in(app: VolunteersApplication, c: CommandContext, shift: UUID, me: UUID) -> str:
    await app.check_in(c, shift_id=shift, volunteer_id=me)
    return "checked_in"


async def _check_out(app: VolunteersApplication, c: CommandContext, shift: UUID, me: UUID) -> str:
    await app.check_out(c, shift_id=shift, volunteer_id=me)
    return "checked_out"


@router.post(f"{PAGE}/shifts/{{shift_id}}/claim")
async def claim(request: Request, session: SignedIn, form: PostedFrom, shift_id: UUID) -> Response:
    """Take a place on the shift, or join its waitlist when it is full."""
    return await _on_shift(request, session, form, shift_id, _claim)


@router.post(f"{PAGE}/shifts/{{shift_id}}/release")
async def release(
    request: Request, session: SignedIn, form: PostedFrom, shift_id: UUID
) -> Response:
    """Give up a place before the shift starts."""
    return await _on_shift(request, session, form, shift_id, _release)


@router.post(f"{PAGE}/shifts/{{shift_id}}/leave-waitlist")
async def leave_waitlist(
    request: Request, session: SignedIn, form: PostedFrom, shift_id: UUID
) -> Response:
    """Stop waiting for a place."""
    return await _on_shift(request, session, form, shift_id, _leave)


@router.post(f"{PAGE}/shifts/{{shift_id}}/check-in")
async def check_in(
    request: Request, session: SignedIn, form: PostedFrom, shift_id: UUID
) -> Response:
    """Check in on a shift one holds."""
    return await _on_shift(request, session, form, shift_id, _check_in)


@router.post(f"{PAGE}/shifts/{{shift_id}}/check-out")
async def check_out(
    request: Request, session: SignedIn, form: PostedFrom, shift_id: UUID
) -> Response:
    """Check out."""
    return await _on_shift(request, session, form, shift_id, _check_out)


@router.post(f"{PAGE}/certificates")
async def issue_certificate(request: Request, session: SignedIn, form: PostedFrom) -> Response:
    """Issue a certificate of the hours served in the chosen period, in the page's language."""
    volunteer = await standing_of(request, session)
    try:
        first = date.fromisoformat(form.get("period_from"))
        last = date.fromisoformat(form.get("period_to"))
    except ValueError:
        words = Words(texts.DATES_AS)
        return await page_again(
            request, session, volunteer, words, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    cases: CertificateCases = request.app.state.certificates
    context = await command_context(request, session.principal(), form.idempotency_key)
    try:
        await cases.issue(
            context,
            volunteer_id=session.volunteer_id,
            first=first,
            last=last,
            locale=CertificateLocale(locale_of(request).value),
            issued_by=None,
        )
    except DomainError as error:
        words = words_for(error, locale_of(request))
        return await page_again(request, session, volunteer, words, refusal_status(error))
    return RedirectResponse(f"{PAGE}?done=certificate#certificates", status.HTTP_303_SEE_OTHER)


@router.get(f"{PAGE}/certificates/{{number}}/pdf")
async def certificate_pdf(request: Request, session: SignedIn, number: Number) -> Response:
    """One of the volunteer's own certificates, as a PDF."""
    await standing_of(request, session)
    cases: CertificateCases = request.app.state.certificates
    pdf = await cases.pdf(
        session.tenant, session.volunteer_id, number, reader=session.principal().subject
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            **PAGE_HEADERS,
            "Content-Disposition": f'inline; filename="attest-{number}.pdf"',
        },
    )
