"""The school's page and what its forms do: book a class's visit at one of the free times
offered, and cancel a booked one (teachers only). Each form answers with a redirect back to the
page and a word of what was done, or with the page again, in the status the JSON API would give,
saying in words what was refused (nothing is stored then)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse

from tvers_runtime.auth import Role
from tvers_runtime.domain import DomainError
from tvers_runtime.http.commands import command_context
from tvers_runtime.pages.problems import PageProblem, refusal_status
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_visits.application import VisitsApplication
from tvers_visits.domain.planning import programme_of
from tvers_visits.domain.visit_year import ClassRef
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.common import school_of
from tvers_visits.entrypoints.school_page.overview import GRADES, overview
from tvers_visits.entrypoints.school_page.session import PostedFrom, SignedIn, current_session
from tvers_visits.entrypoints.school_page.signing import sign_in_form
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router
from tvers_visits.visit_cases import ClassVisits, VisitAsked


def _cases(request: Request) -> ClassVisits:
    cases: ClassVisits = request.app.state.class_visits
    return cases


def teachers_only(session: PageSession) -> None:
    """Only a teacher books and cancels (a school librarian reads): a 403 page otherwise."""
    if session.principal.role is not Role.TEACHER:
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.TEACHERS_ONLY)


async def page_again(
    request: Request, session: PageSession, words: Words, status_code: int
) -> Response:
    """The page again, saying what was refused."""
    context = await overview(request, session, problem=words)
    return SITE.render(request, "school.html", context, status_code=status_code)


def _chosen_time(value: str) -> datetime | None:
    """The start of the time chosen, as the form sends it (with its offset); None for anything
    else."""
    try:
        chosen = datetime.fromisoformat(value)
    except ValueError:
        return None
    return chosen if chosen.tzinfo is not None else None


@router.get(PAGE)
async def school_page(request: Request) -> Response:
    """The school's page; the sign-in form (401) to whoever is not signed in."""
    session = await current_session(request)
    if session is None:
        return sign_in_form(request, status_code=status.HTTP_401_UNAUTHORIZED)
    return SITE.render(request, "school.html", await overview(request, session))


@router.post(f"{PAGE}/classes/{{grade}}/{{class_label}}/book")
async def book(
    request: Request, session: SignedIn, form: PostedFrom, grade: int, class_label: str
) -> Response:
    """Book the class's visit at the free time chosen, at the school's nearest branch, for the
    class's pupils, with its grade's programme."""
    teachers_only(session)
    cases = _cases(request)
    tenant, school_id = session.principal.tenant, school_of(session)
    year = cases.current_year()
    found = next(
        (
            s.school_class
            for s in await cases.statuses(tenant, year, school_id)
            if (s.school_class.grade, s.school_class.class_label) == (grade, class_label)
            and grade in GRADES
        ),
        None,
    )
    if found is None:
        raise PageProblem(status.HTTP_404_NOT_FOUND, texts.NO_SUCH_CLASS)
    starts_at = _chosen_time(form.get("starts_at"))
    if starts_at is None:
        words = Words(texts.CHOOSE_A_TIME)
        return await page_again(request, session, words, status.HTTP_422_UNPROCESSABLE_CONTENT)
    schools: VisitsApplication = request.app.state.visits
    programme = programme_of(grade)
    asked = VisitAsked(
        pupils_of=ClassRef(school_id, grade, class_label),
        branch_id=(await schools.schools(tenant)).get(school_id).nearest_branch_id,
        starts_at=starts_at,
        ends_at=starts_at + cases.visit_length(programme),
        expected_pupils=found.pupils,
        programme=programme,
    )
    context = await command_context(request, session.principal, form.idempotency_key)
    try:
        await cases.book(context, asked)
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await page_again(request, session, words, refusal_status(error))
    return RedirectResponse(f"{PAGE}?done=booked#class-{class_label}", status.HTTP_303_SEE_OTHER)


@router.post(f"{PAGE}/visits/{{visit_id}}/cancel")
async def cancel(request: Request, session: SignedIn, form: PostedFrom, visit_id: UUID) -> Response:
    """Cancel a booked visit of the school's, with the reason chosen."""
    teachers_only(session)
    reason = next((r for r in texts.TEACHERS_REASONS if r.value == form.get("reason")), None)
    if reason is None:
        words = Words(texts.CHOOSE_A_REASON)
        return await page_again(request, session, words, status.HTTP_422_UNPROCESSABLE_CONTENT)
    cases = _cases(request)
    context = await command_context(request, session.principal, form.idempotency_key)
    try:
        await cases.cancel(
            context, cases.current_year(), visit_id, reason, only_school=school_of(session)
        )
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await page_again(request, session, words, refusal_status(error))
    return RedirectResponse(f"{PAGE}?done=cancelled#classes", status.HTTP_303_SEE_OTHER)
