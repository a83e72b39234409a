"""A book deposit's course: ordered for a registered school, then prepared, delivered and
returned one step at a time, or cancelled before delivery; due back eight weeks after delivery
unless staff say otherwise, and overdue from Oslo's midnight after its due date."""

from datetime import UTC, date, datetime, timedelta
from functools import reduce
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    CancelledBy,
    DepositCancelled,
    DepositDelivered,
    DepositDueDateSet,
    DepositOrdered,
    OrdererRole,
    SchoolType,
)
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_runtime.testing.clocks import SteppedClock
from tvers_visits.domain import deposit
from tvers_visits.domain.deposit import Deposit, Status
from tvers_visits.domain.school import School

SCHOOL = School("aspoy-skule", "Aspøy skule", SchoolType.PRIMARY, "alesund-sentrum")
TODAY = date(2026, 9, 1)
WANTED = deposit.Order(
    school_id="aspoy-skule",
    grade=2,
    class_label="2A",
    theme="Dinosaurar",
    books=30,
    wished_delivery_on=date(2026, 9, 14),
)


def apply(state: Deposit, events: list[DomainEvent]) -> Deposit:
    return reduce(deposit.evolve, events, state)


def ordered(wanted: deposit.Order = WANTED) -> Deposit:
    events = deposit.order(
        deposit.NO_DEPOSIT,
        deposit_id=uuid4(),
        wanted=wanted,
        ordered_by=OrdererRole.TEACHER,
        today=TODAY,
        school=SCHOOL,
    )
    return apply(deposit.NO_DEPOSIT, events)


def prepared() -> Deposit:
    state = ordered()
    return apply(state, deposit.prepare(state, books=28))


def delivered(on: date = date(2026, 9, 14), due_on: date | None = None) -> Deposit:
    state = prepared()
    return apply(state, deposit.deliver(state, delivered_on=on, due_on=due_on, today=on))


def returned() -> Deposit:
    state = delivered()
    return apply(state, deposit.return_(state, returned_on=date(2026, 10, 1), today=TODAY.max))


def cancelled() -> Deposit:
    state = ordered()
    return apply(state, deposit.cancel(state, by=CancelledBy.SCHOOL))


# Ordering


def test_an_order_records_the_class_theme_books_wish_and_the_orderers_role() -> None:
    (event,) = deposit.order(
        deposit.NO_DEPOSIT,
        deposit_id=uuid4(),
        wanted=WANTED,
        ordered_by=OrdererRole.SCHOOL_LIBRARIAN,
        today=TODAY,
        school=SCHOOL,
    )
    assert isinstance(event, DepositOrdered)
    assert (event.class_label, event.theme, event.books) == ("2A", "Dinosaurar", 30)
    assert (event.ordered_on, event.ordered_by) == (TODAY, OrdererRole.SCHOOL_LIBRARIAN)
    assert ordered().status is Status.REQUESTED


def test_a_deposit_for_the_school_library_names_no_class() -> None:
    state = ordered(deposit.Order("aspoy-skule", None, None, "Nynorsk", 120, TODAY))
    assert state.order is not None
    assert (state.order.grade, state.order.class_label) == (None, None)


@pytest.mark.parametrize(
    ("wished", "says"),
    [
        (TODAY - timedelta(days=1), "has passed"),
        (TODAY + timedelta(days=366), "up to a year ahead"),
    ],
)
def test_a_delivery_is_wished_from_today_to_a_year_ahead(wished: date, says: str) -> None:
    with pytest.raises(RuleViolated, match=says):
        ordered(deposit.Order("aspoy-skule", 2, "2A", "Dinosaurar", 30, wished))
    assert ordered(deposit.Order("aspoy-skule", 2, "2A", "Dinosaurar", 30, TODAY)).order
    last = TODAY + timedelta(days=365)
    assert ordered(deposit.Order("aspoy-skule", 2, "2A", "Dinosaurar", 30, last)).order


def test_a_deposit_is_ordered_for_a_registered_school_only() -> None:
    with pytest.raises(UnknownReference, match="no school 'aspoy-skule' is registered"):
        deposit.order(
            deposit.NO_DEPOSIT,
            deposit_id=uuid4(),
            wanted=WANTED,
            ordered_by=OrdererRole.TEACHER,
            today=TODAY,
            school=None,
        )


def test_a_class_deposit_is_for_a_grade_the_school_teaches() -> None:
    with pytest.raises(RuleViolated, match="primary school: it has no grade 9"):
        ordered(deposit.Order("aspoy-skule", 9, "9A", "Dinosaurar", 30, TODAY))
    assert ordered(deposit.Order("aspoy-skule", None, None, "Dinosaurar", 30, TODAY)).order


