"""What the service does about a branch's proposals as its schedule, its rule and the shifts
there change: each window the rule calls for is proposed once; a proposal whose meirope period is
gone, or that the rule no longer calls for, is withdrawn (unless staff confirmed it) and the new
window proposed; what staff decided stays decided."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.events.volunteers import ShiftRole, WithdrawalReason
from tvers_contracts.schedule import Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.branch_schedules import hours as branch_hours
from tvers_volunteers.domain import publishing, shift
from tvers_volunteers.domain.proposal_plan import Plan, plan
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule
from tvers_volunteers.domain.shift import Shift, Stage
from tvers_volunteers.testing.domain import STAFF, fold, oslo, published

TENANT, BRANCH = "1508", "skodje"
MONDAY = date(2026, 11, 30)
TUESDAY = MONDAY + timedelta(days=1)
SUNDAY = MONDAY + timedelta(days=6)
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
GONE, CHANGED = WithdrawalReason.MEIROPE_PERIOD_GONE, WithdrawalReason.HOSTING_RULE_CHANGED


def tuesday_evenings(starts: str = "17:00", ends: str = "21:00") -> SchedulePeriod:
    return SchedulePeriod(weekday=2, starts=starts, ends=ends, kind=OpeningKind.MEIROPE)


def schedule(periods: Sequence[SchedulePeriod], *more: DomainEvent) -> Schedule:
    events = [WeeklyScheduleSet(branch_id=BRANCH, periods=list(periods)), *more]
    return fold(branch_hours.NO_HOURS, events, branch_hours.evolve).schedule()


def closed(day: date) -> ScheduleExceptionSet:
    return ScheduleExceptionSet(branch_id=BRANCH, date=day, periods=[], label="Stengt")


def planned(
    sched: Schedule,
    shifts: Sequence[Shift] = (),
    *,
    rule: HostingRule = DEFAULT_RULE,
    first: date = MONDAY,
    last: date = SUNDAY,
    now: datetime = NOW,
) -> Plan:
    return plan(TENANT, BRANCH, sched, rule, shifts, first=first, last=last, now=now)


def carried_out(done: Plan, shifts: Sequence[Shift] = (), *, now: datetime = NOW) -> list[Shift]:
    """The shifts after the plan: its withdrawals, then its proposals (on their own streams)."""
    by_id = {s.shift_id: s for s in shifts}
    for withdrawal in done.withdraw:
        state = by_id[withdrawal.shift_id]
        events = publishing.withdraw(state, reason=withdrawal.reason, staff_id=None)
        by_id[withdrawal.shift_id] = fold(state, events, shift.evolve)
    for new in done.propose:
        state = by_id.get(new.shift_id, shift.NO_SHIFT)
        events = publishing.propose(state, shift_id=new.shift_id, proposal=new.proposal, now=now)
        by_id[new.shift_id] = fold(state, events, shift.evolve)
    return list(by_id.values())


def windows(done: Plan) -> list[tuple[datetime, datetime, int]]:
    return [(n.proposal.starts_at, n.proposal.ends_at, n.proposal.rule.hosts) for n in done.propose]


def test_each_window_the_rule_calls_for_is_proposed_once() -> None:
    sched = schedule([tuesday_evenings()])
    first = planned(sched)
    assert windows(first) == [(oslo(TUESDAY, "19:00"), oslo(TUESDAY, "21:00"), 2)]
    assert first.withdraw == []
    assert planned(sched, carried_out(first)) == Plan([], [])


def test_a_proposal_whose_day_is_closed_is_withdrawn_as_its_period_is_gone() -> None:
    shifts = carried_out(planned(schedule([tuesday_evenings()])))
    done = planned(schedule([tuesday_evenings()], closed(TUESDAY)), shifts)
    assert [(w.shift_id, w.reason) for w in done.withdraw] == [(shifts[0].shift_id, GONE)]
    assert done.propose == []


def test_a_longer_period_withdraws_the_old_window_and_proposes_the_new_one() -> None:
    shifts = carried_out(planned(schedule([tuesday_evenings()])))
    done = planned(schedule([tuesday_evenings(ends="22:00")]), shifts)
    assert [w.reason for w in done.withdraw] == [GONE]
    assert windows(done) == [(oslo(TUESDAY, "20:00"), oslo(TUESDAY, "22:00"), 2)]


def test_a_changed_rule_withdraws_the_proposals_it_no_longer_calls_for() -> None:
    sched = schedule([tuesday_evenings()])
    shifts = carried_out(planned(sched))
    shorter = HostingRule(last_minutes=60, hosts=2, minimum_hosts=1)
    done = planned(sched, shifts, rule=shorter)
    assert [w.reason for w in done.withdraw] == [CHANGED]
    assert windows(done) == [(oslo(TUESDAY, "20:00"), oslo(TUESDAY, "21:00"), 2)]


def test_more_hosts_for_the_same_window_propose_it_again_on_its_own_stream() -> None:
    sched = schedule([tuesday_evenings()])
    shifts = carried_out(planned(sched))
    more = HostingRule(last_minutes=120, hosts=3, minimum_hosts=2)
    done = planned(sched, shifts, rule=more)
    assert [(w.shift_id, w.reason) for w in done.withdraw] == [(shifts[0].shift_id, CHANGED)]
    assert [n.shift_id for n in done.propose] == [shifts[0].shift_id]
    [again] = carried_out(done, shifts)
    assert (again.stage, again.capacity) == (Stage.PROPOSED, 3)
    assert planned(sched, [again], rule=more) == Plan([], [])


def test_a_proposal_is_made_again_when_its_period_comes_back() -> None:
    sched = schedule([tuesday_evenings()])
    shifts = carried_out(planned(sched))
    shut = schedule([tuesday_evenings()], closed(TUESDAY))
    shifts = carried_out(planned(shut, shifts), shifts)
    assert [s.stage for s in shifts] == [Stage.WITHDRAWN]
    reopened = schedule(
        [tuesday_evenings()],
        closed(TUESDAY),
        ScheduleExceptionRemoved(branch_id=BRANCH, date=TUESDAY),
    )
    done = planned(reopened, shifts)
    assert [n.shift_id for n in done.propose] == [shifts[0].shift_id]
    assert [s.stage for s in carried_out(done, shifts)] == [Stage.PROPOSED]


def test_a_confirmed_proposal_is_staffs_and_stays_when_its_period_is_gone() -> None:
    [proposal] = carried_out(planned(schedule([tuesday_evenings()])))
    confirmed = fold(proposal, publishing.confirm(proposal, now=NOW), shift.evolve)
    done = planned(schedule([tuesday_evenings(ends="22:00")]), [confirmed])
    assert done == Plan([], [])  # and the new window overlaps it: nothing proposed


def test_a_dismissed_proposal_stays_dismissed_but_keeps_no_new_window_from_being_proposed() -> None:
    [proposal] = carried_out(planned(schedule([tuesday_evenings()])))
    dismissed = fold(
        proposal,
        publishing.withdraw(proposal, reason=WithdrawalReason.DISMISSED_BY_STAFF, staff_id=STAFF),
        shift.evolve,
    )
    assert planned(schedule([tuesday_evenings()]), [dismissed]) == Plan([], [])
    later = planned(schedule([tuesday_evenings(ends="22:00")]), [dismissed])
    assert windows(later) == [(oslo(TUESDAY, "20:00"), oslo(TUESDAY, "22:00"), 2)]


def test_a_hosting_shift_staff_published_or_cancelled_there_leaves_nothing_to_propose() -> None:
    sched = schedule([tuesday_evenings()])

    def staffs(role: ShiftRole = ShiftRole.HOST, branch_id: str = BRANCH) -> Shift:
        starts_at = oslo(TUESDAY, "20:00")
        length = timedelta(hours=1)
        return published(
            starts_at=starts_at, now=NOW, length=length, role=role, branch_id=branch_id
        )

    hosting = staffs()
    assert planned(sched, [hosting]).propose == []
    cancelled = fold(hosting, publishing.cancel(hosting, staff_id=STAFF, now=NOW), shift.evolve)
    assert planned(sched, [cancelled]).propose == []
    assert len(planned(sched, [staffs(role=ShiftRole.HELPER)]).propose) == 1  # hosts nothing
    assert len(planned(sched, [staffs(branch_id="brattvag")]).propose) == 1  # elsewhere


def test_proposals_that_have_started_or_lie_beyond_the_dates_looked_at_are_left() -> None:
    sched = schedule([tuesday_evenings()])
    shifts = carried_out(planned(sched))
    shut = schedule([tuesday_evenings()], closed(TUESDAY))
    assert planned(shut, shifts, now=oslo(TUESDAY, "19:00")).withdraw == []
    assert planned(shut, shifts, first=MONDAY, last=MONDAY).withdraw == []


def test_the_night_the_clocks_go_back_is_proposed_once_and_stands() -> None:
    fall_back = date(2026, 10, 24)  # Saturday night: 03:00 CEST becomes 02:00 CET
    night = SchedulePeriod(weekday=6, starts="22:00", ends="04:00", kind=OpeningKind.MEIROPE)
    exception = ScheduleExceptionSet(
        branch_id=BRANCH,
        date=fall_back + timedelta(days=7),
        periods=[DayPeriod(starts="20:00", ends="00:00", kind=OpeningKind.MEIROPE)],
    )
    sched = schedule([night], exception)
    now = datetime(2026, 10, 20, tzinfo=UTC)
    first = planned(sched, now=now, first=fall_back, last=fall_back + timedelta(days=7))
    sunday, next_saturday = fall_back + timedelta(days=1), fall_back + timedelta(days=7)
    assert windows(first) == [
        # The last two hours of the night, elapsed: from 02:00 CET (the second 02:00) to 04:00.
        # (A moment in the repeated hour compares equal only in UTC.)
        (oslo(sunday, "02:00", fold=1).astimezone(UTC), oslo(sunday, "04:00"), 2),
        (oslo(next_saturday, "22:00"), oslo(next_saturday + timedelta(days=1), "00:00"), 2),
    ]
    shifts = carried_out(first, now=now)
    again = planned(sched, shifts, now=now, first=fall_back, last=next_saturday)
    assert again == Plan([], [])
