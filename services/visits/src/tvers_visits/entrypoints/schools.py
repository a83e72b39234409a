"""HTTP routes of the school register, the ways from schools to branches, and the branches'
rooms for class visits. Every route names the roles that may call it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field, model_validator

from tvers_contracts.events.visits import MOST_ROUTES, Route, SchoolType, TravelMeans
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_runtime.http.text import PlainName
from tvers_visits.domain.school import School
from tvers_visits.entrypoints.dependencies import Schools
from tvers_visits.entrypoints.school_scope import SCHOOL_ROLES

router = APIRouter(tags=["schools"], route_class=JsonBodyRoute)
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Anyone = Annotated[Principal, Depends(allow(Role.STAFF, *SCHOOL_ROLES, Role.VIEWER))]


class SchoolIn(Strict):
    school_id: Slug = Field(description="A short slug, e.g. aspoy-skule.")
    name: PlainName = Field(description="One line of visible text, up to 120 characters.")
    school_type: SchoolType
    nearest_branch_id: Slug = Field(description="A branch registered in the access service.")


class SchoolOut(BaseModel):
    school_id: str
    name: str
    school_type: SchoolType
    nearest_branch_id: str
    routes: list[Route]
    branches_by_nearness: list[str]


def school_out(school: School) -> SchoolOut:
    return SchoolOut(
        school_id=school.school_id,
        name=school.name,
        school_type=school.school_type,
        nearest_branch_id=school.nearest_branch_id,
        routes=list(school.routes),
        branches_by_nearness=school.branches_by_nearness(),
    )


@router.post("/schools", status_code=status.HTTP_201_CREATED)
async def register_school(
    body: SchoolIn,
    request: Request,
    who: Staff,
    app: Schools,
    idempotency_key: IdempotencyKey = None,
) -> SchoolOut:
    """Register a school, with the branch its classes visit (which must be known here)."""
    school = School(body.school_id, body.name, body.school_type, body.nearest_branch_id)
    await app.register_school(await command_context(request, who, idempotency_key), school)
    return school_out(school)


@router.get("/schools")
async def list_schools(who: Anyone, app: Schools) -> list[SchoolOut]:
    """Every registered school, by id."""
    register = await app.schools(who.tenant)
    return [school_out(register.schools[key]) for key in sorted(register.schools)]


class RouteIn(Strict):
    branch_id: Slug
    means: TravelMeans
    minutes: int = Field(ge=0, le=600, description="Door to door.")


class RoutesIn(Strict):
    routes: list[RouteIn] = Field(
        max_length=MOST_ROUTES,
        description="The ways to the branches its classes can reach: walk, bus or ferry, and "
        "minutes door to door. Planning tries the nearest branch first, then these by time.",
    )

    @model_validator(mode="after")
    def _one_route_per_branch(self) -> RoutesIn:
        branches = [route.branch_id for route in self.routes]
        if len(set(branches)) != len(branches):
            raise ValueError("one route per branch")
        return self


@router.put("/schools/{school_id}/routes")
async def set_routes(
    school_id: Slug,
    body: RoutesIn,
    request: Request,
    who: Staff,
    app: Schools,
    idempotency_key: IdempotencyKey = None,
) -> SchoolOut:
    """Replace the ways from a school to the branches (each known here, one route each)."""
    context = await command_context(request, who, idempotency_key)
    await app.set_routes(context, school_id, [Route(**r.model_dump()) for r in body.routes])
    return school_out((await app.schools(who.tenant)).get(school_id))


class RoomIn(Strict):
    pupils: int = Field(ge=1, le=500, description="Pupils the room holds at once.")


class RoomOut(BaseModel):
    branch_id: str
    pupils: int | None = Field(description="None: the branch takes one visit at a time.")


@router.put("/branches/{branch_id}/visit-room")
async def set_visit_room(
    branch_id: Slug,
    body: RoomIn,
    request: Request,
    who: Staff,
    app: Schools,
    idempotency_key: IdempotencyKey = None,
) -> RoomOut:
    """Say how many pupils a branch's room for class visits holds: visits that overlap in time
    may together expect no more. Until it is said, a branch takes one visit at a time."""
    await app.set_room(await command_context(request, who, idempotency_key), branch_id, body.pupils)
    return RoomOut(branch_id=branch_id, pupils=body.pupils)


@router.get("/branches/{branch_id}/visit-room")
async def visit_room(branch_id: Slug, who: Anyone, app: Schools) -> RoomOut:
    """How many pupils a branch's room for class visits holds (None: one visit at a time); 404
    for a branch not known here."""
    return RoomOut(branch_id=branch_id, pupils=await app.room(who.tenant, branch_id))
