"""Signing in to the school page with an access code (token) pasted once, and out (decision
0035).

The code must be a valid token for this service, of a teacher or a school librarian, bound to a
school. It is checked and then forgotten: the session it opens is kept on the server, and the
browser holds only a random cookie that refers to it (no token for the JSON API). A refused code
is said in words on the sign-in page again (401 not valid, 403 another role or no school), and
no cookie is set.
"""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tvers_runtime.auth import InvalidToken
from tvers_runtime.pages.forms import read_form
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import RoleNotAdmitted
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.session import PostedFrom, page_sessions
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router

SIGN_IN_PATH = f"{PAGE}/sign-in"
#: Longer than any token we issue; a longer one is not ours, and is not looked at.
_LONGEST_TOKEN = 4096


def sign_in_form(
    request: Request, *, problem: Words | None = None, status_code: int = status.HTTP_200_OK
) -> HTMLResponse:
    """The sign-in page, saying why signing in did not work if it did not."""
    return SITE.render(request, "sign_in.html", {"problem": problem}, status_code=status_code)


def _refused(request: Request, message: str, status_code: int) -> HTMLResponse:
    return sign_in_form(request, problem=Words(message), status_code=status_code)


@router.get(SIGN_IN_PATH)
async def sign_in_page(request: Request) -> Response:
    """The form to paste the access code into."""
    return sign_in_form(request)


@router.post(SIGN_IN_PATH)
async def sign_in(request: Request) -> Response:
    """Check the access code, open a session for its holder and go to the school's page."""
    token = (await read_form(request)).get("token", "").strip()
    sessions = page_sessions(request)
    if not token or len(token) > _LONGEST_TOKEN:
        return _refused(request, texts.TOKEN_INVALID, status.HTTP_401_UNAUTHORIZED)
    try:
        principal, token_left = sessions.verify(token)
    except InvalidToken:
        return _refused(request, texts.TOKEN_INVALID, status.HTTP_401_UNAUTHORIZED)
    except RoleNotAdmitted:
        return _refused(request, texts.TOKEN_OF_ANOTHER_ROLE, status.HTTP_403_FORBIDDEN)
    if principal.school_id is None:
        return _refused(request, texts.TOKEN_WITHOUT_SCHOOL, status.HTTP_403_FORBIDDEN)
    earlier = request.cookies.get(SITE.session_cookie)
    if earlier:  # whoever was signed in on this browser before is signed out
        await sessions.sign_out(earlier)
    opened = await sessions.open(principal, token_left)
    response = RedirectResponse(PAGE, status.HTTP_303_SEE_OTHER)
    SITE.keep_session(response, request, opened)
    return response


@router.post(f"{PAGE}/sign-out")
async def sign_out(request: Request, form: PostedFrom) -> Response:
    """End the session on this browser."""
    del form  # checked: the form came from the signed-in page
    await page_sessions(request).sign_out(request.cookies.get(SITE.session_cookie, ""))
    response = SITE.notice(
        request, texts.SIGNED_OUT, Words(texts.SIGNED_OUT_TEXT), link=texts.TO_SIGN_IN
    )
    SITE.drop_session(response, request)
    return response
