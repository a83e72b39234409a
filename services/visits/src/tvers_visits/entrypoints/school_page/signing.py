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
from fastapi.responses import HTMLResponse

from tvers_runtime.auth import Principal
from tvers_runtime.pages import token_sign_in
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.token_sign_in import SignInWords, sign_in_with_token
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.session import PostedFrom
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router

SIGN_IN_PATH = f"{PAGE}/sign-in"
WORDS = SignInWords(invalid=texts.TOKEN_INVALID, of_another_role=texts.TOKEN_OF_ANOTHER_ROLE)


def sign_in_form(
    request: Request, *, problem: Words | None = None, status_code: int = status.HTTP_200_OK
) -> HTMLResponse:
    """The sign-in page, saying why signing in did not work if it did not."""
    return SITE.render(request, "sign_in.html", {"problem": problem}, status_code=status_code)


def _refused(request: Request, problem: Words, status_code: int) -> HTMLResponse:
    return sign_in_form(request, problem=problem, status_code=status_code)


def _bound_to_a_school(principal: Principal) -> str | None:
    return texts.TOKEN_WITHOUT_SCHOOL if principal.school_id is None else None


@router.get(SIGN_IN_PATH)
async def sign_in_page(request: Request) -> Response:
    """The form to paste the access code into."""
    return sign_in_form(request)


@router.post(SIGN_IN_PATH)
async def sign_in(request: Request) -> Response:
    """Check the access code, open a session for its holder and go to the school's page."""
    return await sign_in_with_token(
        request,
        SITE,
        words=WORDS,
        refused=_refused,
        go_to=PAGE,
        admit=_bound_to_a_school,
    )


@router.post(f"{PAGE}/sign-out")
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
