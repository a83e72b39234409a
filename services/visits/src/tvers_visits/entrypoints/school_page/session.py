"""Who is signed in to the school page, and whether a form really comes from it (decision 0035).

A teacher or school librarian signs in once with the access code (token) they were given; the
session (:class:`tvers_runtime.pages.sessions.TokenSessions`) acts as the token's holder, for
the token's one school. Every form carries the session's form token (a 403 page otherwise, and
nothing done).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from tvers_runtime.pages.forms import PostedForm, checked_form
from tvers_runtime.pages.problems import PageProblem
from tvers_runtime.pages.sessions import PageSession, TokenSessions
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.site import SITE


def page_sessions(request: Request) -> TokenSessions:
    """The page's sessions, as wired by the bootstrap."""
    sessions: TokenSessions = request.app.state.page_sessions
    return sessions


async def current_session(request: Request) -> PageSession | None:
    """The open session of the request's cookie, if any."""
    cookie = request.cookies.get(SITE.session_cookie)
    if not cookie:
        return None
    return await page_sessions(request).session(cookie)


async def signed_in(request: Request) -> PageSession:
    """The signed-in teacher's or school librarian's session; a 401 page without one."""
    session = await current_session(request)
    if session is None:
        raise PageProblem(
            status.HTTP_401_UNAUTHORIZED, texts.SIGN_IN_FIRST, title=texts.NOT_SIGNED_IN
        )
    return session


SignedIn = Annotated[PageSession, Depends(signed_in)]


async def posted_form(request: Request, session: SignedIn) -> PostedForm:
    """A form of the signed-in page: it must carry the session's form token."""
    return await checked_form(request, session.form_token)


PostedFrom = Annotated[PostedForm, Depends(posted_form)]
