"""Signing in with a personal link, and out (decision 0027).

Opening the link (``/me/sign-in?token=...``) shows a page with one button; only pressing it
uses the link up. So a mail scanner or a link preview that fetches the address does not spend
the volunteer's link, and the cookie is set in answer to a form of our own. The code travels as
the ``token`` parameter, which the service's logs redact.
"""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse

from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.refusals import Words
from tvers_volunteers.entrypoints.page.rendering import (
    PAGE,
    PageProblem,
    notice,
    render,
)
from tvers_volunteers.entrypoints.page.router import router
from tvers_volunteers.entrypoints.page.session import (
    SESSION_COOKIE,
    PostedFrom,
    drop_session,
    keep_session,
    read_form,
    sign_in_cases,
)

SIGN_IN_PATH = f"{PAGE}/sign-in"
#: Longer than any code we make; a longer one is not ours, and is not looked up.
_LONGEST_CODE = 100


def _unusable() -> PageProblem:
    return PageProblem(status.HTTP_410_GONE, texts.LINK_USED_OR_OLD, title=texts.LINK_UNUSABLE)


@router.get(SIGN_IN_PATH)
async def sign_in_page(request: Request, token: str = "") -> Response:
    """The page a sign-in link opens: a button that signs in (the link is not used up yet)."""
    if not token or len(token) > _LONGEST_CODE:
        raise _unusable()
    if not await sign_in_cases(request).link_is_usable(token):
        raise _unusable()
    return render(request, "sign_in.html", {"token": token})


@router.post(SIGN_IN_PATH)
async def sign_in(request: Request) -> Response:
    """Use the link up, open a session for its volunteer and go to their page."""
    token = (await read_form(request)).get("token", "")
    if not token or len(token) > _LONGEST_CODE:
        raise _unusable()
    cases = sign_in_cases(request)
    opened = await cases.redeem(token)
    if opened is None:
        raise _unusable()
    earlier = request.cookies.get(SESSION_COOKIE)
    if earlier:  # whoever was signed in on this browser before is signed out
        await cases.sign_out(earlier)
    response = RedirectResponse(PAGE, status.HTTP_303_SEE_OTHER)
    keep_session(response, request, opened)
    return response


@router.post(f"{PAGE}/sign-out")
async def sign_out(request: Request, form: PostedFrom) -> Response:
    """End the session on this browser."""
    del form  # checked: the form came from the signed-in page
    await sign_in_cases(request).sign_out(request.cookies.get(SESSION_COOKIE, ""))
    response = notice(request, texts.SIGNED_OUT, Words(texts.SIGNED_OUT_TEXT))
    drop_session(response, request)
    return response
