"""The school's pages (decision 0035): server-rendered HTML under ``/skule``, in nynorsk with
English, on the shared page shell (:mod:`tvers_runtime.pages`). A teacher or school librarian
signs in once with their access code. A teacher sees their school's 2nd- and 9th-grade classes
of the school year, held, booked or not yet booked, books a class's visit at a free time of the
school's nearest branch and cancels one; a school librarian reads that page. Both order the
school's book deposits and cancel them before delivery (:mod:`.deposits`), and read and search
the resource bank (:mod:`.resources`), in which a school librarian also writes (:mod:`.editor`).

Its routes are not in the OpenAPI document (they are pages, not an API) and take no bearer
token: a page session says who is signed in, for which one school.
"""

from __future__ import annotations

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock
from tvers_runtime.pages.token_sign_in import wire_token_sessions
from tvers_runtime.service import Infrastructure

# The modules put their routes on the one router.
from tvers_visits.entrypoints.school_page import deposits, editor, resources, routes, signing
from tvers_visits.entrypoints.school_page.site import SITE, router

# Any other address under the page is answered by a page too (added last).
SITE.finish(router)
#: Whom the page signs in.
ROLES = frozenset({Role.TEACHER, Role.SCHOOL_LIBRARIAN})


def wire(infrastructure: Infrastructure, app: FastAPI, clock: Clock) -> None:
    """The page's sessions, on the service's database and signing key."""
    wire_token_sessions(infrastructure, app, audience="visits", roles=ROLES, clock=clock)


__all__ = ["deposits", "editor", "resources", "router", "routes", "signing", "wire"]
