"""HTTP routes of book deposits. Every route names the roles that may call it.

A teacher or school librarian orders, lists, reads and cancels their own school's deposits only
(403 for another school's); staff do everything: they move each deposit through its course and
list the overdue ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Query, Request, status
from pydantic import BaseModel, Field, StringConstraints

from tvers_contracts.events.visits import (
    FIRST_GRADE,
    LAST_GRADE,
    MOST_BOOKS,
    CancelledBy,
    ClassLabel,
    OrdererRole,
    ShortText,
)
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.errors import ApiError
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.deposits import Deposits
from tvers_visits.domain.deposit import Deposit, Order, Status
from tvers_visits.entrypoints.school_scope import check_school, own_school

router = APIRouter(tags=["deposits"], route_class=JsonBodyRoute)


class DepositIn(Strict):
    """A deposit as a school orders it: for a class (grade and label) or, with neither, for
    the school library."""

    school_id: Slug | None = Field(
        default=None,
        description="Required for staff; a teacher or school librarian orders for their own "
        "school and may leave it out.",
    )
    grade: int | None = Field(default=None, ge=FIRST_GRADE, le=LAST_GRADE)
    class_label: ClassLabel | None = Field(
        default=None, description="E.g. 2A, with its grade; never a pupil's name."
    )
    theme: Annotated[ShortText, StringConstraints(strip_whitespace=True)]
    books: int = Field(ge=1, le=MOST_BOOKS, description="Roughly how many books.")
    wished_delivery_on: dt.date = Field(description="From today (Europe/Oslo) to a year ahead.")


class PreparedIn(Strict):
    books: int | None = Field(default=None, ge=1, le=MOST_BOOKS, description="If counted.")


class DeliveredIn(Strict):
    delivered_on: dt.date | None = Field(
        default=None, description="By default today (Europe/Oslo)."
    )
    due_on: dt.date | None = Field(
        default=None,
        description="The last day it may stay; by default eight weeks after delivery, at most "
        "a year after it.",
    )


class DueDateIn(Strict):
    due_on: dt.date = Field(description="The last day it may stay, after the delivery.")


class ReturnedIn(Strict):
    returned_on: dt.date | None = Field(default=None, description="By default today (Europe/Oslo).")


class DepositOut(BaseModel):
    deposit_id: UUID
    school_id: str
    grade: int | None = Field(description="The class's grade; none for the school library.")
    class_label: str | None
    theme: str
    books: int = Field(description="Roughly how many books were wished.")
    wished_delivery_on: dt.date
    ordered_on: dt.date
    ordered_by: OrdererRole
    status: Status
    books_prepared: int | None
    delivered_on: dt.date | None
    due_on: dt.date | None
    returned_on: dt.date | None
    cancelled_by: CancelledBy | None
    days_overdue: int = Field(description="Days past its due date today (0 if not overdue).")


async def deposits(request: Request) -> Deposits:
    """The use cases, as wired by the bootstrap."""
    cases: Deposits = request.app.state.deposits
    return cases


Cases = Annotated[Deposits, Depends(deposits)]
Staff = Annotated[Principal, Depends(allow(Role.STAFF))]
Schools = Annotated[Principal, Depends(allow(Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN))]
_ORDERER = {
    Role.STAFF: OrdererRole.STAFF,
    Role.TEACHER: OrdererRole.TEACHER,
    Role.SCHOOL_LIBRARIAN: OrdererRole.SCHOOL_LIBRARIAN,
}


def deposit_out(state: Deposit, today: dt.date) -> DepositOut:
    assert state.deposit_id is not None
    assert state.order is not None
    assert state.ordered_on is not None
    assert state.ordered_by is not None
    return DepositOut(
        deposit_id=state.deposit_id,
        school_id=state.order.school_id,
        grade=state.order.grade,
        class_label=state.order.class_label,
        theme=state.order.theme,
        books=state.order.books,
        wished_delivery_on=state.order.wished_delivery_on,
        ordered_on=state.ordered_on,
        ordered_by=state.ordered_by,
        status=state.status,
        books_prepared=state.books_prepared,
        delivered_on=state.delivered_on,
        due_on=state.due_on,
        returned_on=state.returned_on,
        cancelled_by=state.cancelled_by,
        days_overdue=state.days_overdue(today),
    )


@router.post("/deposits", status_code=status.HTTP_201_CREATED)
async def order_deposit(
    body: DepositIn,
    request: Request,
    who: Schools,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """Order a deposit of books on a theme, for a class or the school library."""
    school_id = body.school_id or own_school(who)
    if school_id is None:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_request",
            "staff name the school the deposit is for: school_id is required",
        )
    check_school(who, school_id)
    wanted = Order(
        school_id, body.grade, body.class_label, body.theme, body.books, body.wished_delivery_on
    )
    context = await command_context(request, who, idempotency_key)
    state = await cases.order(context, wanted=wanted, ordered_by=_ORDERER[who.role])
    return deposit_out(state, cases.today())


@router.get("/deposits")
async def list_deposits(
    who: Schools,
    cases: Cases,
    school_id: Annotated[
        Slug | None, Query(description="Of this school (a school's own token: its own only).")
    ] = None,
    status_: Annotated[Status | None, Query(alias="status", description="In this status.")] = None,
) -> list[DepositOut]:
    """The deposits, in the order they were ordered: staff see every school's, a teacher or
    school librarian their own school's."""
    own = own_school(who)
    if own is not None and school_id is not None:
        check_school(who, school_id)
    found = await cases.listing(who.tenant, school_id=own or school_id, status=status_)
    today = cases.today()
    return [deposit_out(state, today) for state in found]


