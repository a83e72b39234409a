"""What the visits routes share: the use cases as wired by the bootstrap, and who acts for
which school."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from tvers_runtime.auth import Principal, Role
from tvers_visits.application import VisitsApplication
from tvers_visits.visit_cases import ClassVisits

#: The roles bound to one school by their token.
SCHOOL_ROLES = (Role.TEACHER, Role.SCHOOL_LIBRARIAN)


async def application(request: Request) -> VisitsApplication:
    """The schools' use cases."""
    app: VisitsApplication = request.app.state.visits
    return app


async def class_visits(request: Request) -> ClassVisits:
    """The class visits' use cases."""
    cases: ClassVisits = request.app.state.class_visits
    return cases


Schools = Annotated[VisitsApplication, Depends(application)]
Visits = Annotated[ClassVisits, Depends(class_visits)]


def own_school(who: Principal) -> str | None:
    """The one school a teacher or school librarian acts for; None for staff (every school)."""
    if who.role in SCHOOL_ROLES:
        if who.school_id is None:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, "this token is bound to no school; ask for a new one"
            )
        return who.school_id
    return None


def check_school(who: Principal, school_id: str) -> None:
    """403 unless the caller may act for ``school_id``."""
    mine = own_school(who)
    if mine is not None and mine != school_id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"this token is for school {mine!r}; it cannot act for {school_id!r}",
        )
