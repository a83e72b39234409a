"""Who is told what by mail: a reminder to the volunteer it names, a cancellation to everyone who
held a place and everyone waiting, each once, and nothing once the shift has started."""

from datetime import date, timedelta
from uuid import uuid4

from tvers_contracts.events.volunteers import ShiftCancelled, ShiftClaimed, ShiftReminderIssued
from tvers_volunteers.domain.notices import Notice, notices, worth_sending
from tvers_volunteers.testing.domain import STAFF, oslo

DAY = date(2026, 12, 7)
STARTS = oslo(DAY, "18:00")
ENDS = oslo(DAY, "20:00")
SHIFT = {"shift_id": uuid4(), "branch_id": "skodje", "starts_at": STARTS, "ends_at": ENDS}


def test_a_reminder_tells_the_volunteer_it_names() -> None:
    volunteer = uuid4()
    [notice] = notices(ShiftReminderIssued(**SHIFT, volunteer_id=volunteer))
    assert (notice.notice, notice.volunteer_id) == (Notice.REMINDER, volunteer)
    assert (notice.branch_id, notice.starts_at, notice.ends_at) == ("skodje", STARTS, ENDS)


def test_a_cancellation_tells_every_holder_and_every_waiter_once_each() -> None:
    holders, waiting = [uuid4(), uuid4()], [uuid4(), uuid4(), uuid4()]
    event = ShiftCancelled(
        **SHIFT, staff_id=STAFF, volunteers=holders, waitlisted=[*waiting, holders[0]]
    )
    told = [(n.notice, n.volunteer_id) for n in notices(event)]
    assert told == [(Notice.CANCELLED_PLACE, v) for v in holders] + [
        (Notice.CANCELLED_WAITING, v) for v in waiting
    ]


def test_a_cancellation_of_a_shift_nobody_was_on_tells_nobody() -> None:
    assert notices(ShiftCancelled(**SHIFT, staff_id=STAFF, volunteers=[], waitlisted=[])) == []


def test_other_events_call_for_no_mail() -> None:
    assert notices(ShiftClaimed(**SHIFT, volunteer_id=uuid4())) == []


def test_a_notice_is_worth_sending_only_until_the_shift_starts() -> None:
    assert worth_sending(STARTS, now=STARTS - timedelta(seconds=1))
    assert not worth_sending(STARTS, now=STARTS)
    assert not worth_sending(STARTS, now=ENDS)
