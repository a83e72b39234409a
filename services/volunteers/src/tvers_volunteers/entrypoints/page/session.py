"""Who is signed in to the page, and whether a form really comes from it (decision 0027).

The session cookie is HttpOnly, SameSite=Lax (a form on another site is sent without it), Secure
when the page is served over https, and sent to ``/me`` only (:class:`tvers_runtime.pages.site.
PageSite`). Every form also carries the session's own token, compared in constant time; and a
request the browser marks as coming from another site (``Sec-Fetch-Site``) is refused before
anything else (:mod:`tvers_runtime.pages.forms`). A refused form changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tvers_runtime.pages.forms import PostedForm, new_form_key, read_form
from tvers_runtime.pages.signed_in import SignedInPages
from tvers_volunteers.entrypoints.page import texts
from tvers_volunteers.entrypoints.page.rendering import SITE
from tvers_volunteers.sign_in_cases import PageSession, SignInCases

SESSION_COOKIE = SITE.session_cookie
keep_session = SITE.keep_session
drop_session = SITE.drop_session


def sign_in_cases(request: Request) -> SignInCases:
    """The sign-in use cases, as wired by the bootstrap."""
    cases: SignInCases = request.app.state.sign_in
    return cases


PAGES = SignedInPages[PageSession](
    cookie=SESSION_COOKIE,
    kept_at="sign_in",
    form_token=lambda session: session.form_token,
    not_signed_in=(texts.OPEN_YOUR_LINK, texts.NOT_SIGNED_IN),
)
current_session = PAGES.current
#: The volunteer's session; a 401 page without one.
SignedIn = Annotated[PageSession, Depends(PAGES.signed_in)]
#: A form of the signed-in volunteer's page, carrying the session's form token.
PostedFrom = Annotated[PostedForm, Depends(PAGES.posted_form)]

__all__ = [
    "SESSION_COOKIE",
    "PostedForm",
    "PostedFrom",
    "SignedIn",
    "current_session",
    "drop_session",
    "keep_session",
    "new_form_key",
    "read_form",
    "sign_in_cases",
]
