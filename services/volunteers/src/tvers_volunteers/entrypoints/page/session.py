"""Who is signed in to the page, and whether a form really comes from it (decision 0027).

The session cookie is HttpOnly, SameSite=Lax (a form on another site is sent without it), Secure
when the page is served over https, and sent to ``/me`` only. Every form also carries the
session's own token, compared in constant time; and a request the browser marks as coming from
another site (``Sec-Fetch-Site``) is refused before anything else. A refused form changes
nothing.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, Request, Response, status

from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.rendering import PAGE, PageProblem
from tvers_volunteers.sign_in_cases import PageSession, SignInCases

SESSION_COOKIE = "tvers_volunteer_session"
#: The fields of every form: the session's check against forged forms, and the page's key.
CHECK_FIELD = "form_token"
FORM_KEY_FIELD = "form_key"
#: A page's forms carry a handful of fields; more is not a form of ours.
_MOST_FIELDS = 16
_FORM = "application/x-www-form-urlencoded"
#: What ``Sec-Fetch-Site`` may say of a form: sent from our own pages (or by a browser that
#: does not send the header at all).
_OWN_ORIGIN = frozenset({"same-origin", "none"})


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


def secure(request: Request) -> bool:
    """Whether cookies must be marked Secure: the page is served over https."""
    public_url = request.app.state.public_url
    return request.url.scheme == "https" or (
        public_url is not None and public_url.scheme == "https"
    )


def keep_session(response: Response, request: Request, cookie: str, expires_at: datetime) -> None:
    """Set the session cookie on a response."""
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        expires=expires_at,
        path=PAGE,
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


def drop_session(response: Response, request: Request) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(
        SESSION_COOKIE, path=PAGE, httponly=True, samesite="lax", secure=secure(request)
    )


@dataclass(frozen=True)
class PostedForm:
    """A form's fields (each given once), and the idempotency key of the action it asks for."""

    fields: dict[str, str]
    idempotency_key: str | None

    def get(self, name: str) -> str:
        """A field's value; empty when it was not sent."""
        return self.fields.get(name, "")


async def read_form(request: Request) -> dict[str, str]:
    """A url-encoded form's fields; a 4xx page for anything else, or a field given twice."""
    if request.headers.get("sec-fetch-site", "none") not in _OWN_ORIGIN:
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.FORM_OUT_OF_DATE)
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != _FORM:
        raise PageProblem(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, texts.NOT_A_FORM)
    try:
        pairs = parse_qsl(
            (await request.body()).decode(),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=_MOST_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise PageProblem(status.HTTP_400_BAD_REQUEST, texts.NOT_A_FORM) from error
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise PageProblem(status.HTTP_400_BAD_REQUEST, texts.NOT_A_FORM)
    return fields


async def posted_form(request: Request, session: SignedIn) -> PostedForm:
    """A form of the signed-in volunteer's page: it must carry the session's form token (a 403
    page otherwise, and nothing done)."""
    fields = await read_form(request)
    token = fields.get(CHECK_FIELD, "")
    if not hmac.compare_digest(token.encode(), session.form_token.encode()):
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.FORM_OUT_OF_DATE)
    key = fields.get(FORM_KEY_FIELD, "")
    # The key of the page the form was on, per action: a form sent twice (a double tap) is
    # one action; two forms of one page are two.
    idempotency_key = f"page:{key}:{request.url.path}" if 8 <= len(key) <= 64 else None
    return PostedForm(fields, idempotency_key)


PostedFrom = Annotated[PostedForm, Depends(posted_form)]


def new_form_key() -> str:
    """The key the forms of one rendered page carry (see :func:`posted_form`)."""
    return secrets.token_urlsafe(16)
