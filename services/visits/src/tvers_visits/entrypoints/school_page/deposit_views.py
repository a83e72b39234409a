"""How the deposits' page shows a school's deposits: what was ordered, for whom, and where it
stands, in words of the page's language (days as Babel writes them), an overdue one said as
such, not by colour. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tvers_contracts.events.visits import CancelledBy
from tvers_runtime.i18n import Locale, _, local_date
from tvers_visits.domain.deposit import Deposit, Status

STATUS: dict[Status, str] = {
    Status.REQUESTED: _("requested"),
    Status.PREPARED: _("prepared"),
    Status.DELIVERED: _("delivered"),
    Status.RETURNED: _("returned"),
    Status.CANCELLED: _("cancelled"),
}
OVERDUE = _("overdue")
STANDING = _("Status: {status}.")
FOR_CLASS = _("For class {label}.")
FOR_LIBRARY = _("For the school library.")
BOOKS = _("Books: about {books}.")
REQUESTED = _("Ordered on {ordered}, wished delivered on {wished}.")
PREPARED = _("The library has put the books together; wished delivered on {wished}.")
DELIVERED = _("Delivered on {delivered}; due back on {due}.")
LATE = _(
    "Delivered on {delivered}; it was due back on {due}. Return the books to the library, or "
    "ask the library for more time."
)
RETURNED = _("Returned on {returned}.")
CANCELLED_BY = {
    CancelledBy.SCHOOL: _("Cancelled by the school."),
    CancelledBy.LIBRARY: _("Cancelled by the library."),
}


@dataclass(frozen=True)
class DepositView:
    """A deposit as the page shows it."""

    anchor: str
    theme: str
    for_whom: str
    books: str
    standing: str
    detail: str
    overdue: bool
    #: The deposit the school can still call off (not delivered yet).
    cancellable: UUID | None


def deposit_view(
    state: Deposit, today: date, locale: Locale, said: Callable[[str], str]
) -> DepositView:
    """A deposit of the school's, as it stands ``today``."""
    assert state.deposit_id is not None
    assert state.order is not None
    order = state.order

    def day(value: date | None) -> str:
        return "" if value is None else local_date(value, locale)

    overdue = state.overdue_on(today)
    details = {
        Status.REQUESTED: said(REQUESTED).format(
            ordered=day(state.ordered_on), wished=day(order.wished_delivery_on)
        ),
        Status.PREPARED: said(PREPARED).format(wished=day(order.wished_delivery_on)),
        Status.DELIVERED: said(LATE if overdue else DELIVERED).format(
            delivered=day(state.delivered_on), due=day(state.due_on)
        ),
        Status.RETURNED: said(RETURNED).format(returned=day(state.returned_on)),
        Status.CANCELLED: said(CANCELLED_BY[state.cancelled_by or CancelledBy.SCHOOL]),
    }
    status = said(OVERDUE) if overdue else said(STATUS[state.status])
    open_ = state.status in (Status.REQUESTED, Status.PREPARED)
    return DepositView(
        anchor=f"deposit-{state.deposit_id}",
        theme=order.theme,
        for_whom=(
            said(FOR_LIBRARY)
            if order.class_label is None
            else said(FOR_CLASS).format(label=order.class_label)
        ),
        books=said(BOOKS).format(books=order.books),
        standing=said(STANDING).format(status=status),
        detail=details[state.status],
        overdue=overdue,
        cancellable=state.deposit_id if open_ else None,
    )
