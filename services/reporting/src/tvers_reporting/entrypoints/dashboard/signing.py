"""Signing in to the dashboard with an access code (a viewer's or staff token) pasted once, and
out.

The code is checked and forgotten: the session it opens is kept on the server, and the browser
holds only a random cookie (HttpOnly, SameSite=Lax) that refers to it. ``tvers demo`` prints a
link ``/sign-in#token=...``: the code rides in the address's fragment, which a browser never
sends, and the page's script puts it in the form and sends it (without a script, paste it).
"""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.session import PostedFrom
from tvers_reporting.entrypoints.dashboard.site import SITE, router
from tvers_runtime.pages import token_sign_in
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.token_sign_in import SignInWords, sign_in_with_token

SIGN_IN_PATH = "/sign-in"
WORDS = SignInWords(invalid=texts.TOKEN_INVALID, of_another_role=texts.TOKEN_OF_ANOTHER_ROLE)


def sign_in_form(
    request: Request, *, problem: Words | None = None, status_code: int = status.HTTP_200_OK
) -> HTMLResponse:
    """The sign-in page, saying why signing in did not work if it did not."""
    return SITE.render(request, "sign_in.html", {"problem": problem}, status_code=status_code)


def _refused(request: Request, problem: Words, status_code: int) -> HTMLResponse:
    return sign_in_form(request, problem=problem, status_code=status_code)


@router.get(SIGN_IN_PATH)
async def sign_in_page(request: Request) -> Response:
    """The form to paste the access code into."""
    return sign_in_form(request)


@router.post(SIGN_IN_PATH)
async def sign_in(request: Request) -> Response:
    """Check the access code, open a session for its holder and go to the dashboard."""
    return await sign_in_with_token(request, SITE, words=WORDS, refused=_refused, go_to=SITE.root)


@router.post("/sign-out")
async def sign_out(request: Request, form: PostedFrom) -> Response:
    """End the session on this browser."""
    del form  # checked: the form came from the signed-in page
    return await token_sign_in.sign_out(
        request,
        SITE,
        title=texts.SIGNED_OUT,
        text=texts.SIGNED_OUT_TEXT,
        link=texts.TO_SIGN_IN,
    )
