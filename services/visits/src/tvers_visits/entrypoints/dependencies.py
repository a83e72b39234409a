"""What the visits routes share: the use cases as wired by the bootstrap (who acts for which
school: :mod:`.school_scope`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tvers_visits.application import VisitsApplication
from tvers_visits.visit_cases import ClassVisits


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
