"""Shifts are claimed until full, once per volunteer, while they last."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_volunteers.domain import shift

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = NOW + timedelta(days=1)


def published(capacity: int = 2) -> shift.Shift:
    events = shift.publish(
        shift.NO_SHIFT,
        shift_id=uuid4(),
        branch_id="brattvag",
        branch_known=True,
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2),
        capacity=capacity,
        now=NOW,
    )
    return fold(shift.NO_SHIFT, events)


def fold(state: shift.Shift, events: list[DomainEvent]) -> shift.Shift:
    for event in events:
        state = shift.evolve(state, event)
    return state


def test_volunteers_claim_places_until_the_shift_is_full() -> None:
    state = published(capacity=2)
    for _ in range(2):
        state = fold(state, shift.claim(state, volunteer_id=uuid4(), now=NOW))
    assert state.places_left == 0
    with pytest.raises(Conflict, match="full"):
        shift.claim(state, volunteer_id=uuid4(), now=NOW)


def test_a_volunteer_claims_a_shift_once() -> None:
    state = published()
    volunteer = uuid4()
    state = fold(state, shift.claim(state, volunteer_id=volunteer, now=NOW))
    with pytest.raises(Conflict, match="already"):
        shift.claim(state, volunteer_id=volunteer, now=NOW)


def test_a_shift_that_is_over_cannot_be_claimed() -> None:
    with pytest.raises(Conflict, match="over"):
        shift.claim(published(), volunteer_id=uuid4(), now=STARTS + timedelta(hours=3))


def test_an_unknown_shift_cannot_be_claimed() -> None:
    with pytest.raises(NotFound):
        shift.claim(shift.NO_SHIFT, volunteer_id=uuid4(), now=NOW)


def publish(
    starts_at: datetime,
    length: timedelta = timedelta(hours=2),
    *,
    branch_known: bool = True,
) -> list[DomainEvent]:
    return shift.publish(
        shift.NO_SHIFT,
        shift_id=uuid4(),
        branch_id="brattvag",
        branch_known=branch_known,
        starts_at=starts_at,
        ends_at=starts_at + length,
        capacity=2,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("starts_at", "length", "says"),
    [
        (STARTS, timedelta(0), "end after"),
        (STARTS, -timedelta(hours=1), "end after"),
        (NOW - timedelta(hours=3), timedelta(hours=2), "in the past"),
        (NOW - timedelta(seconds=1), timedelta(hours=2), "in the past"),
        (NOW + timedelta(days=401), timedelta(hours=2), "at most 400 days ahead"),
        (datetime(9999, 12, 31, 10, tzinfo=UTC), timedelta(hours=2), "at most 400 days ahead"),
        (STARTS, timedelta(hours=12, seconds=1), "at most 12 hours"),
        (datetime(1, 1, 1, tzinfo=UTC), timedelta(days=3652058), "in the past"),
        (STARTS, timedelta(minutes=14), "at least 15 minutes"),
    ],
)
def test_a_shift_starts_between_now_and_a_year_ahead_and_lasts_a_sane_time(
    starts_at: datetime, length: timedelta, says: str
) -> None:
    with pytest.raises(RuleViolated, match=says):
        publish(starts_at, length)


def test_the_edges_of_the_window_are_inside_it() -> None:
    assert publish(NOW, timedelta(minutes=15))
    assert publish(NOW + timedelta(days=400), timedelta(hours=12))


def test_a_shift_at_a_branch_not_known_here_is_refused() -> None:
    with pytest.raises(UnknownReference, match="no branch 'brattvag' is known here"):
        publish(STARTS, branch_known=False)
