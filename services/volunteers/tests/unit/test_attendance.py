"""Check-in only near the shift's time by a volunteer holding a place, check-out until the day
is over, each listing who is present after it; hours from check-in to check-out, and staff
corrections that replace them with an audit trail."""

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    CorrectionReason,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain import attendance, publishing, shift, windows
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.testing.domain import (
    STAFF,
    claimed_by,
    eligible,
    fold,
    id_of,
    oslo,
    published,
)

DAY = date(2026, 12, 1)
STARTS = oslo(DAY, "18:00")
ENDS = oslo(DAY, "20:00")
BEFORE = oslo(DAY - timedelta(days=2), "12:00")
MINUTE = timedelta(minutes=1)


def then(state: Shift, events: list[DomainEvent]) -> Shift:
    return fold(state, events, shift.evolve)


def evening(holders: int = 2) -> tuple[Shift, list[UUID]]:
    who = [eligible(today=BEFORE.date()) for _ in range(holders)]
    return claimed_by(published(starts_at=STARTS, now=BEFORE), *who, now=BEFORE), [
        id_of(v) for v in who
    ]


@pytest.mark.parametrize(
    "at", [STARTS - windows.CHECK_IN_OPENS_BEFORE, STARTS, ENDS - timedelta(microseconds=1)]
)
def test_check_in_is_open_from_half_an_hour_before_the_start_until_the_end(at: datetime) -> None:
    state, [me, _] = evening()
    [event] = attendance.check_in(state, volunteer_id=me, now=at)
    assert isinstance(event, VolunteerCheckedIn)
    assert event.checked_in_at == at


def test_check_in_before_the_window_says_when_it_opens() -> None:
    state, [me, _] = evening()
    at = STARTS - windows.CHECK_IN_OPENS_BEFORE - MINUTE
    with pytest.raises(Conflict, match="check-in opens at 2026-12-01 17:30"):
        attendance.check_in(state, volunteer_id=me, now=at)


def test_check_in_at_the_end_is_too_late() -> None:
    state, [me, _] = evening()
    with pytest.raises(Conflict, match="over"):
        attendance.check_in(state, volunteer_id=me, now=ENDS)


def test_only_a_volunteer_holding_a_place_checks_in() -> None:
    state, _ = evening()
    with pytest.raises(Conflict, match="no place"):
        attendance.check_in(state, volunteer_id=uuid4(), now=STARTS)


def test_a_volunteer_checks_in_once_per_shift() -> None:
    state, [me, _] = evening()
    state = then(state, attendance.check_in(state, volunteer_id=me, now=STARTS))
    with pytest.raises(Conflict, match="already checked in"):
        attendance.check_in(state, volunteer_id=me, now=STARTS)
    state = then(state, attendance.check_out(state, volunteer_id=me, now=ENDS))
    with pytest.raises(Conflict, match="already checked in"):
        attendance.check_in(state, volunteer_id=me, now=ENDS - MINUTE)


def test_each_check_in_and_check_out_lists_everyone_present_after_it() -> None:
    state, [me, other] = evening()
    [first] = attendance.check_in(state, volunteer_id=me, now=STARTS - MINUTE)
    state = then(state, [first])
    [second] = attendance.check_in(state, volunteer_id=other, now=STARTS)
    state = then(state, [second])
    [gone] = attendance.check_out(state, volunteer_id=me, now=ENDS)
    assert isinstance(first, VolunteerCheckedIn)
    assert isinstance(second, VolunteerCheckedIn)
    assert isinstance(gone, VolunteerCheckedOut)
    assert [h.volunteer_id for h in first.present] == [me]
    assert [(h.volunteer_id, h.checked_in_at) for h in second.present] == [
        (me, STARTS - MINUTE),
        (other, STARTS),
    ]
    assert [h.volunteer_id for h in gone.present] == [other]
    assert not gone.closed_by_rule


def test_hours_run_from_check_in_to_check_out() -> None:
    state, [me, _] = evening()
    state = then(state, attendance.check_in(state, volunteer_id=me, now=STARTS - 10 * MINUTE))
    assert state.time_served() == {}
    state = then(state, attendance.check_out(state, volunteer_id=me, now=ENDS + 5 * MINUTE))
    assert state.time_served() == {me: timedelta(hours=2, minutes=15)}


def test_check_out_stays_open_until_the_day_is_over() -> None:
    state, [me, _] = evening()
    state = then(state, attendance.check_in(state, volunteer_id=me, now=STARTS))
    midnight = oslo(DAY + timedelta(days=1), "00:00")
    assert windows.check_out_closes(ENDS) == midnight
    assert attendance.check_out(state, volunteer_id=me, now=midnight - MINUTE)
    with pytest.raises(Conflict, match="check-out closed at 2026-12-02 00:00"):
        attendance.check_out(state, volunteer_id=me, now=midnight)


