"""Places are claimed until full, by active volunteers (eligible ones for hosting), never
overlapping another held shift; a released place goes to the waitlist, in order, by rule."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    PromotedFromWaitlist,
    ShiftReleased,
    ShiftRole,
    WaitlistJoined,
)
from tvers_runtime.domain import Conflict, NotFound
from tvers_volunteers.domain import claims, commitments, shift, volunteer
from tvers_volunteers.domain.commitments import Commitments
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.domain.volunteer import Volunteer
from tvers_volunteers.testing.domain import (
    STAFF,
    claimed_by,
    eligible,
    fold,
    free,
    id_of,
    ids,
    published,
    registered,
)

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = NOW + timedelta(days=1)
TODAY = NOW.date()


def then(state: Shift, events: list[DomainEvent]) -> Shift:
    return fold(state, events, shift.evolve)


def full(capacity: int = 1) -> tuple[Shift, list[Volunteer]]:
    holders = [eligible(today=TODAY) for _ in range(capacity)]
    return claimed_by(
        published(starts_at=STARTS, now=NOW, capacity=capacity), *holders, now=NOW
    ), holders


def waiting(state: Shift, *who: Volunteer) -> Shift:
    for one in who:
        state = then(state, claims.join_waitlist(state, volunteer=one, now=NOW))
    return state


def test_volunteers_claim_places_until_the_shift_is_full() -> None:
    state = claimed_by(
        published(starts_at=STARTS, now=NOW, capacity=2),
        eligible(today=TODAY),
        eligible(today=TODAY),
        now=NOW,
    )
    assert state.places_left == 0
    late = eligible(today=TODAY)
    with pytest.raises(Conflict, match="full; you may join its waitlist"):
        claims.claim(state, volunteer=late, commitments=free(late), now=NOW)


def test_a_volunteer_claims_a_shift_once() -> None:
    one = eligible(today=TODAY)
    state = claimed_by(published(starts_at=STARTS, now=NOW), one, now=NOW)
    with pytest.raises(Conflict, match="already"):
        claims.claim(state, volunteer=one, commitments=free(one), now=NOW)


def test_a_shift_that_is_over_cannot_be_claimed() -> None:
    one = eligible(today=TODAY)
    state = published(starts_at=STARTS, now=NOW)
    with pytest.raises(Conflict, match="over"):
        claims.claim(state, volunteer=one, commitments=free(one), now=STARTS + timedelta(hours=3))


def test_a_shift_in_progress_can_still_be_claimed() -> None:
    one = eligible(today=TODAY)
    state = published(starts_at=STARTS, now=NOW)
    assert claims.claim(
        state, volunteer=one, commitments=free(one), now=STARTS + timedelta(hours=1)
    )


def test_an_unknown_shift_cannot_be_claimed() -> None:
    one = eligible(today=TODAY)
    with pytest.raises(NotFound):
        claims.claim(shift.NO_SHIFT, volunteer=one, commitments=free(one), now=NOW)


def test_only_an_eligible_volunteer_claims_a_hosting_shift() -> None:
    newcomer = registered(today=TODAY)
    with pytest.raises(Conflict, match="only eligible volunteers may host: no police certificate"):
        claims.claim(
            published(starts_at=STARTS, now=NOW),
            volunteer=newcomer,
            commitments=free(newcomer),
            now=NOW,
        )


def test_a_volunteer_not_yet_eligible_may_help_on_a_helper_shift() -> None:
    newcomer = registered(today=TODAY)
    state = published(starts_at=STARTS, now=NOW, role=ShiftRole.HELPER)
    assert claims.claim(state, volunteer=newcomer, commitments=free(newcomer), now=NOW)


def test_a_deactivated_volunteer_claims_nothing() -> None:
    one = registered(today=TODAY)
    one = fold(one, volunteer.deactivate(one, staff_id=STAFF), volunteer.evolve)
    state = published(starts_at=STARTS, now=NOW, role=ShiftRole.HELPER)
    with pytest.raises(Conflict, match="deactivated"):
        claims.claim(state, volunteer=one, commitments=free(one), now=NOW)


def test_an_erased_or_unknown_volunteer_claims_nothing() -> None:
    one = eligible(today=TODAY)
    erased = fold(one, volunteer.erase(one), volunteer.evolve)
    state = published(starts_at=STARTS, now=NOW)
    for nobody in (erased, volunteer.NO_VOLUNTEER):
        with pytest.raises(NotFound, match="no such volunteer"):
            claims.claim(state, volunteer=nobody, commitments=Commitments(), now=NOW)


def test_a_claim_overlapping_a_held_shift_is_refused() -> None:
    one = eligible(today=TODAY)
    first = published(starts_at=STARTS, now=NOW)
    events = claims.claim(first, volunteer=one, commitments=free(one), now=NOW)
    held = fold(free(one), events, commitments.evolve)
    overlapping = published(starts_at=STARTS + timedelta(hours=1), now=NOW)
    with pytest.raises(Conflict, match="overlaps"):
        claims.claim(overlapping, volunteer=one, commitments=held, now=NOW)


def test_a_shift_right_after_a_held_one_can_be_claimed() -> None:
    one = eligible(today=TODAY)
    first = published(starts_at=STARTS, now=NOW)
    held = fold(
        free(one),
        claims.claim(first, volunteer=one, commitments=free(one), now=NOW),
        commitments.evolve,
    )
    next_one = published(starts_at=STARTS + timedelta(hours=2), now=NOW)
    assert claims.claim(next_one, volunteer=one, commitments=held, now=NOW)


def test_capacity_is_never_exceeded_whatever_the_order_of_claims_and_releases() -> None:
    state = published(starts_at=STARTS, now=NOW, capacity=3)
    everyone = [eligible(today=TODAY) for _ in range(8)]
    for one in everyone:
        try:
            state = then(state, claims.claim(state, volunteer=one, commitments=free(one), now=NOW))
        except Conflict:
            state = then(state, claims.join_waitlist(state, volunteer=one, now=NOW))
        assert len(state.volunteers) <= state.capacity
    able = {id_of(one) for one in everyone}
    for holder in list(state.volunteers):
        state = then(state, claims.release(state, volunteer_id=holder, able=able, now=NOW))
        assert len(state.volunteers) == state.capacity
    assert len(set(state.volunteers)) == len(state.volunteers)


def test_a_full_shift_can_be_waited_for_but_not_one_with_a_free_place() -> None:
    state = published(starts_at=STARTS, now=NOW, capacity=1)
    one = eligible(today=TODAY)
    with pytest.raises(Conflict, match="free place: claim it"):
        claims.join_waitlist(state, volunteer=one, now=NOW)
    state, _ = full()
    assert claims.join_waitlist(state, volunteer=one, now=NOW) == [
        WaitlistJoined(shift_id=state.shift_id, volunteer_id=id_of(one))
    ]


def test_a_volunteer_waits_once_and_not_for_a_place_they_hold() -> None:
    state, [holder] = full()
    one = eligible(today=TODAY)
    state = waiting(state, one)
    with pytest.raises(Conflict, match="already on this shift's waitlist"):
        claims.join_waitlist(state, volunteer=one, now=NOW)
    with pytest.raises(Conflict, match="already hold a place"):
        claims.join_waitlist(state, volunteer=holder, now=NOW)


def test_only_an_eligible_volunteer_waits_for_a_hosting_place() -> None:
    state, _ = full()
    with pytest.raises(Conflict, match="only eligible"):
        claims.join_waitlist(state, volunteer=registered(today=TODAY), now=NOW)


def test_a_released_place_goes_to_the_first_on_the_waitlist_in_the_same_decision() -> None:
    state, [holder] = full()
    first, second = eligible(today=TODAY), eligible(today=TODAY)
    state = waiting(state, first, second)
    events = claims.release(
        state,
        volunteer_id=id_of(holder),
        able={id_of(first), id_of(second)},
        now=NOW,
    )
    assert [type(e) for e in events] == [ShiftReleased, PromotedFromWaitlist]
    assert ids(events) == [id_of(holder), id_of(first)]
    state = then(state, events)
    assert state.volunteers == (id_of(first),)
    assert state.waitlist == (id_of(second),)


def test_places_go_to_the_waitlist_in_the_order_they_joined() -> None:
    state, holders = full(capacity=3)
    waiters = [eligible(today=TODAY) for _ in range(3)]
    state = waiting(state, *waiters)
    able = {id_of(w) for w in waiters}
    promoted = []
    for holder in reversed(holders):
        events = claims.release(state, volunteer_id=id_of(holder), able=able, now=NOW)
        promoted += [e.volunteer_id for e in events if isinstance(e, PromotedFromWaitlist)]
        state = then(state, events)
    assert promoted == [id_of(w) for w in waiters]


def test_a_waiting_volunteer_who_cannot_take_the_place_now_keeps_their_turn() -> None:
    state, [holder] = full()
    busy, next_one = eligible(today=TODAY), eligible(today=TODAY)
    state = waiting(state, busy, next_one)
    events = claims.release(state, volunteer_id=id_of(holder), able={id_of(next_one)}, now=NOW)
    assert ids(events) == [id_of(holder), id_of(next_one)]
    assert then(state, events).waitlist == (id_of(busy),)


def test_may_take_tells_who_of_the_waiting_can_take_a_place() -> None:
    state, _ = full()
    fine, deactivated, busy = eligible(today=TODAY), eligible(today=TODAY), eligible(today=TODAY)
    deactivated = fold(
        deactivated, volunteer.deactivate(deactivated, staff_id=STAFF), volunteer.evolve
    )
    other = published(starts_at=STARTS - timedelta(hours=1), now=NOW)
    held = fold(
        free(busy),
        claims.claim(other, volunteer=busy, commitments=free(busy), now=NOW),
        commitments.evolve,
    )
    assert claims.may_take(state, fine, free(fine))
    assert not claims.may_take(state, deactivated, free(deactivated))
    assert not claims.may_take(state, busy, held)


def test_a_release_with_nobody_waiting_frees_the_place() -> None:
    state, [holder] = full()
    events = claims.release(state, volunteer_id=id_of(holder), able=set(), now=NOW)
    assert [type(e) for e in events] == [ShiftReleased]
    assert then(state, events).places_left == 1


def test_only_a_holder_releases_and_only_before_the_start() -> None:
    state, [holder] = full()
    with pytest.raises(NotFound, match="no place"):
        claims.release(state, volunteer_id=uuid4(), able=set(), now=NOW)
    with pytest.raises(Conflict, match="has started"):
        claims.release(state, volunteer_id=id_of(holder), able=set(), now=STARTS)


def test_a_volunteer_leaves_a_waitlist_they_are_on() -> None:
    state, _ = full()
    one = eligible(today=TODAY)
    with pytest.raises(NotFound, match="not on this shift's waitlist"):
        claims.leave_waitlist(state, volunteer_id=id_of(one))
    state = waiting(state, one)
    state = then(state, claims.leave_waitlist(state, volunteer_id=id_of(one)))
    assert state.waitlist == ()


def test_a_waiting_volunteer_who_claims_a_freed_place_stops_waiting() -> None:
    state, [holder] = full()
    one = eligible(today=TODAY)
    state = waiting(state, one)
    state = then(state, claims.release(state, volunteer_id=id_of(holder), able=set(), now=NOW))
    state = then(state, claims.claim(state, volunteer=one, commitments=free(one), now=NOW))
    assert (state.volunteers, state.waitlist) == ((id_of(one),), ())


def test_claim_or_wait_takes_a_free_place_and_waits_for_a_full_shift() -> None:
    state = published(starts_at=STARTS, now=NOW, capacity=1)
    first, second, third = (eligible(today=TODAY) for _ in range(3))
    for one in (first, second, third):
        state = then(
            state, claims.claim_or_wait(state, volunteer=one, commitments=free(one), now=NOW)
        )
    assert state.volunteers == (id_of(first),)
    assert state.waitlist == (id_of(second), id_of(third))


def test_claim_or_wait_still_refuses_a_place_already_held() -> None:
    state, (holder,) = full()
    with pytest.raises(Conflict, match="already claimed"):
        claims.claim_or_wait(state, volunteer=holder, commitments=free(holder), now=NOW)
