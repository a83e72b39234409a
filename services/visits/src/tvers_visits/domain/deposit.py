"""A book deposit (*depotlån*): ordered by a school, prepared, delivered and returned by the
public library, or cancelled before delivery. Pure, no I/O.

The course is one way and never skips: requested, prepared, delivered, returned; a deposit
not yet delivered may be cancelled, by the school or the library. Dates are Europe/Oslo dates.
A delivered deposit is due back on its due date (that day included): by default
:data:`DEFAULT_LOAN` after delivery, or any day staff choose within :data:`LONGEST_LOAN`. It is
overdue from the day after its due date until it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    CancelledBy,
    DepositCancelled,
    DepositDelivered,
    DepositDueDateSet,
    DepositOrdered,
    DepositPrepared,
    DepositReturned,
    OrdererRole,
    label_grade,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_visits.domain.oslo import oslo_today
from tvers_visits.domain.school import School

#: How long a deposit stays at the school unless staff say otherwise: eight weeks, about a
#: theme's span in a term.
DEFAULT_LOAN = timedelta(weeks=8)
#: The longest a deposit may stay: a school year.
LONGEST_LOAN = timedelta(days=365)
#: How far ahead a delivery may be wished: the coming school year's, ordered now.
LATEST_WISH = timedelta(days=365)


class Status(StrEnum):
    """Where a deposit is in its course."""

    REQUESTED = "requested"
    PREPARED = "prepared"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


#: The one status each step leaves from, and the step's name, for the refusals.
_NEXT = {
    Status.REQUESTED: Status.PREPARED,
    Status.PREPARED: Status.DELIVERED,
    Status.DELIVERED: Status.RETURNED,
}


@dataclass(frozen=True)
class Order:
    """What a school orders: books on a theme, for a class (grade and label) or, with neither,
    for the school library; roughly how many, and when it would like them."""

    school_id: str
    grade: int | None
    class_label: str | None
    theme: str
    books: int
    wished_delivery_on: date


@dataclass(frozen=True)
class Deposit:
    """A deposit as the rules and the lists see it."""

    deposit_id: UUID | None = None
    order: Order | None = None
    ordered_on: date | None = None
    ordered_by: OrdererRole | None = None
    status: Status = Status.REQUESTED
    books_prepared: int | None = None
    delivered_on: date | None = None
    due_on: date | None = None
    returned_on: date | None = None
    cancelled_by: CancelledBy | None = None

    def overdue_on(self, today: date) -> bool:
        """Whether the deposit is overdue on ``today``: delivered, not returned, due before."""
        return self.status is Status.DELIVERED and self.due_on is not None and self.due_on < today

    def days_overdue(self, today: date) -> int:
        """How many days past its due date it is on ``today`` (0 if it is not overdue)."""
        if not self.overdue_on(today):
            return 0
        assert self.due_on is not None
        return (today - self.due_on).days


NO_DEPOSIT = Deposit()


def stream(deposit_id: UUID) -> str:
    """The deposit's stream id."""
    return f"deposit-{deposit_id}"


def overdue_at(deposit: Deposit, now: datetime) -> bool:
    """Whether the deposit is overdue at ``now``: from Oslo's midnight after its due date."""
    return deposit.overdue_on(oslo_today(now))


def evolve(deposit: Deposit, event: DomainEvent) -> Deposit:
    """The deposit after an event."""
    if isinstance(event, DepositOrdered):
        order = Order(
            event.school_id,
            event.grade,
            event.class_label,
            event.theme,
            event.books,
            event.wished_delivery_on,
        )
        deposit = Deposit(event.deposit_id, order, event.ordered_on, event.ordered_by)
    elif isinstance(event, DepositPrepared):
        deposit = replace(deposit, status=Status.PREPARED, books_prepared=event.books)
    elif isinstance(event, DepositDelivered):
        deposit = replace(
            deposit, status=Status.DELIVERED, delivered_on=event.delivered_on, due_on=event.due_on
        )
    elif isinstance(event, DepositDueDateSet):
        deposit = replace(deposit, due_on=event.due_on)
    elif isinstance(event, DepositReturned):
        deposit = replace(deposit, status=Status.RETURNED, returned_on=event.returned_on)
    elif isinstance(event, DepositCancelled):
        deposit = replace(deposit, status=Status.CANCELLED, cancelled_by=event.cancelled_by)
    return deposit


def order(
    deposit: Deposit,
    *,
    deposit_id: UUID,
    wanted: Order,
    ordered_by: OrdererRole,
    today: date,
    school: School | None,
) -> list[DomainEvent]:
    """Order a deposit for a registered school (``None``: none is registered by that id), for
    the school library or a class of a grade it teaches, wished delivered from today to a year
    ahead."""
    if deposit.deposit_id is not None:
        raise Conflict("this deposit is already ordered")
    _check_class(wanted)
    if wanted.wished_delivery_on < today:
        raise RuleViolated(
            f"the wished delivery date {wanted.wished_delivery_on.isoformat()} has passed; "
            f"wish today ({today.isoformat()}) or later"
        )
    if wanted.wished_delivery_on > today + LATEST_WISH:
        raise RuleViolated(
            "a delivery can be wished up to a year ahead, until "
            f"{(today + LATEST_WISH).isoformat()}"
        )
    if school is None:
        raise UnknownReference(f"no school {wanted.school_id!r} is registered; register it first")
    if wanted.grade is not None and not school.teaches(wanted.grade):
        raise RuleViolated(
            f"{school.name} is a {school.school_type.value.replace('_', ' ')} school: it has no "
            f"grade {wanted.grade} (class {wanted.class_label})"
        )
    return [
        DepositOrdered(
            deposit_id=deposit_id,
            school_id=wanted.school_id,
            grade=wanted.grade,
            class_label=wanted.class_label,
            theme=wanted.theme,
            books=wanted.books,
            wished_delivery_on=wanted.wished_delivery_on,
            ordered_on=today,
            ordered_by=ordered_by,
        )
    ]


