"""HTTP routes of the school register. Every route names the roles that may call it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.events.visits import SchoolType
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.application import VisitsApplication
from tvers_visits.domain.school import School
from tvers_visits.entrypoints.http import application

router = APIRouter(tags=["schools"], route_class=JsonBodyRoute)
App = Annotated[VisitsApplication, Depends(application)]


class SchoolIn(Strict):
    school_id: Slug = Field(description="A short slug, e.g. aspoy-skule.")
    name: str = Field(min_length=1, max_length=120)
    school_type: SchoolType
    nearest_branch_id: Slug = Field(description="A branch registered in the access service.")


class SchoolOut(BaseModel):
    school_id: str
    name: str
    school_type: SchoolType
    nearest_branch_id: str


def school_out(school: School) -> SchoolOut:
    return SchoolOut(
        school_id=school.school_id,
        name=school.name,
        school_type=school.school_type,
        nearest_branch_id=school.nearest_branch_id,
    )


@router.post("/schools", status_code=status.HTTP_201_CREATED)
async def register_school(
    body: SchoolIn,
    request: Request,
    who: Annotated[Principal, Depends(allow(Role.STAFF))],
    app: App,
    idempotency_key: IdempotencyKey = None,
) -> SchoolOut:
    """Register a school, with the branch its classes visit (which must be known here)."""
    school = School(body.school_id, body.name, body.school_type, body.nearest_branch_id)
    await app.register_school(await command_context(request, who, idempotency_key), school)
    return school_out(school)


@router.get("/schools")
async def list_schools(
    who: Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER, Role.VIEWER))], app: App
) -> list[SchoolOut]:
    """Every registered school, by id."""
    register = await app.schools(who.tenant)
    return [school_out(register.schools[key]) for key in sorted(register.schools)]
