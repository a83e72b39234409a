"""JSON routes of the desk log's read model (``/api/desk/...``), for viewers and staff.

Each takes a period (``from``, ``to``; by default the last 60 days and the 14 to come, at most
three years) and an optional site (a site's id is its branch's, decision 0043), and answers
counts only: nothing about a citizen is known to reporting at all.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from tvers_contracts.events.desk import Department
from tvers_contracts.values import Slug
from tvers_reporting.entrypoints.http import Infra, Reader, period
from tvers_reporting.read_models import desk_queries as queries
from tvers_reporting.read_models.desk_help import DeskHelp

router = APIRouter(prefix="/api/desk", tags=["desk"])
From = Annotated[date | None, Query(alias="from", description="First day (Europe/Oslo).")]
To = Annotated[date | None, Query(alias="to", description="Last day (Europe/Oslo), included.")]
Site = Annotated[Slug | None, Query(description="One innbyggartorg site (its branch id).")]


class DemandOut(BaseModel):
    site: str
    department: Department = Field(description="The department that helped.")
    category_id: str = Field(description="The category's stable id.")
    category_name: str = Field(description="Its nynorsk name, as last renamed.")
    category_name_en: str = Field(description="Its English name, as last renamed.")
    week: date = Field(description="The Monday of the Europe/Oslo ISO week.")
    helped: int = Field(description="Help given (undone records left out).")
    referred: int = Field(description="Of it, referred on to another department.")


class OverlapOut(BaseModel):
    site: str
    category_id: str = Field(description="The category's stable id.")
    category_name: str = Field(description="Its nynorsk name, as last renamed.")
    category_name_en: str = Field(description="Its English name, as last renamed.")
    by_department: dict[Department, int] = Field(
        description="Help given in the category at the site, per department (two or more)."
    )
    helped: int = Field(description="Help given in the category at the site, in all.")


class ReferralOut(BaseModel):
    from_department: Department = Field(description="The department that helped.")
    to_department: Department = Field(description="The department the citizen was sent on to.")
    referrals: int


async def _desk_help(request: Request) -> DeskHelp:
    projection: DeskHelp = request.app.state.desk_help
    return projection


Desk = Annotated[DeskHelp, Depends(_desk_help)]


@router.get("/demand", response_model=list[DemandOut])
async def demand(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Desk,
    first: From = None,
    last: To = None,
    site: Site = None,
) -> list[dict[str, Any]]:
    """Help given per site, department, category and week, and how much was referred on."""
    start, end = period(request, first, last)
    return await queries.demand_by_week(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, site=site
    )


@router.get("/overlap", response_model=list[OverlapOut])
async def overlap(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Desk,
    first: From = None,
    last: To = None,
    site: Site = None,
) -> list[dict[str, Any]]:
    """The categories more than one department handled at the same site in the period: where
    the departments do the same work side by side."""
    start, end = period(request, first, last)
    return await queries.overlap(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, site=site
    )


@router.get("/referrals", response_model=list[ReferralOut])
async def referrals(
    request: Request,
    who: Reader,
    infra: Infra,
    projection: Desk,
    first: From = None,
    last: To = None,
    site: Site = None,
) -> list[dict[str, Any]]:
    """Referrals between departments as a matrix (from, to; pairs without any left out), at
    one site or all."""
    start, end = period(request, first, last)
    return await queries.referrals(
        infra.pool, projection, tenant=who.tenant, first=start, last=end, site=site
    )
