"""Signing in to the dashboard with an access code (a viewer's or staff token) pasted once, and
out.

The code is checked and forgotten: the session it opens is kept on the server, and the browser
holds only a random cookie (HttpOnly, SameSite=Lax) that refers to it. ``tvers demo`` prints a
link ``/sign-in#token=...``: the code rides in the address's fragment, which a browser never
sends, and the page's script puts it in the form and sends it (without a script, paste it).
"""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.session import PostedFrom, page_sessions
from tvers_reporting.entrypoints.dashboard.site import SITE, router
from tvers_runtime.auth import InvalidToken
from tvers_runtime.pages.forms import read_form
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import RoleNotAdmitted

SIGN_IN_PATH = "/sign-in"
#: Longer than any token we issue; a longer one is not ours, and is not looked at.
_LONGEST_TOKEN = 4096


def sign_in_form(
    request: Request, *, problem: Words | None = None, status_code: int = status.HTTP_200_OK
) -> HTMLResponse:
    """The sign-in page, saying why signing in did not work if it did not."""
    return SITE.render(request, "sign_in.html", {"problem": problem}, status_code=status_code)


@router.get(SIGN_IN_PATH)
async def sign_in_page(request: Request) -> Response:
    """The form to paste the access code into."""
    return sign_in_form(request)


@router.post(SIGN_IN_PATH)
async def sign_in(request: Request) -> Response:
    """Check the access code, open a session for its holder and go to the dashboard."""
    token = (await read_form(request)).get("token", "").strip()
    sessions = page_sessions(request)
    problem: tuple[str, int] | None = None
    if not token or len(token) > _LONGEST_TOKEN:
        problem = (texts.TOKEN_INVALID, status.HTTP_401_UNAUTHORIZED)
    else:
        try:
            principal, token_left = sessions.verify(token)
        except InvalidToken:
            problem = (texts.TOKEN_INVALID, status.HTTP_401_UNAUTHORIZED)
        except RoleNotAdmitted:
            problem = (texts.TOKEN_OF_ANOTHER_ROLE, status.HTTP_403_FORBIDDEN)
    if problem is not None:
        message, status_code = problem
        return sign_in_form(request, problem=Words(message), status_code=status_code)
    earlier = request.cookies.get(SITE.session_cookie)
    if earlier:  # whoever was signed in on this browser before is signed out
        await sessions.sign_out(earlier)
    opened = await sessions.open(principal, token_left)
    response = RedirectResponse(SITE.root, status.HTTP_303_SEE_OTHER)
    SITE.keep_session(response, request, opened)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, form: PostedFrom) -> Response:
    """End the session on this browser."""
    del form  # checked: the form came from the signed-in page
    await page_sessions(request).sign_out(request.cookies.get(SITE.session_cookie, ""))
    response = SITE.notice(
        request, texts.SIGNED_OUT, Words(texts.SIGNED_OUT_TEXT), link=texts.TO_SIGN_IN
    )
    SITE.drop_session(response, request)
    return response