def prepare(deposit: Deposit, *, books: int | None) -> list[DomainEvent]:
    """The library has put the books together (``books`` of them, if counted)."""
    deposit_id = _step(deposit, Status.PREPARED)
    return [DepositPrepared(deposit_id=deposit_id, books=books)]


def deliver(
    deposit: Deposit, *, delivered_on: date, due_on: date | None, today: date
) -> list[DomainEvent]:
    """The books reached the school on ``delivered_on`` (today or a day since the order); they
    are due back on ``due_on``, by default :data:`DEFAULT_LOAN` later."""
    deposit_id = _step(deposit, Status.DELIVERED)
    assert deposit.ordered_on is not None
    if delivered_on > today:
        raise RuleViolated("a deposit cannot be recorded as delivered before the day it is")
    if delivered_on < deposit.ordered_on:
        raise RuleViolated(
            f"a deposit cannot be delivered before it was ordered "
            f"({deposit.ordered_on.isoformat()})"
        )
    due = due_on if due_on is not None else delivered_on + DEFAULT_LOAN
    _check_due(due, delivered_on)
    return [DepositDelivered(deposit_id=deposit_id, delivered_on=delivered_on, due_on=due)]


def set_due_date(deposit: Deposit, *, due_on: date) -> list[DomainEvent]:
    """Move a delivered deposit's due date (an extension, or a correction). The same date again
    changes nothing."""
    deposit_id = _ordered(deposit)
    if deposit.status is not Status.DELIVERED:
        raise Conflict(
            f"only a delivered deposit has a due date to move; this one is {deposit.status.value}"
        )
    if due_on == deposit.due_on:
        return []
    assert deposit.delivered_on is not None
    _check_due(due_on, deposit.delivered_on)
    return [DepositDueDateSet(deposit_id=deposit_id, due_on=due_on)]


def return_(deposit: Deposit, *, returned_on: date, today: date) -> list[DomainEvent]:
    """The books came back on ``returned_on`` (today or a day since delivery)."""
    deposit_id = _step(deposit, Status.RETURNED)
    assert deposit.delivered_on is not None
    if returned_on > today:
        raise RuleViolated("a deposit cannot be recorded as returned before the day it is")
    if returned_on < deposit.delivered_on:
        raise RuleViolated(
            f"a deposit cannot be returned before it was delivered "
            f"({deposit.delivered_on.isoformat()})"
        )
    return [DepositReturned(deposit_id=deposit_id, returned_on=returned_on)]


def cancel(deposit: Deposit, *, by: CancelledBy) -> list[DomainEvent]:
    """Call a deposit off, before it is delivered."""
    deposit_id = _ordered(deposit)
    if deposit.status is Status.CANCELLED:
        raise Conflict("this deposit is already cancelled")
    if deposit.status not in (Status.REQUESTED, Status.PREPARED):
        raise Conflict(
            f"a deposit can be cancelled only before it is delivered; this one is "
            f"{deposit.status.value}"
        )
    return [DepositCancelled(deposit_id=deposit_id, cancelled_by=by)]


def _check_class(wanted: Order) -> None:
    """A class is named by its grade and a label of that grade (2A), or not at all."""
    if (wanted.grade is None) != (wanted.class_label is None):
        raise RuleViolated(
            "name the class by grade and class label together (2 and 2A), or neither for the "
            "school library"
        )
    if wanted.grade is not None and label_grade(wanted.class_label or "") != wanted.grade:
        raise RuleViolated(
            f"class {wanted.class_label!r} is not a class of grade {wanted.grade} "
            f"(e.g. {wanted.grade}A)"
        )


def _ordered(deposit: Deposit) -> UUID:
    if deposit.deposit_id is None:
        raise NotFound("no such deposit")
    return deposit.deposit_id


def _step(deposit: Deposit, to: Status) -> UUID:
    """The deposit's id if it may move on to ``to`` now: from the status just before, only."""
    deposit_id = _ordered(deposit)
    if deposit.status is Status.CANCELLED:
        raise Conflict(f"this deposit was cancelled; it cannot be {to.value}")
    if _NEXT.get(deposit.status) is not to:
        raise Conflict(
            f"a {deposit.status.value} deposit cannot be marked {to.value}: its course is "
            "requested, prepared, delivered, returned, one step at a time"
        )
    return deposit_id


def _check_due(due_on: date, delivered_on: date) -> None:
    if due_on <= delivered_on:
        raise RuleViolated(
            f"a deposit is due after the day it was delivered ({delivered_on.isoformat()})"
        )
    if due_on > delivered_on + LONGEST_LOAN:
        raise RuleViolated(
            f"a deposit may stay a year at most: due by {(delivered_on + LONGEST_LOAN).isoformat()}"
        )