@router.get("/deposits/overdue")
async def list_overdue_deposits(who: Staff, cases: Cases) -> list[DepositOut]:
    """Deposits delivered and not returned whose due date has passed (Europe/Oslo), the longest
    overdue first."""
    today = cases.today()
    return [deposit_out(state, today) for state in await cases.overdue(who.tenant)]


async def _reachable(who: Principal, cases: Deposits, deposit_id: UUID) -> Deposit:
    """The deposit, if the caller may reach its school (403 otherwise; 404 if there is none)."""
    state = await cases.deposit(who.tenant, deposit_id)
    assert state.order is not None
    check_school(who, state.order.school_id)
    return state


@router.get("/deposits/{deposit_id}")
async def get_deposit(deposit_id: UUID, who: Schools, cases: Cases) -> DepositOut:
    """One deposit."""
    return deposit_out(await _reachable(who, cases, deposit_id), cases.today())


@router.post("/deposits/{deposit_id}/cancel")
async def cancel_deposit(
    deposit_id: UUID,
    request: Request,
    who: Schools,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """Call a deposit off before it is delivered: the school that ordered it, or staff."""
    await _reachable(who, cases, deposit_id)
    by = CancelledBy.LIBRARY if who.role is Role.STAFF else CancelledBy.SCHOOL
    context = await command_context(request, who, idempotency_key)
    return deposit_out(await cases.cancel(context, deposit_id, by=by), cases.today())


@router.post("/deposits/{deposit_id}/prepared")
async def prepare_deposit(
    deposit_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    body: Annotated[PreparedIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """The books are put together (a requested deposit only)."""
    books = None if body is None else body.books
    context = await command_context(request, who, idempotency_key)
    return deposit_out(await cases.prepare(context, deposit_id, books=books), cases.today())


@router.post("/deposits/{deposit_id}/delivered")
async def deliver_deposit(
    deposit_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    body: Annotated[DeliveredIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """The books reached the school (a prepared deposit only); its due date is set."""
    given = body or DeliveredIn()
    context = await command_context(request, who, idempotency_key)
    state = await cases.deliver(
        context, deposit_id, delivered_on=given.delivered_on, due_on=given.due_on
    )
    return deposit_out(state, cases.today())


@router.post("/deposits/{deposit_id}/due-date")
async def set_deposit_due_date(
    deposit_id: UUID,
    body: DueDateIn,
    request: Request,
    who: Staff,
    cases: Cases,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """Move a delivered deposit's due date (an extension, or a correction)."""
    context = await command_context(request, who, idempotency_key)
    state = await cases.set_due_date(context, deposit_id, due_on=body.due_on)
    return deposit_out(state, cases.today())


@router.post("/deposits/{deposit_id}/returned")
async def return_deposit(
    deposit_id: UUID,
    request: Request,
    who: Staff,
    cases: Cases,
    body: Annotated[ReturnedIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> DepositOut:
    """The books came back (a delivered deposit only)."""
    returned_on = None if body is None else body.returned_on
    context = await command_context(request, who, idempotency_key)
    state = await cases.return_(context, deposit_id, returned_on=returned_on)
    return deposit_out(state, cases.today())
