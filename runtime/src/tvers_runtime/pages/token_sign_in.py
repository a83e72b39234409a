"""Signing in to a page with an access code (a token) pasted once, and out (decision 0035).

The code is checked and forgotten: the session it opens is kept on the server, and the browser
holds only a random cookie that refers to it. A refused code is said in words on the sign-in page
again (401 not valid, 403 another role), and no cookie is set. The dashboard, the desk page and
the school page sign in this way; each says it in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tvers_runtime.auth import InvalidToken, Principal, Role
from tvers_runtime.clock import Clock
from tvers_runtime.pages.forms import read_form
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.session_store import PostgresPageSessions
from tvers_runtime.pages.sessions import PageSession, RoleNotAdmitted, TokenSessions
from tvers_runtime.pages.signed_in import SignedInPages
from tvers_runtime.pages.site import PageSite

if TYPE_CHECKING:
    from tvers_runtime.service import Infrastructure

#: Longer than any token we issue; a longer one is not ours, and is not looked at.
LONGEST_TOKEN = 4096
#: Where the app keeps its pages' sessions (``app.state``).
KEPT_AT = "page_sessions"

#: The sign-in page again, saying why not (the words, the status code).
SignInForm = Callable[[Request, Words, int], HTMLResponse]
#: A page's own refusal of a principal the sessions admit (its words), or None to let it in.
Admit = Callable[[Principal], str | None]


def wire_token_sessions(
    infrastructure: Infrastructure,
    app: FastAPI,
    *,
    audience: str,
    roles: frozenset[Role],
    clock: Clock,
) -> None:
    """The pages' sessions, on the service's database and signing key: tokens for
    ``audience`` of ``roles`` sign in."""
    sessions = TokenSessions(
        PostgresPageSessions(infrastructure.pool),
        infrastructure.tokens,
        audience=audience,
        roles=roles,
        clock=clock,
    )
    setattr(app.state, KEPT_AT, sessions)


def token_sessions(request: Request) -> TokenSessions:
    """The pages' sessions, as wired."""
    sessions: TokenSessions = getattr(request.app.state, KEPT_AT)
    return sessions


def token_pages(site: PageSite, *, not_signed_in: tuple[str, str]) -> SignedInPages[PageSession]:
    """The signed-in dependencies of a site's pages (``not_signed_in``: the 401 page's title
    and text)."""
    return SignedInPages[PageSession](
        cookie=site.session_cookie,
        kept_at=KEPT_AT,
        form_token=lambda session: session.form_token,
        not_signed_in=not_signed_in,
    )


@dataclass(frozen=True)
class SignInWords:
    """What a page says of a refused access code (messages of its own catalog)."""

    invalid: str
    of_another_role: str


async def sign_in_with_token(
    request: Request,
    site: PageSite,
    *,
    words: SignInWords,
    refused: SignInForm,
    go_to: str,
    admit: Admit | None = None,
) -> Response:
    """Check the posted access code, sign out whoever was signed in on this browser, open a
    session for the code's holder and go to ``go_to``; or the sign-in form saying why not."""
    token = (await read_form(request)).get("token", "").strip()
    sessions = token_sessions(request)
    if not token or len(token) > LONGEST_TOKEN:
        return refused(request, Words(words.invalid), status.HTTP_401_UNAUTHORIZED)
    try:
        principal, token_left = sessions.verify(token)
    except InvalidToken:
        return refused(request, Words(words.invalid), status.HTTP_401_UNAUTHORIZED)
    except RoleNotAdmitted:
        return refused(request, Words(words.of_another_role), status.HTTP_403_FORBIDDEN)
    not_admitted = None if admit is None else admit(principal)
    if not_admitted is not None:
        return refused(request, Words(not_admitted), status.HTTP_403_FORBIDDEN)
    earlier = request.cookies.get(site.session_cookie)
    if earlier:  # whoever was signed in on this browser before is signed out
        await sessions.sign_out(earlier)
    opened = await sessions.open(principal, token_left)
    response = RedirectResponse(go_to, status.HTTP_303_SEE_OTHER)
    site.keep_session(response, request, opened)
    return response


async def sign_out(
    request: Request, site: PageSite, *, title: str, text: str, link: str
) -> HTMLResponse:
    """End the session on this browser, and say so (``title``, ``text``, a ``link`` to sign in
    again: messages of the page's catalog)."""
    await token_sessions(request).sign_out(request.cookies.get(site.session_cookie, ""))
    response = site.notice(request, title, Words(text), link=link)
    site.drop_session(response, request)
    return response
