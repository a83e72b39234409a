"""The school's book deposits (decision 0034) on the school's pages: the deposits the session's
school ordered and where each stands, a form to order one (for a class or the school library),
and cancelling one before it is delivered. Teachers and school librarians alike (the JSON API
lets both). Another school's deposit is never shown, and cancelling one is "we cannot find
that deposit" (404), as if it did not exist. A refused order shows the page again with what was
written kept and the refusal in words; nothing is stored then."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import TypeAdapter, ValidationError

from tvers_contracts.events.visits import (
    MOST_BOOKS,
    SHORT_TEXT_LENGTH,
    CancelledBy,
    OrdererRole,
    ShortText,
)
from tvers_runtime.domain import DomainError, NotFound
from tvers_runtime.http.commands import command_context
from tvers_runtime.i18n import local_date
from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.problems import PageProblem, refusal_status
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_visits.deposits import Deposits
from tvers_visits.domain.deposit import LATEST_WISH, Order
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.common import page_context, school_of
from tvers_visits.entrypoints.school_page.deposit_views import deposit_view
from tvers_visits.entrypoints.school_page.session import PostedFrom, SignedIn
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router
from tvers_visits.visit_cases import ClassVisits

DEPOSITS = f"{PAGE}/deposits"
#: What the order form's "for" field says for the school library (a class is said by its label).
LIBRARY = "library"
_THEME: TypeAdapter[str] = TypeAdapter(ShortText)


class FormRefused(Exception):
    """A field of the order form the page refuses before the domain is asked."""

    def __init__(self, field: str, words: Words) -> None:
        super().__init__(words.message)
        self.field = field
        self.words = words


def _cases(request: Request) -> Deposits:
    cases: Deposits = request.app.state.deposits
    return cases


async def _classes(request: Request, session: PageSession) -> dict[str, int]:
    """The school's classes of the school year going on: each label with its grade."""
    visits: ClassVisits = request.app.state.class_visits
    statuses = await visits.statuses(
        session.principal.tenant, visits.current_year(), school_of(session)
    )
    return {s.school_class.class_label: s.school_class.grade for s in statuses}


async def deposits_context(
    request: Request,
    session: PageSession,
    *,
    problem: Words | None = None,
    field: str | None = None,
    sent: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The deposits' page: the school's deposits, the latest ordered first, and the order form
    (filled in with what was ``sent``, when it is shown again)."""
    school, context = await page_context(request, session, "deposits", problem=problem)
    if school is None:
        return context
    cases = _cases(request)
    today = cases.today()
    locale = locale_of(request)
    said = SITE.catalogs.translator(locale)
    found = await cases.listing(session.principal.tenant, school_id=school.school_id)
    views = [deposit_view(state, today, locale, said) for state in reversed(found)]
    return {
        **context,
        "deposits": views,
        "any_overdue": any(view.overdue for view in views),
        "classes": list(await _classes(request, session)),
        "library": LIBRARY,
        "sent": sent or {},
        "field": field,
        "theme_length": SHORT_TEXT_LENGTH,
        "most_books": MOST_BOOKS,
        "first_day": today.isoformat(),
        "last_day": (today + LATEST_WISH).isoformat(),
        "last_day_said": local_date(today + LATEST_WISH, locale),
    }


async def _again(
    request: Request, session: PageSession, words: Words, status_code: int, **kept: Any
) -> Response:
    """The deposits' page again, saying what was refused."""
    context = await deposits_context(request, session, problem=words, **kept)
    return SITE.render(request, "deposits.html", context, status_code=status_code)


def _order_of(form: PostedForm, school_id: str, classes: dict[str, int]) -> Order:
    """The order the form asks for; :class:`FormRefused` for a field that cannot be one."""
    for_whom = form.get("for_whom")
    if for_whom != LIBRARY and for_whom not in classes:
        raise FormRefused("for_whom", Words(texts.CHOOSE_WHO_FOR))
    label = None if for_whom == LIBRARY else for_whom
    try:
        theme = _THEME.validate_python(form.get("theme").strip())
    except ValidationError:
        words = Words(texts.WRITE_A_THEME, {"most": str(SHORT_TEXT_LENGTH)})
        raise FormRefused("theme", words) from None
    books = form.get("books").strip()
    if not books.isascii() or not books.isdigit() or not 1 <= int(books) <= MOST_BOOKS:
        raise FormRefused("books", Words(texts.HOW_MANY_BOOKS, {"most": str(MOST_BOOKS)}))
    try:
        wished = date.fromisoformat(form.get("wished_delivery_on"))
    except ValueError:
        raise FormRefused("wished_delivery_on", Words(texts.CHOOSE_A_DAY)) from None
    grade = None if label is None else classes[label]
    return Order(school_id, grade, label, theme, int(books), wished)


@router.get(DEPOSITS)
async def deposits_page(request: Request, session: SignedIn) -> Response:
    """The school's deposits and the form to order one."""
    return SITE.render(request, "deposits.html", await deposits_context(request, session))


@router.post(DEPOSITS)
async def order(request: Request, session: SignedIn, form: PostedFrom) -> Response:
    """Order a deposit for the session's school, as its teacher or school librarian."""
    try:
        wanted = _order_of(form, school_of(session), await _classes(request, session))
    except FormRefused as refused:
        return await _again(
            request,
            session,
            refused.words,
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            field=refused.field,
            sent=form.fields,
        )
    cases = _cases(request)
    context = await command_context(request, session.principal, form.idempotency_key)
    ordered_by = OrdererRole(session.principal.role.value)
    try:
        ordered = await cases.order(context, wanted=wanted, ordered_by=ordered_by)
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await _again(request, session, words, refusal_status(error), sent=form.fields)
    anchor = f"deposit-{ordered.deposit_id}"
    return RedirectResponse(f"{DEPOSITS}?done=ordered#{anchor}", status.HTTP_303_SEE_OTHER)


@router.post(f"{DEPOSITS}/{{deposit_id}}/cancel")
async def cancel(
    request: Request, session: SignedIn, form: PostedFrom, deposit_id: UUID
) -> Response:
    """Call off one of the school's deposits before it is delivered."""
    cases = _cases(request)
    try:
        state = await cases.deposit(session.principal.tenant, deposit_id)
    except NotFound:
        state = None
    if state is None or state.order is None or state.order.school_id != school_of(session):
        raise PageProblem(status.HTTP_404_NOT_FOUND, texts.NO_SUCH_DEPOSIT)
    context = await command_context(request, session.principal, form.idempotency_key)
    try:
        await cases.cancel(context, deposit_id, by=CancelledBy.SCHOOL)
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await _again(request, session, words, refusal_status(error))
    anchor = f"deposit-{deposit_id}"
    return RedirectResponse(
        f"{DEPOSITS}?done=deposit-cancelled#{anchor}", status.HTTP_303_SEE_OTHER
    )
