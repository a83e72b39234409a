"""The yearly report as a PDF (``GET /report/{year}.pdf``), for viewers and staff, in nynorsk or,
with ``?lang=en``, English."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response, status

from tvers_reporting.adapters.pdf_report import render
from tvers_reporting.entrypoints.http import Infra, Reader
from tvers_reporting.yearly_report import assemble
from tvers_reporting.yearly_report.figures import ReportModels, gather
from tvers_runtime.http.errors import ApiError
from tvers_runtime.i18n import Locale

router = APIRouter(tags=["yearly report"])
FIRST_YEAR = 2000
PDF: dict[int | str, dict[str, Any]] = {
    status.HTTP_200_OK: {
        "description": "The report as a PDF (A4).",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _models(request: Request) -> ReportModels:
    state = request.app.state
    return ReportModels(
        branches=state.branches,
        entries=state.meirope_entries,
        denials=state.meirope_denials,
        visitors=state.meirope_visitors,
        incidents=state.meirope_incidents,
        shifts=state.volunteer_shifts,
        volunteers=state.volunteers,
        host_coverage=state.host_coverage,
        schools=state.schools,
        school_visits=state.school_visits,
        deposits=state.deposits,
        theme_days=state.theme_days,
    )


@router.get("/report/{year}.pdf", response_class=Response, responses=PDF)
async def yearly_report(
    request: Request,
    who: Reader,
    infra: Infra,
    year: int,
    lang: Annotated[Locale, Query(description="nn (nynorsk, the default) or en.")] = Locale.NN,
) -> Response:
    """The yearly report of a calendar year: meirope, the volunteers and the schools (the
    school year ending in that year), with key figures and charts. From 2000 to this year."""
    now: datetime = request.app.state.clock()
    today = now.astimezone(ZoneInfo(request.app.state.timezone)).date()
    if not FIRST_YEAR <= year <= today.year:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_year",
            f"the year must be from {FIRST_YEAR} to {today.year}",
        )
    figures = await gather(
        infra.pool,
        _models(request),
        tenant=who.tenant,
        year=year,
        library=request.app.state.library_name,
        made_on=today,
    )
    pdf = await asyncio.to_thread(render, assemble(figures, lang))
    filename = f"{'annual-report' if lang is Locale.EN else 'arsrapport'}-{year}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
