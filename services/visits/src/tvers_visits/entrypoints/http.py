"""HTTP routes of the visits service. Every route names the roles that may call it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.application import VisitsApplication
from tvers_visits.domain.class_visit import HeldVisit

router = APIRouter(tags=["class visits"], route_class=JsonBodyRoute)


class HeldVisitIn(Strict):
    school_id: Slug
    grade: int = Field(ge=1, le=13)
    class_label: str = Field(
        min_length=1,
        max_length=20,
        pattern=r"^[0-9A-Za-zÆØÅæøå .-]+$",
        description="The class, e.g. 2A. Never a pupil's name.",
    )
    branch_id: Slug
    held_on: date
    pupils_present: int = Field(ge=0, le=200)
    library_cards_handed_out: int = Field(ge=0, le=200)


class VisitOut(BaseModel):
    visit_id: UUID


async def application(request: Request) -> VisitsApplication:
    """The use cases, as wired by the bootstrap."""
    app: VisitsApplication = request.app.state.visits
    return app


@router.post("/class-visits/held", status_code=status.HTTP_201_CREATED)
async def record_held_visit(
    body: HeldVisitIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER))],
    app: Annotated[VisitsApplication, Depends(application)],
    idempotency_key: IdempotencyKey = None,
) -> VisitOut:
    """Record a class visit as held: pupils present and library cards handed out."""
    if who.role is Role.TEACHER and who.school_id != body.school_id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "a teacher records visits of their own school only"
        )
    zone = ZoneInfo(request.app.state.timezone)
    visit_id = await app.record_held_visit(
        await command_context(request, who, idempotency_key),
        HeldVisit(**body.model_dump()),
        today=datetime.now(zone).date(),
    )
    return VisitOut(visit_id=visit_id)
