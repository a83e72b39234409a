"""Shifts are published by staff, or proposed by the service and confirmed or withdrawn, and
cancelled before they start with everyone on them named."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    ShiftCancelled,
    ShiftProposed,
    ShiftPublished,
    ShiftRole,
    WithdrawalReason,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference
from tvers_volunteers.domain import claims, publishing, shift
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule, ProposedShift
from tvers_volunteers.testing.domain import STAFF, claimed_by, eligible, fold, free, published

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
STARTS = NOW + timedelta(days=1)
TODAY = NOW.date()


def publish(
    starts_at: datetime,
    length: timedelta = timedelta(hours=2),
    *,
    branch_known: bool = True,
) -> list[DomainEvent]:
    return publishing.publish(
        shift.NO_SHIFT,
        shift_id=uuid4(),
        branch_id="brattvag",
        branch_known=branch_known,
        starts_at=starts_at,
        ends_at=starts_at + length,
        capacity=2,
        role=ShiftRole.HOST,
        now=NOW,
    )


def proposed() -> shift.Shift:
    proposal = ProposedShift(
        "brattvag",
        STARTS,
        STARTS + timedelta(hours=2),
        DEFAULT_RULE,
        STARTS - timedelta(hours=3),
        STARTS + timedelta(hours=2),
    )
    events = publishing.propose(shift.NO_SHIFT, shift_id=uuid4(), proposal=proposal, now=NOW)
    return fold(shift.NO_SHIFT, events, shift.evolve)


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


def test_a_published_shift_says_its_role() -> None:
    [event] = publish(STARTS)
    assert isinstance(event, ShiftPublished)
    assert event.role is ShiftRole.HOST


def test_a_proposed_shift_says_it_is_proposed_and_by_which_rule() -> None:
    state = proposed()
    assert state.stage is shift.Stage.PROPOSED
    assert state.capacity == DEFAULT_RULE.hosts


def test_the_proposal_event_names_the_rule_and_the_meirope_period() -> None:
    proposal = ProposedShift(
        "brattvag",
        STARTS,
        STARTS + timedelta(hours=2),
        DEFAULT_RULE,
        STARTS - timedelta(hours=3),
        STARTS + timedelta(hours=2),
    )
    [event] = publishing.propose(shift.NO_SHIFT, shift_id=uuid4(), proposal=proposal, now=NOW)
    assert isinstance(event, ShiftProposed)
    assert (event.rule.last_minutes, event.rule.hosts) == (120, 2)
    assert event.meirope_starts_at == STARTS - timedelta(hours=3)


def test_a_shift_is_proposed_once() -> None:
    state = proposed()
    proposal = ProposedShift(
        "brattvag",
        STARTS,
        STARTS + timedelta(hours=2),
        DEFAULT_RULE,
        STARTS,
        STARTS + timedelta(hours=2),
    )
    with pytest.raises(Conflict, match="already proposed"):
        publishing.propose(state, shift_id=uuid4(), proposal=proposal, now=NOW)


def test_nobody_claims_a_proposed_shift_until_staff_confirm_it() -> None:
    state = proposed()
    volunteer = eligible(today=TODAY)
    with pytest.raises(Conflict, match="only proposed"):
        claims.claim(state, volunteer=volunteer, commitments=free(volunteer), now=NOW)
    state = fold(state, publishing.confirm(state, now=NOW), shift.evolve)
    assert state.stage is shift.Stage.PUBLISHED
    assert claims.claim(state, volunteer=volunteer, commitments=free(volunteer), now=NOW)


def test_a_proposal_that_has_started_cannot_be_confirmed() -> None:
    with pytest.raises(Conflict, match="already started"):
        publishing.confirm(proposed(), now=STARTS)


def test_only_a_proposal_is_confirmed_or_withdrawn() -> None:
    state = published(starts_at=STARTS, now=NOW)
    with pytest.raises(Conflict, match="only a proposed shift can be confirmed"):
        publishing.confirm(state, now=NOW)
    with pytest.raises(Conflict, match="only a proposed shift can be withdrawn"):
        publishing.withdraw(state, reason=WithdrawalReason.MEIROPE_PERIOD_GONE, staff_id=None)


def test_a_withdrawn_proposal_is_gone() -> None:
    state = proposed()
    events = publishing.withdraw(state, reason=WithdrawalReason.DISMISSED_BY_STAFF, staff_id=STAFF)
    state = fold(state, events, shift.evolve)
    with pytest.raises(NotFound, match="withdrawn"):
        publishing.confirm(state, now=NOW)


@pytest.mark.parametrize(
    ("reason", "staff_id"),
    [(WithdrawalReason.DISMISSED_BY_STAFF, None), (WithdrawalReason.MEIROPE_PERIOD_GONE, STAFF)],
)
def test_staff_say_who_dismissed_a_proposal_and_the_rule_does_not(
    reason: WithdrawalReason, staff_id: str | None
) -> None:
    with pytest.raises(RuleViolated, match="say who they are"):
        publishing.withdraw(proposed(), reason=reason, staff_id=staff_id)


def test_a_cancelled_shift_names_everyone_who_held_or_waited_for_a_place() -> None:
    first, second, waiting = (eligible(today=TODAY) for _ in range(3))
    state = claimed_by(published(starts_at=STARTS, now=NOW), first, second, now=NOW)
    state = fold(state, claims.join_waitlist(state, volunteer=waiting, now=NOW), shift.evolve)
    [event] = publishing.cancel(state, staff_id=STAFF, now=NOW)
    assert isinstance(event, ShiftCancelled)
    assert event.volunteers == [first.volunteer_id, second.volunteer_id]
    assert event.waitlisted == [waiting.volunteer_id]
    assert event.staff_id == STAFF
    state = fold(state, [event], shift.evolve)
    with pytest.raises(Conflict, match="cancelled"):
        claims.claim(state, volunteer=waiting, commitments=free(waiting), now=NOW)


def test_a_shift_that_has_started_cannot_be_cancelled() -> None:
    with pytest.raises(Conflict, match="has started"):
        publishing.cancel(published(starts_at=STARTS, now=NOW), staff_id=STAFF, now=STARTS)


@pytest.mark.parametrize(
    "reason", [WithdrawalReason.MEIROPE_PERIOD_GONE, WithdrawalReason.HOSTING_RULE_CHANGED]
)
def test_a_proposal_the_rule_withdrew_is_proposed_again_when_the_rule_calls_for_it_again(
    reason: WithdrawalReason,
) -> None:
    state = proposed()
    state = fold(state, publishing.withdraw(state, reason=reason, staff_id=None), shift.evolve)
    assert (state.stage, state.withdrawal) == (shift.Stage.WITHDRAWN, reason)
    assert state.shift_id is not None
    again = ProposedShift(
        "brattvag",
        STARTS,
        STARTS + timedelta(hours=2),
        HostingRule(hosts=3, minimum_hosts=2),
        STARTS - timedelta(hours=1),
        STARTS + timedelta(hours=2),
    )
    events = publishing.propose(state, shift_id=state.shift_id, proposal=again, now=NOW)
    state = fold(state, events, shift.evolve)
    assert (state.stage, state.withdrawal, state.capacity) == (shift.Stage.PROPOSED, None, 3)
    assert state.meirope == (STARTS - timedelta(hours=1), STARTS + timedelta(hours=2))


def test_a_proposal_staff_dismissed_is_never_proposed_again() -> None:
    state = proposed()
    dismissed = publishing.withdraw(
        state, reason=WithdrawalReason.DISMISSED_BY_STAFF, staff_id=STAFF
    )
    state = fold(state, dismissed, shift.evolve)
    assert state.shift_id is not None
    assert state.starts_at is not None
    assert state.ends_at is not None
    proposal = ProposedShift(
        "brattvag", state.starts_at, state.ends_at, DEFAULT_RULE, state.starts_at, state.ends_at
    )
    with pytest.raises(Conflict, match="already proposed; it is withdrawn"):
        publishing.propose(state, shift_id=state.shift_id, proposal=proposal, now=NOW)
