"""A volunteer never holds two overlapping shifts: shifts are half-open, so touching ones do not
overlap; the view follows claims, promotions, releases and cancellations of the volunteer's own."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from tvers_contracts.events.volunteers import (
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftPlaceEvent,
    ShiftReleased,
)
from tvers_runtime.domain import Conflict
from tvers_volunteers.domain import commitments
from tvers_volunteers.domain.commitments import Commitment, Commitments, must_be_free
from tvers_volunteers.testing.domain import STAFF, fold

ME = uuid4()
SIX = datetime(2026, 11, 30, 17, tzinfo=UTC)  # 18:00 in Oslo
HOUR = timedelta(hours=1)
EVENING = Commitment(uuid4(), SIX, SIX + 2 * HOUR)
HOLDING = Commitments(ME, (EVENING,))


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (SIX + 2 * HOUR, SIX + 4 * HOUR),  # starts as the held one ends
        (SIX - 2 * HOUR, SIX),  # ends as the held one starts
        (SIX + 3 * HOUR, SIX + 4 * HOUR),  # later
    ],
)
def test_shifts_that_touch_or_lie_apart_do_not_overlap(
    starts_at: datetime, ends_at: datetime
) -> None:
    assert HOLDING.overlapping(starts_at, ends_at) is None
    must_be_free(HOLDING, shift_id=uuid4(), starts_at=starts_at, ends_at=ends_at)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (SIX + 2 * HOUR - timedelta(seconds=1), SIX + 4 * HOUR),  # a second into its end
        (SIX - HOUR, SIX + timedelta(seconds=1)),  # a second into its start
        (SIX + HOUR / 2, SIX + HOUR),  # inside it
        (SIX - HOUR, SIX + 3 * HOUR),  # around it
        (SIX, SIX + 2 * HOUR),  # the same times
    ],
)
def test_shifts_that_share_a_moment_overlap(starts_at: datetime, ends_at: datetime) -> None:
    assert HOLDING.overlapping(starts_at, ends_at) == EVENING
    with pytest.raises(Conflict, match="you already hold a shift from 2026-11-30 18:00 to"):
        must_be_free(HOLDING, shift_id=uuid4(), starts_at=starts_at, ends_at=ends_at)


def test_the_shift_itself_is_no_overlap() -> None:
    must_be_free(HOLDING, shift_id=EVENING.shift_id, starts_at=SIX, ends_at=SIX + 2 * HOUR)


def place(kind: type[ShiftPlaceEvent], shift_id: UUID, volunteer_id: UUID = ME) -> ShiftPlaceEvent:
    return kind(
        shift_id=shift_id,
        volunteer_id=volunteer_id,
        branch_id="skodje",
        starts_at=SIX,
        ends_at=SIX + 2 * HOUR,
    )


def test_claims_and_promotions_of_the_volunteer_add_commitments_and_others_do_not() -> None:
    claimed, promoted, others = uuid4(), uuid4(), uuid4()
    view = fold(
        Commitments(ME),
        [
            place(ShiftClaimed, claimed),
            place(PromotedFromWaitlist, promoted),
            place(ShiftClaimed, others, volunteer_id=uuid4()),
        ],
        commitments.evolve,
    )
    assert [c.shift_id for c in view.held] == [claimed, promoted]


def test_a_release_or_a_cancellation_ends_a_commitment() -> None:
    released, cancelled = uuid4(), uuid4()
    view = fold(
        Commitments(ME),
        [
            place(ShiftClaimed, released),
            place(ShiftClaimed, cancelled),
            place(ShiftReleased, released),
            ShiftCancelled(
                shift_id=cancelled,
                branch_id="skodje",
                starts_at=SIX,
                ends_at=SIX + 2 * HOUR,
                staff_id=STAFF,
                volunteers=[ME],
                waitlisted=[],
            ),
        ],
        commitments.evolve,
    )
    assert view.held == ()
