"""Signing in to the desk page with an access code (a desk's token, which names its site, or
staff's) pasted once, and out (decision 0035's sessions). The code is checked and forgotten: the
browser holds only a random cookie for a session kept on the server. A refused code is said in
words on the sign-in page again (401 not valid, 403 another role), and no cookie is set."""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.recent import forget
from tvers_desk.entrypoints.desk_page.session import PostedFrom, page_sessions
from tvers_desk.entrypoints.desk_page.site import PAGE, SITE, router
from tvers_runtime.auth import InvalidToken
from tvers_runtime.pages.forms import read_form
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import RoleNotAdmitted

SIGN_IN_PATH = f"{PAGE}/sign-in"
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
    """Check the access code, open a session for its holder and go to the desk page."""
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
    response = RedirectResponse(PAGE, status.HTTP_303_SEE_OTHER)
    SITE.keep_session(response, request, opened)
    forget(response, request)
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
    forget(response, request)
    return response