def test_a_deposit_is_ordered_once() -> None:
    with pytest.raises(Conflict, match="already ordered"):
        deposit.order(
            ordered(),
            deposit_id=uuid4(),
            wanted=WANTED,
            ordered_by=OrdererRole.TEACHER,
            today=TODAY,
            school=SCHOOL,
        )


# The course, one step at a time


def test_a_deposit_goes_requested_prepared_delivered_returned() -> None:
    assert prepared().status is Status.PREPARED
    assert prepared().books_prepared == 28
    assert delivered().status is Status.DELIVERED
    assert returned().status is Status.RETURNED
    assert returned().returned_on == date(2026, 10, 1)


def test_no_step_is_skipped() -> None:
    with pytest.raises(Conflict, match="requested deposit cannot be marked delivered"):
        deposit.deliver(ordered(), delivered_on=TODAY, due_on=None, today=TODAY)
    with pytest.raises(Conflict, match="requested deposit cannot be marked returned"):
        deposit.return_(ordered(), returned_on=TODAY, today=TODAY)
    with pytest.raises(Conflict, match="prepared deposit cannot be marked returned"):
        deposit.return_(prepared(), returned_on=TODAY, today=TODAY)


def test_no_step_goes_back_or_is_taken_twice() -> None:
    with pytest.raises(Conflict, match="prepared deposit cannot be marked prepared"):
        deposit.prepare(prepared(), books=None)
    with pytest.raises(Conflict, match="delivered deposit cannot be marked prepared"):
        deposit.prepare(delivered(), books=None)
    with pytest.raises(Conflict, match="delivered deposit cannot be marked delivered"):
        deposit.deliver(delivered(), delivered_on=TODAY, due_on=None, today=TODAY)
    with pytest.raises(Conflict, match="returned deposit cannot be marked delivered"):
        deposit.deliver(returned(), delivered_on=TODAY, due_on=None, today=TODAY)
    with pytest.raises(Conflict, match="returned deposit cannot be marked returned"):
        deposit.return_(returned(), returned_on=TODAY, today=TODAY)


def test_a_deposit_is_cancelled_by_either_side_before_delivery() -> None:
    (by_school,) = deposit.cancel(ordered(), by=CancelledBy.SCHOOL)
    (by_library,) = deposit.cancel(prepared(), by=CancelledBy.LIBRARY)
    assert isinstance(by_school, DepositCancelled)
    assert isinstance(by_library, DepositCancelled)
    assert by_library.cancelled_by is CancelledBy.LIBRARY
    assert cancelled().status is Status.CANCELLED


def test_a_delivered_or_returned_deposit_is_not_cancelled() -> None:
    with pytest.raises(Conflict, match="only before it is delivered; this one is delivered"):
        deposit.cancel(delivered(), by=CancelledBy.LIBRARY)
    with pytest.raises(Conflict, match="this one is returned"):
        deposit.cancel(returned(), by=CancelledBy.SCHOOL)
    with pytest.raises(Conflict, match="already cancelled"):
        deposit.cancel(cancelled(), by=CancelledBy.SCHOOL)


def test_nothing_follows_a_cancellation() -> None:
    with pytest.raises(Conflict, match="cancelled; it cannot be prepared"):
        deposit.prepare(cancelled(), books=None)
    with pytest.raises(Conflict, match="cancelled; it cannot be delivered"):
        deposit.deliver(cancelled(), delivered_on=TODAY, due_on=None, today=TODAY)
    with pytest.raises(Conflict, match="cancelled; it cannot be returned"):
        deposit.return_(cancelled(), returned_on=TODAY, today=TODAY)
    with pytest.raises(Conflict, match="only a delivered deposit"):
        deposit.set_due_date(cancelled(), due_on=TODAY)


def test_an_unknown_deposit_is_not_found() -> None:
    with pytest.raises(NotFound):
        deposit.prepare(deposit.NO_DEPOSIT, books=None)
    with pytest.raises(NotFound):
        deposit.cancel(deposit.NO_DEPOSIT, by=CancelledBy.LIBRARY)
    with pytest.raises(NotFound):
        deposit.set_due_date(deposit.NO_DEPOSIT, due_on=TODAY)


# Delivery, due dates and returns


def test_a_deposit_is_due_eight_weeks_after_delivery_by_default() -> None:
    state = prepared()
    (event,) = deposit.deliver(state, delivered_on=date(2026, 9, 14), due_on=None, today=TODAY.max)
    assert isinstance(event, DepositDelivered)
    assert event.due_on == date(2026, 11, 9)


