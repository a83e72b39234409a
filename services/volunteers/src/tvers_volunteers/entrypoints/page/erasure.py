"""A volunteer erases themself: a page that says what erasure does, a box to tick, and a button.
Then their data key is destroyed (decision 0020), every session and link of theirs ends, and the
page says goodbye. Their shifts and hours stay, under an id that leads to no one."""

from __future__ import annotations

from fastapi import Request, Response, status

from tvers_runtime.http.commands import command_context
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.refusals import Words
from tvers_volunteers.entrypoints.page.rendering import PAGE, notice, render
from tvers_volunteers.entrypoints.page.router import router
from tvers_volunteers.entrypoints.page.routes import standing_of
from tvers_volunteers.entrypoints.page.session import (
    PostedFrom,
    SignedIn,
    drop_session,
    new_form_key,
    sign_in_cases,
)
from tvers_volunteers.registration import Registration

ERASE_PATH = f"{PAGE}/erase"


def _confirmation(
    request: Request, form_token: str, *, problem: Words | None = None, status_code: int = 200
) -> Response:
    return render(
        request,
        "erase.html",
        {"form_token": form_token, "form_key": new_form_key(), "problem": problem},
        status_code=status_code,
    )


@router.get(ERASE_PATH)
async def confirm_erasure(request: Request, session: SignedIn) -> Response:
    """What erasure does, and the form that asks for it."""
    await standing_of(request, session)
    return _confirmation(request, session.form_token)


@router.post(ERASE_PATH)
async def erase(request: Request, session: SignedIn, form: PostedFrom) -> Response:
    """Erase the volunteer's personal data, once they ticked the box."""
    await standing_of(request, session)
    if form.get("confirm") != "yes":
        return _confirmation(
            request,
            session.form_token,
            problem=Words(texts.TICK_TO_ERASE),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    people: Registration = request.app.state.registration
    context = await command_context(request, session.principal(), form.idempotency_key)
    await people.erase(context, volunteer_id=session.volunteer_id)
    await sign_in_cases(request).forget_volunteer(session.volunteer_id)
    response = notice(request, texts.ERASED, Words(texts.ERASED_TEXT))
    drop_session(response, request)
    return response
