"""Who is signed in to the page, and whether a form really comes from it (decision 0027).

The session cookie is HttpOnly, SameSite=Lax (a form on another site is sent without it), Secure
when the page is served over https, and sent to ``/me`` only (:class:`tvers_runtime.pages.site.
PageSite`). Every form also carries the session's own token, compared in constant time; and a
request the browser marks as coming from another site (``Sec-Fetch-Site``) is refused before
anything else (:mod:`tvers_runtime.pages.forms`). A refused form changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from tvers_runtime.pages.forms import PostedForm, checked_form, new_form_key, read_form
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.rendering import SITE, PageProblem
from tvers_volunteers.sign_in_cases import PageSession, SignInCases

SESSION_COOKIE = SITE.session_cookie
keep_session = SITE.keep_session
drop_session = SITE.drop_session


def sign_in_cases(request: Request) -> SignInCases:
    """The sign-in use cases, as wired by the bootstrap."""
    cases: SignInCases = request.app.state.sign_in
    return cases


async def current_session(request: Request) -> PageSession | None:
    """The open session of the request's cookie, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    return await sign_in_cases(request).session(cookie)


async def signed_in(request: Request) -> PageSession:
    """The volunteer's session; a 401 page without one."""
    session = await current_session(request)
    if session is None:
        raise PageProblem(
            status.HTTP_401_UNAUTHORIZED, texts.OPEN_YOUR_LINK, title=texts.NOT_SIGNED_IN
        )
    return session


SignedIn = Annotated[PageSession, Depends(signed_in)]


async def posted_form(request: Request, session: SignedIn) -> PostedForm:
    """A form of the signed-in volunteer's page: it must carry the session's form token (a 403
    page otherwise, and nothing done)."""
    return await checked_form(request, session.form_token)


PostedFrom = Annotated[PostedForm, Depends(posted_form)]

__all__ = [
    "SESSION_COOKIE",
    "PostedForm",
    "PostedFrom",
    "SignedIn",
    "drop_session",
    "keep_session",
    "new_form_key",
    "read_form",
    "sign_in_cases",
]
