"""What the clock makes due on a shift, decided from (shift, now) alone and emitted once: the
forgotten check-out closed by rule at the shift's end, no-shows, and reminders the day before."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    NoShowRecorded,
    ShiftReminderIssued,
    VolunteerCheckedOut,
)
from tvers_volunteers.domain import attendance, claims, publishing, shift, time_driven, windows
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.testing.domain import (
    STAFF,
    claimed_by,
    eligible,
    fold,
    id_of,
    ids,
    oslo,
    published,
)

DAY = date(2026, 12, 1)
STARTS = oslo(DAY, "18:00")
ENDS = oslo(DAY, "20:00")
MIDNIGHT = oslo(DAY + timedelta(days=1), "00:00")
BEFORE = oslo(DAY - timedelta(days=3), "09:00")
MINUTE = timedelta(minutes=1)


def then(state: Shift, events: list[DomainEvent]) -> Shift:
    return fold(state, events, shift.evolve)


def evening(holders: int = 2, starts_at: datetime = STARTS) -> tuple[Shift, list[UUID]]:
    who = [eligible(today=BEFORE.date()) for _ in range(holders)]
    state = claimed_by(published(starts_at=starts_at, now=BEFORE), *who, now=BEFORE)
    return state, [id_of(v) for v in who]


def checked_in(state: Shift, *who: UUID, at: datetime = STARTS) -> Shift:
    for one in who:
        state = then(state, attendance.check_in(state, volunteer_id=one, now=at))
        at += MINUTE
    return state


def test_a_forgotten_check_out_is_closed_by_rule_at_the_shifts_end_once_the_day_is_over() -> None:
    state, [me, _] = evening()
    state = checked_in(state, me)
    assert time_driven.close_forgotten_check_outs(state, now=MIDNIGHT - MINUTE) == []
    [event] = time_driven.close_forgotten_check_outs(state, now=MIDNIGHT)
    assert isinstance(event, VolunteerCheckedOut)
    assert (event.volunteer_id, event.checked_in_at, event.checked_out_at) == (me, STARTS, ENDS)
    assert event.closed_by_rule
    assert event.present == []
    state = then(state, [event])
    assert state.time_served() == {me: timedelta(hours=2)}
    assert time_driven.close_forgotten_check_outs(state, now=MIDNIGHT + MINUTE) == []


def test_each_forgotten_check_out_is_closed_in_check_in_order_with_those_left_present() -> None:
    state, [first, second] = evening()
    state = checked_in(state, first, second)
    events = time_driven.close_forgotten_check_outs(state, now=MIDNIGHT)
    assert ids(events) == [first, second]
    assert isinstance(events[0], VolunteerCheckedOut)
    assert [h.volunteer_id for h in events[0].present] == [second]


def test_a_claimed_volunteer_who_never_checked_in_by_the_end_is_a_no_show() -> None:
    state, [came, stayed_away] = evening()
    state = checked_in(state, came)
    assert time_driven.no_shows(state, now=ENDS - MINUTE) == []
    [event] = time_driven.no_shows(state, now=ENDS)
    assert isinstance(event, NoShowRecorded)
    assert event.volunteer_id == stayed_away
    state = then(state, [event])
    assert time_driven.no_shows(state, now=ENDS + MINUTE) == []


def test_a_volunteer_who_checked_in_and_out_is_no_no_show() -> None:
    state, [me] = evening(holders=1)
    state = checked_in(state, me)
    state = then(state, attendance.check_out(state, volunteer_id=me, now=ENDS - MINUTE))
    assert time_driven.no_shows(state, now=ENDS) == []


def test_a_released_place_is_no_no_show() -> None:
    state, [me] = evening(holders=1)
    state = then(state, claims.release(state, volunteer_id=me, able=set(), now=BEFORE))
    assert time_driven.no_shows(state, now=ENDS) == []


def test_the_reminder_falls_due_at_noon_the_day_before_for_each_holder_once() -> None:
    state, holders = evening()
    noon = oslo(DAY - timedelta(days=1), "12:00")
    assert windows.reminder_due(STARTS) == noon
    assert time_driven.reminders(state, now=noon - MINUTE) == []
    events = time_driven.reminders(state, now=noon)
    assert all(isinstance(e, ShiftReminderIssued) for e in events)
    assert ids(events) == holders
    state = then(state, events)
    assert time_driven.reminders(state, now=noon + MINUTE) == []


def test_a_place_taken_after_the_reminders_went_out_gets_one_at_once() -> None:
    noon = oslo(DAY - timedelta(days=1), "12:00")
    state, _ = evening(holders=1)
    state = then(state, time_driven.reminders(state, now=noon))
    late = eligible(today=BEFORE.date())
    state = claimed_by(state, late, now=noon + timedelta(hours=3))
    assert ids(time_driven.reminders(state, now=noon + timedelta(hours=3))) == [id_of(late)]


def test_no_reminder_once_the_shift_has_started() -> None:
    state, _ = evening()
    assert time_driven.reminders(state, now=STARTS) == []


@pytest.mark.parametrize(
    ("shift_day", "reminder_utc"),
    [
        (date(2026, 3, 29), datetime(2026, 3, 28, 11, tzinfo=UTC)),  # spring-forward Sunday
        (date(2026, 3, 30), datetime(2026, 3, 29, 10, tzinfo=UTC)),  # the day after it
        (date(2026, 10, 25), datetime(2026, 10, 24, 10, tzinfo=UTC)),  # fall-back Sunday
        (date(2026, 10, 26), datetime(2026, 10, 25, 11, tzinfo=UTC)),  # the day after it
    ],
)
def test_the_reminder_is_at_noon_oslo_time_across_daylight_saving_changes(
    shift_day: date, reminder_utc: datetime
) -> None:
    assert windows.reminder_due(oslo(shift_day, "18:00")) == reminder_utc


def test_a_shift_just_after_midnight_is_reminded_at_noon_the_date_before() -> None:
    assert windows.reminder_due(oslo(DAY, "00:30")) == oslo(DAY - timedelta(days=1), "12:00")


def test_deciding_everything_due_after_the_night_gives_each_event_once() -> None:
    state, [came, stayed_away] = evening()
    state = then(state, time_driven.reminders(state, now=oslo(DAY, "09:00")))
    state = checked_in(state, came)
    events = time_driven.due(state, now=MIDNIGHT)
    assert [type(e) for e in events] == [VolunteerCheckedOut, NoShowRecorded]
    assert ids(events) == [came, stayed_away]
    state = then(state, events)
    assert time_driven.due(state, now=MIDNIGHT) == []
    assert time_driven.due(state, now=MIDNIGHT + timedelta(days=3)) == []


def test_nothing_falls_due_on_a_cancelled_shift() -> None:
    state, _ = evening()
    state = then(state, publishing.cancel(state, staff_id=STAFF, now=BEFORE))
    assert time_driven.due(state, now=MIDNIGHT) == []
    assert time_driven.next_due(state, now=BEFORE) is None


def test_the_scheduler_knows_when_to_look_again() -> None:
    state, _ = evening()
    noon = oslo(DAY - timedelta(days=1), "12:00")
    assert time_driven.next_due(state, now=BEFORE) == noon
    assert time_driven.next_due(state, now=noon) == ENDS
    assert time_driven.next_due(state, now=ENDS) == MIDNIGHT
    assert time_driven.next_due(state, now=MIDNIGHT) is None