@pytest.mark.parametrize(
    ("ends", "closes"),
    [
        (oslo(DAY, "23:30"), oslo(DAY, "23:30") + windows.CHECK_OUT_GRACE),
        (oslo(DAY + timedelta(days=1), "00:00"), oslo(DAY + timedelta(days=1), "01:00")),
        (oslo(DAY, "12:00"), oslo(DAY + timedelta(days=1), "00:00")),
    ],
)
def test_check_out_closes_at_midnight_and_at_least_an_hour_after_the_end(
    ends: datetime, closes: datetime
) -> None:
    assert windows.check_out_closes(ends) == closes


def test_one_not_checked_in_cannot_check_out() -> None:
    state, [me, _] = evening()
    with pytest.raises(Conflict, match="not checked in"):
        attendance.check_out(state, volunteer_id=me, now=ENDS)


def test_a_shift_with_a_host_checked_in_cannot_be_cancelled() -> None:
    state, [me, _] = evening()
    early = STARTS - 10 * MINUTE
    state = then(state, attendance.check_in(state, volunteer_id=me, now=early))
    with pytest.raises(Conflict, match="checked in"):
        publishing.cancel(state, staff_id=STAFF, now=early)


def correct(
    state: Shift,
    volunteer_id: UUID,
    *,
    checked_in_at: datetime = STARTS,
    checked_out_at: datetime = ENDS,
    reason: CorrectionReason = CorrectionReason.FORGOT_CHECK_IN,
    now: datetime = ENDS + timedelta(days=1),
) -> list[DomainEvent]:
    return attendance.correct(
        state,
        volunteer_id=volunteer_id,
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        staff_id=STAFF,
        reason=reason,
        now=now,
    )


def test_a_staff_correction_replaces_the_hours_and_says_who_and_why() -> None:
    state, [me, _] = evening()
    state = then(state, attendance.check_in(state, volunteer_id=me, now=STARTS))
    state = then(state, attendance.check_out(state, volunteer_id=me, now=STARTS + 10 * MINUTE))
    [event] = correct(state, me, reason=CorrectionReason.WRONG_TIME)
    assert isinstance(event, AttendanceCorrected)
    assert (event.staff_id, event.reason) == (STAFF, CorrectionReason.WRONG_TIME)
    state = then(state, [event])
    assert state.time_served() == {me: timedelta(hours=2)}
    served = state.served_by(me)
    assert served is not None
    assert served.corrected


def test_a_volunteer_who_forgot_to_check_in_gets_hours_by_correction() -> None:
    state, [me, _] = evening()
    state = then(state, correct(state, me))
    assert state.time_served() == {me: timedelta(hours=2)}


def test_did_not_attend_means_no_time_and_no_time_means_did_not_attend() -> None:
    state, [me, _] = evening()
    state = then(
        state, correct(state, me, checked_out_at=STARTS, reason=CorrectionReason.DID_NOT_ATTEND)
    )
    assert state.time_served() == {me: timedelta(0)}
    with pytest.raises(RuleViolated, match="did not attend"):
        correct(state, me, checked_out_at=STARTS)
    with pytest.raises(RuleViolated, match="did not attend"):
        correct(state, me, reason=CorrectionReason.DID_NOT_ATTEND)


def test_hours_are_not_corrected_while_the_volunteer_is_checked_in() -> None:
    state, [me, _] = evening()
    state = then(state, attendance.check_in(state, volunteer_id=me, now=STARTS))
    with pytest.raises(Conflict, match="after the check-out"):
        correct(state, me, now=ENDS)


def test_only_a_volunteer_who_was_on_the_shift_gets_corrected_hours() -> None:
    state, _ = evening()
    with pytest.raises(NotFound, match="held no place"):
        correct(state, uuid4())


LATER = ENDS + timedelta(days=1)


@pytest.mark.parametrize(
    ("checked_in_at", "checked_out_at", "now", "says"),
    [
        (ENDS, STARTS, LATER, "before its check-in"),
        (STARTS, ENDS, ENDS - MINUTE, "future"),
        (STARTS - timedelta(hours=12, minutes=1), ENDS, LATER, "within 12 hours"),
        (STARTS, ENDS + timedelta(hours=12, minutes=1), LATER, "within 12 hours"),
    ],
)
def test_corrected_times_are_sane(
    checked_in_at: datetime, checked_out_at: datetime, now: datetime, says: str
) -> None:
    state, [me, _] = evening()
    with pytest.raises(RuleViolated, match=says):
        correct(state, me, checked_in_at=checked_in_at, checked_out_at=checked_out_at, now=now)
