"""The dashboard at ``/``: every strand's panels for a period, a branch and a school year, and
the same panels alone at ``/panels`` (what the page's script fetches when new events have been
counted, so the page moves without a reload)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response, status

from tvers_reporting.entrypoints.dashboard import health, texts
from tvers_reporting.entrypoints.dashboard.figures import gather
from tvers_reporting.entrypoints.dashboard.filters import (
    FilterRefused,
    Named,
    once_each,
    read_filters,
)
from tvers_reporting.entrypoints.dashboard.panels import Sort, SortKey, panels
from tvers_reporting.entrypoints.dashboard.session import PAGES
from tvers_reporting.entrypoints.dashboard.signing import sign_in_form
from tvers_reporting.entrypoints.dashboard.site import SITE, router
from tvers_reporting.entrypoints.http import pipeline_status
from tvers_reporting.read_models.queries import branch_names
from tvers_reporting.read_models.school_queries import school_years
from tvers_runtime.i18n import Locale
from tvers_runtime.pages.forms import new_form_key
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_runtime.projection.status import SourceState


@router.get("/")
async def dashboard(request: Request) -> Response:
    """The dashboard; the sign-in form (401) to whoever is not signed in."""
    session = await PAGES.current(request)
    if session is None:
        return sign_in_form(request, status_code=status.HTTP_401_UNAUTHORIZED)
    return await _render(request, session, "dashboard.html")


@router.get("/panels")
async def panels_alone(request: Request) -> Response:
    """The panels alone, for the page's live updates."""
    session = await PAGES.current(request)
    if session is None:
        return Response(status_code=status.HTTP_401_UNAUTHORIZED)
    return await _render(request, session, "panels.html")


async def _render(request: Request, session: PageSession, template: str) -> Response:
    state = request.app.state
    pool = state.infrastructure.pool
    tenant = session.principal.tenant
    today = state.clock().astimezone(ZoneInfo(state.timezone)).date()
    names = await branch_names(pool, state.branches, tenant=tenant)
    years = await school_years(pool, state.school_visits, tenant=tenant)
    try:
        query = once_each(request.query_params.multi_items())
        filters = read_filters(query, today=today, branches=set(names), school_years=set(years))
        sort = Sort.read(query.get("sort"), query.get("order"))
    except FilterRefused as refused:
        return SITE.notice(
            request,
            texts.CHOOSE_AGAIN,
            Words(refused.message),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            link=texts.BACK,
        )
    locale = locale_of(request)
    gettext = SITE.catalogs.translator(locale)
    figures = await gather(request, pool, filters, tenant=tenant, today=today)
    context: dict[str, Any] = {
        "filters": filters,
        "named_periods": list(Named),
        "period_names": texts.PERIOD_NAMES,
        "branches": sorted(names.items(), key=lambda item: item[1]),
        "school_years": sorted({*years, filters.school_year}, reverse=True),
        "p": panels(figures, locale=locale, gettext=gettext, sort=sort),
        "health": await _health(request),
        "sort_keys": SortKey,
        "form_token": session.form_token,
        "form_key": new_form_key(),
        "english": locale is Locale.EN,
        # This year's figures so far, and last year's whole.
        "report_years": (today.year, today.year - 1),
    }
    return SITE.render(request, template, context)


async def _health(request: Request) -> health.Health:
    statuses = await pipeline_status(request.app.state.infrastructure)
    by_source: dict[str, list[health.SourceHealth]] = {}
    for projection in statuses.values():
        for source, status_ in projection.sources.items():
            by_source.setdefault(source, []).append(
                health.SourceHealth(
                    state=SourceState(status_.state),
                    lag=status_.lag,
                    applied=status_.applied,
                    dead_letters=status_.dead_letters,
                )
            )
    return health.health(by_source)
