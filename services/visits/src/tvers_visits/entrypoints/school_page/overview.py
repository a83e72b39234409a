"""What the school page shows the signed-in teacher or school librarian: their own school's 2nd-
and 9th-grade classes of the school year going on, each held, booked or not yet booked, and for a
teacher the free times at the school's nearest branch for a class not yet booked. Only the
session's school: no route of the page takes a school id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request

from tvers_contracts.events.visits import Programme
from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.i18n import _, local_date
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_visits.domain.planning import programme_of
from tvers_visits.domain.visit_year import PROGRAMME_GRADE, ClassStatus
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.common import page_context
from tvers_visits.entrypoints.school_page.site import PAGE, SITE
from tvers_visits.entrypoints.school_page.views import (
    ClassView,
    DayOffer,
    Viewer,
    Window,
    class_view,
    day_offers,
    window,
)
from tvers_visits.visit_cases import ClassVisits

#: The grades whose classes visit the library, each with its programme.
GRADES = tuple(sorted(PROGRAMME_GRADE.values()))
GRADE_TITLE = _("Grade {grade}")


def _grades(
    statuses: Sequence[ClassStatus],
    viewer: Viewer,
    cases: ClassVisits,
    offers: Mapping[Programme, list[DayOffer]],
) -> list[dict[str, Any]]:
    grades = []
    for grade in GRADES:
        programme = programme_of(grade)
        classes: list[ClassView] = [
            class_view(s, viewer, offers.get(programme, []), cases.visit_length(programme))
            for s in statuses
            if s.school_class.grade == grade
        ]
        if classes:
            title = viewer.gettext(GRADE_TITLE).format(grade=grade)
            grades.append({"title": title, "classes": classes})
    return grades


def _window_links(days: Window) -> dict[str, str | None]:
    def at(day: object) -> str | None:
        return None if day is None else f"{PAGE}?from={day}#classes"

    return {"earlier_url": at(days.earlier), "later_url": at(days.later)}


async def overview(
    request: Request, session: PageSession, *, problem: Words | None = None
) -> dict[str, Any]:
    """Everything the page shows the session's holder, and what a refusal was if there was
    one."""
    state = request.app.state
    cases: ClassVisits = state.class_visits
    who = session.principal
    locale = locale_of(request)
    year = cases.current_year()
    school, context = await page_context(request, session, "classes", problem=problem)
    context["school_year"] = year.label
    if school is None:
        return context
    gettext = SITE.catalogs.translator(locale)
    names = {b.branch_id: b.name for b in await state.known_branches.listing(who.tenant)}
    viewer = Viewer(locale, gettext, names, can_book=who.role is Role.TEACHER)
    statuses = [
        s
        for s in await cases.statuses(who.tenant, year, school.school_id)
        if s.school_class.grade in GRADES
    ]
    days = window(request.query_params.get("from"), cases.now().astimezone(OSLO).date(), year)
    offers: dict[Programme, list[DayOffer]] = {}
    if viewer.can_book:
        waiting = [s for s in statuses if s.programme_visit is None]
        for programme in {programme_of(s.school_class.grade) for s in waiting}:
            slots = await cases.free_slots(
                who.tenant,
                year,
                school.nearest_branch_id,
                programme,
                first=days.first,
                last=days.last,
            )
            offers[programme] = day_offers(slots, locale)
    return {
        **context,
        "branch": viewer.branch(school.nearest_branch_id),
        "grades": _grades(statuses, viewer, cases, offers),
        "first_day": local_date(days.first, locale),
        "last_day": local_date(days.last, locale),
        **_window_links(days),
        "reasons": [(r.value, gettext(texts.REASONS[r])) for r in texts.TEACHERS_REASONS],
    }
