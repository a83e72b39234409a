"""Signing in to the desk page with an access code (a desk's token, which names its site, or
staff's) pasted once, and out (decision 0035's sessions). The code is checked and forgotten: the
browser holds only a random cookie for a session kept on the server. A refused code is said in
words on the sign-in page again (401 not valid, 403 another role), and no cookie is set."""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import HTMLResponse

from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.recent import forget
from tvers_desk.entrypoints.desk_page.session import PostedFrom
from tvers_desk.entrypoints.desk_page.site import PAGE, SITE, router
from tvers_runtime.pages import token_sign_in
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.token_sign_in import SignInWords, sign_in_with_token

SIGN_IN_PATH = f"{PAGE}/sign-in"
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
    """Check the access code, open a session for its holder and go to the desk page."""
    response = await sign_in_with_token(request, SITE, words=WORDS, refused=_refused, go_to=PAGE)
    if response.status_code == status.HTTP_303_SEE_OTHER:
        forget(response, request)
    return response


@router.post(f"{PAGE}/sign-out")
async def sign_out(request: Request, form: PostedFrom) -> Response:
    """End the session on this browser."""
    del form  # checked: the form came from the signed-in page
    response = await token_sign_in.sign_out(
        request,
        SITE,
        title=texts.SIGNED_OUT,
        text=texts.SIGNED_OUT_TEXT,
        link=texts.TO_SIGN_IN,
    )
    forget(response, request)
    return response
