"""Who is signed in to the school page, and whether a form really comes from it (decision 0035).

A teacher or school librarian signs in once with the access code (token) they were given; the
session (:class:`tvers_runtime.pages.sessions.TokenSessions`) acts as the token's holder, for
the token's one school. Every form carries the session's form token (a 403 page otherwise, and
nothing done; :mod:`tvers_runtime.pages.signed_in`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.token_sign_in import token_pages
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.site import SITE

PAGES = token_pages(SITE, not_signed_in=(texts.SIGN_IN_FIRST, texts.NOT_SIGNED_IN))
current_session = PAGES.current
#: The signed-in teacher's or school librarian's session; a 401 page without one.
SignedIn = Annotated[PageSession, Depends(PAGES.signed_in)]
#: A form of the signed-in page, carrying the session's form token.
PostedFrom = Annotated[PostedForm, Depends(PAGES.posted_form)]
