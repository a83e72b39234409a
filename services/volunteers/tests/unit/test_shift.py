"""Shifts are claimed until full, once per volunteer, while they last."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain import shift

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = NOW + timedelta(days=1)


def published(capacity: int = 2) -> shift.Shift:
    events = shift.publish(
        shift.NO_SHIFT,
        shift_id=uuid4(),
        branch_id="brattvag",
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


def test_a_shift_must_end_after_it_starts_and_not_be_over() -> None:
    with pytest.raises(RuleViolated, match="end after"):
        shift.publish(
            shift.NO_SHIFT,
            shift_id=uuid4(),
            branch_id="b",
            starts_at=STARTS,
            ends_at=STARTS,
            capacity=2,
            now=NOW,
        )
    with pytest.raises(RuleViolated, match="already ended"):
        shift.publish(
            shift.NO_SHIFT,
            shift_id=uuid4(),
            branch_id="b",
            starts_at=NOW - timedelta(hours=3),
            ends_at=NOW - timedelta(hours=1),
            capacity=2,
            now=NOW,
        )
