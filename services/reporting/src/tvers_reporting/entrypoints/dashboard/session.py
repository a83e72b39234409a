"""Who is signed in to the dashboard: a viewer or a member of staff, who pasted their access
code (token) once (decision 0035's sessions, shared in :mod:`tvers_runtime.pages`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.site import SITE
from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock
from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.token_sign_in import token_pages, wire_token_sessions
from tvers_runtime.service import Infrastructure

#: The roles the dashboard admits: the JSON API's readers.
ROLES = frozenset({Role.VIEWER, Role.STAFF})


def wire(infrastructure: Infrastructure, app: FastAPI, clock: Clock) -> None:
    """The dashboard's sessions, on the service's database and signing key."""
    wire_token_sessions(infrastructure, app, audience="reporting", roles=ROLES, clock=clock)


PAGES = token_pages(SITE, not_signed_in=(texts.SIGN_IN_FIRST, texts.NOT_SIGNED_IN))
#: The signed-in viewer's session; a 401 page without one.
SignedIn = Annotated[PageSession, Depends(PAGES.signed_in)]
#: A form of the signed-in page, carrying the session's form token.
PostedFrom = Annotated[PostedForm, Depends(PAGES.posted_form)]