def test_staff_set_another_due_date_at_delivery() -> None:
    assert delivered(due_on=date(2026, 12, 18)).due_on == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("due_on", "says"),
    [
        (date(2026, 9, 14), "due after the day it was delivered"),
        (date(2026, 9, 13), "due after the day it was delivered"),
        (date(2027, 9, 15), "a year at most: due by 2027-09-14"),
    ],
)
def test_a_due_date_lies_after_delivery_and_within_a_year(due_on: date, says: str) -> None:
    state = prepared()
    with pytest.raises(RuleViolated, match=says):
        deposit.deliver(state, delivered_on=date(2026, 9, 14), due_on=due_on, today=TODAY.max)
    with pytest.raises(RuleViolated, match=says):
        deposit.set_due_date(delivered(), due_on=due_on)


def test_a_delivery_lies_between_the_order_and_today() -> None:
    with pytest.raises(RuleViolated, match="before the day it is"):
        deposit.deliver(
            prepared(), delivered_on=TODAY + timedelta(days=1), due_on=None, today=TODAY
        )
    with pytest.raises(RuleViolated, match="before it was ordered"):
        deposit.deliver(
            prepared(), delivered_on=TODAY - timedelta(days=1), due_on=None, today=TODAY
        )
    assert deposit.deliver(prepared(), delivered_on=TODAY, due_on=None, today=TODAY)


def test_a_return_lies_between_the_delivery_and_today() -> None:
    state = delivered()
    with pytest.raises(RuleViolated, match="before the day it is"):
        deposit.return_(state, returned_on=date(2026, 10, 2), today=date(2026, 10, 1))
    with pytest.raises(RuleViolated, match="before it was delivered"):
        deposit.return_(state, returned_on=date(2026, 9, 13), today=date(2026, 10, 1))
    assert deposit.return_(state, returned_on=date(2026, 9, 14), today=date(2026, 10, 1))


def test_staff_move_a_delivered_deposits_due_date_and_the_same_date_changes_nothing() -> None:
    state = delivered()
    (event,) = deposit.set_due_date(state, due_on=date(2026, 12, 18))
    assert isinstance(event, DepositDueDateSet)
    assert apply(state, [event]).due_on == date(2026, 12, 18)
    assert deposit.set_due_date(state, due_on=date(2026, 11, 9)) == []


def test_only_a_delivered_deposit_has_its_due_date_moved() -> None:
    with pytest.raises(Conflict, match="this one is requested"):
        deposit.set_due_date(ordered(), due_on=date(2026, 12, 18))
    with pytest.raises(Conflict, match="this one is returned"):
        deposit.set_due_date(returned(), due_on=date(2026, 12, 18))


# Overdue


def test_a_deposit_is_overdue_from_the_day_after_its_due_date_until_it_is_returned() -> None:
    state = delivered()  # due 2026-11-09
    assert not state.overdue_on(date(2026, 11, 9))
    assert state.overdue_on(date(2026, 11, 10))
    assert state.days_overdue(date(2026, 11, 12)) == 3
    assert state.days_overdue(date(2026, 11, 9)) == 0
    assert not returned().overdue_on(date(2027, 1, 1))
    assert not ordered().overdue_on(date(2027, 1, 1))
    assert not cancelled().overdue_on(date(2027, 1, 1))


@pytest.mark.parametrize(
    "due_on",
    [date(2026, 11, 9), date(2027, 6, 1), date(2027, 3, 27), date(2026, 10, 24)],
    ids=["winter", "summer", "eve-of-spring-forward", "eve-of-fall-back"],
)
def test_a_deposit_falls_overdue_at_oslo_midnight_whatever_the_utc_offset(due_on: date) -> None:
    state = delivered(on=due_on - timedelta(days=10), due_on=due_on)
    clock = SteppedClock(datetime.combine(due_on, datetime.min.time(), OSLO).astimezone(UTC))
    clock.set("23:59:59")
    assert not deposit.overdue_at(state, clock())
    clock.advance(timedelta(seconds=1))
    assert clock().astimezone(OSLO).date() == due_on + timedelta(days=1)
    assert clock().astimezone(UTC).date() == due_on  # still the due date in UTC
    assert deposit.overdue_at(state, clock())


@pytest.mark.parametrize(
    ("grade", "label", "says"),
    [
        (2, None, "together"),
        (None, "2A", "together"),
        (2, "9A", "'9A' is not a class of grade 2"),
    ],
)
def test_a_class_is_named_by_its_grade_and_a_label_of_that_grade(
    grade: int | None, label: str | None, says: str
) -> None:
    with pytest.raises(RuleViolated, match=says):
        ordered(deposit.Order("aspoy-skule", grade, label, "Dinosaurar", 30, TODAY))
