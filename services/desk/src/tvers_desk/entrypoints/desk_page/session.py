"""Who is signed in to the desk page: a desk (its token names the site) or a member of staff,
who pasted the access code once (decision 0035's sessions, in :mod:`tvers_runtime.pages`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI

from tvers_desk.entrypoints.desk_page import texts
from tvers_desk.entrypoints.desk_page.site import SITE
from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock
from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.token_sign_in import token_pages, wire_token_sessions
from tvers_runtime.service import Infrastructure

#: The roles the page admits: those that record help through the JSON API.
ROLES = frozenset({Role.DESK, Role.STAFF})


def wire(infrastructure: Infrastructure, app: FastAPI, clock: Clock) -> None:
    """The page's sessions, on the service's database and signing key."""
    wire_token_sessions(infrastructure, app, audience="desk", roles=ROLES, clock=clock)


PAGES = token_pages(SITE, not_signed_in=(texts.SIGN_IN_FIRST, texts.NOT_SIGNED_IN))
#: The signed-in desk's session; a 401 page without one.
SignedIn = Annotated[PageSession, Depends(PAGES.signed_in)]
#: A form of the signed-in page, carrying the session's form token.
PostedFrom = Annotated[PostedForm, Depends(PAGES.posted_form)]
