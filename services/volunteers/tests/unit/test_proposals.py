"""Proposed shifts from a branch's meirope hours, as access's schedule events give them: the last
two hours of each meirope period with two hosts by default, in Oslo wall-clock time, across
midnight, both daylight-saving changes and dated exceptions."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.branch_schedules import hours as branch_hours
from tvers_runtime.domain import RuleViolated
from tvers_volunteers.domain.proposals import (
    DEFAULT_RULE,
    HostingRule,
    ProposedShift,
    not_yet_covered,
    proposal_id,
    propose_shifts,
)
from tvers_volunteers.testing.domain import fold, oslo

MEIROPE, STAFFED = OpeningKind.MEIROPE, OpeningKind.STAFFED
BRANCH = "skodje"
MONDAY = date(2026, 11, 30)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
SPRING_FORWARD = date(2026, 3, 29)  # Sunday: 02:00 CET becomes 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # Sunday: 03:00 CEST becomes 02:00 CET


def weekly(weekday: int, starts: str, ends: str, kind: OpeningKind = MEIROPE) -> SchedulePeriod:
    return SchedulePeriod(weekday=weekday, starts=starts, ends=ends, kind=kind)


def schedule(periods: Sequence[SchedulePeriod], *more: DomainEvent) -> Schedule:
    events = [WeeklyScheduleSet(branch_id=BRANCH, periods=list(periods)), *more]
    return fold(branch_hours.NO_HOURS, events, branch_hours.evolve).schedule()


def proposals(
    sched: Schedule,
    first: date,
    last: date | None = None,
    *,
    rule: HostingRule = DEFAULT_RULE,
    now: datetime = LONG_AGO,
) -> list[tuple[datetime, datetime]]:
    found = propose_shifts(BRANCH, sched, rule, first=first, last=last or first, now=now)
    return [(p.starts_at, p.ends_at) for p in found]


def test_the_last_two_hours_of_a_meirope_evening_are_proposed_with_two_hosts() -> None:
    sched = schedule([weekly(1, "10:00", "16:00", STAFFED), weekly(1, "16:00", "21:00")])
    [proposal] = propose_shifts(
        BRANCH, sched, DEFAULT_RULE, first=MONDAY, last=MONDAY, now=LONG_AGO
    )
    assert (proposal.starts_at, proposal.ends_at) == (oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00"))
    assert proposal.rule.hosts == 2
    assert (proposal.meirope_starts_at, proposal.meirope_ends_at) == (
        oslo(MONDAY, "16:00"),
        oslo(MONDAY, "21:00"),
    )


def test_each_meirope_period_of_the_range_gets_its_shift_in_order() -> None:
    sched = schedule(
        [weekly(1, "07:00", "10:00"), weekly(1, "18:00", "21:00"), weekly(3, "18:00", "22:00")]
    )
    assert proposals(sched, MONDAY, MONDAY + timedelta(days=6)) == [
        (oslo(MONDAY, "08:00"), oslo(MONDAY, "10:00")),
        (oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00")),
        (oslo(date(2026, 12, 2), "20:00"), oslo(date(2026, 12, 2), "22:00")),
    ]


def test_meirope_periods_that_follow_each_other_are_one_run() -> None:
    sched = schedule([weekly(1, "16:00", "18:00"), weekly(1, "18:00", "21:00")])
    assert proposals(sched, MONDAY) == [(oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00"))]


def test_a_short_meirope_period_is_hosted_whole_and_a_tiny_one_not_at_all() -> None:
    sched = schedule([weekly(1, "16:00", "17:00"), weekly(1, "20:00", "20:10")])
    assert proposals(sched, MONDAY) == [(oslo(MONDAY, "16:00"), oslo(MONDAY, "17:00"))]


def test_a_period_past_midnight_gets_a_shift_across_midnight_on_the_day_it_starts() -> None:
    friday = date(2026, 12, 4)
    sched = schedule([weekly(5, "21:00", "01:00")])
    saturday = friday + timedelta(days=1)
    assert proposals(sched, friday) == [(oslo(friday, "23:00"), oslo(saturday, "01:00"))]
    assert proposals(sched, saturday) == []


def test_a_period_ending_at_midnight_ends_its_shift_at_midnight() -> None:
    sched = schedule([weekly(1, "20:00", "00:00")])
    assert proposals(sched, MONDAY) == [
        (oslo(MONDAY, "22:00"), oslo(MONDAY + timedelta(days=1), "00:00"))
    ]


def test_a_shift_whose_window_starts_after_midnight_belongs_to_that_date() -> None:
    sunday = date(2026, 12, 6)
    sched = schedule([weekly(7, "23:00", "03:00")])
    monday = sunday + timedelta(days=1)
    assert proposals(sched, sunday) == []
    assert proposals(sched, monday) == [(oslo(monday, "01:00"), oslo(monday, "03:00"))]


def test_across_the_spring_forward_night_the_last_two_hours_are_two_hours() -> None:
    saturday = SPRING_FORWARD - timedelta(days=1)
    sched = schedule([weekly(6, "22:00", "03:00")])
    [(starts, ends)] = proposals(sched, saturday, SPRING_FORWARD)
    assert ends == oslo(SPRING_FORWARD, "03:00") == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert starts == oslo(SPRING_FORWARD, "00:00")  # 00:00-03:00 on the clock, two hours
    assert ends - starts == timedelta(hours=2)


def test_across_the_fall_back_night_the_last_two_hours_are_two_hours() -> None:
    saturday = FALL_BACK - timedelta(days=1)
    sched = schedule([weekly(6, "22:00", "03:00")])
    [(starts, ends)] = proposals(sched, saturday, FALL_BACK)
    assert ends == datetime(2026, 10, 25, 2, tzinfo=UTC)  # 03:00 CET, after the fall-back
    # The first 02:00, in summer time (an ambiguous local time never equals one of another
    # zone, PEP 495, so compare instants).
    assert starts == oslo(FALL_BACK, "02:00", fold=0).astimezone(UTC)
    assert starts == datetime(2026, 10, 25, 0, tzinfo=UTC)
    assert ends - starts == timedelta(hours=2)


@pytest.mark.parametrize(
    ("day", "utc_start"),
    [
        (SPRING_FORWARD - timedelta(days=1), datetime(2026, 3, 28, 18, tzinfo=UTC)),  # CET
        (SPRING_FORWARD, datetime(2026, 3, 29, 17, tzinfo=UTC)),  # CEST
        (FALL_BACK - timedelta(days=1), datetime(2026, 10, 24, 17, tzinfo=UTC)),  # CEST
        (FALL_BACK, datetime(2026, 10, 25, 18, tzinfo=UTC)),  # CET
    ],
)
def test_an_evening_shift_keeps_its_wall_clock_time_on_both_sides_of_each_change(
    day: date, utc_start: datetime
) -> None:
    sched = schedule([weekly(day.isoweekday(), "17:00", "21:00")])
    assert proposals(sched, day) == [(utc_start, utc_start + timedelta(hours=2))]


def test_a_closed_date_gets_no_shift_and_a_changed_one_follows_its_exception() -> None:
    tuesday = MONDAY + timedelta(days=1)
    sched = schedule(
        [weekly(1, "18:00", "21:00"), weekly(2, "18:00", "21:00")],
        ScheduleExceptionSet(branch_id=BRANCH, date=MONDAY, periods=[], label="Stengt"),
        ScheduleExceptionSet(
            branch_id=BRANCH,
            date=tuesday,
            periods=[DayPeriod(starts="12:00", ends="15:00", kind=MEIROPE)],
        ),
    )
    assert proposals(sched, MONDAY, tuesday) == [(oslo(tuesday, "13:00"), oslo(tuesday, "15:00"))]


def test_a_removed_exception_gives_the_weekly_shift_back() -> None:
    sched = schedule(
        [weekly(1, "18:00", "21:00")],
        ScheduleExceptionSet(branch_id=BRANCH, date=MONDAY, periods=[]),
        ScheduleExceptionRemoved(branch_id=BRANCH, date=MONDAY),
    )
    assert proposals(sched, MONDAY) == [(oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00"))]


def test_the_rule_is_the_branchs_own() -> None:
    sched = schedule([weekly(1, "12:00", "21:00")])
    whole = HostingRule(last_minutes=None, hosts=3, minimum_hosts=1)
    assert proposals(sched, MONDAY, rule=HostingRule(last_minutes=90)) == [
        (oslo(MONDAY, "19:30"), oslo(MONDAY, "21:00"))
    ]
    assert proposals(sched, MONDAY, rule=whole) == [(oslo(MONDAY, "12:00"), oslo(MONDAY, "21:00"))]


def test_a_whole_period_longer_than_a_shift_is_hosted_for_its_last_twelve_hours() -> None:
    sched = schedule([weekly(1, "06:00", "23:00")])
    whole = HostingRule(last_minutes=None)
    assert proposals(sched, MONDAY, rule=whole) == [(oslo(MONDAY, "11:00"), oslo(MONDAY, "23:00"))]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"last_minutes": 10}, "last 15 minutes to 24 hours"),
        ({"hosts": 0}, "1 to 20 hosts"),
        ({"hosts": 2, "minimum_hosts": 3}, "minimum of hosts"),
    ],
)
def test_a_hosting_rule_is_sane(fields: dict[str, int], says: str) -> None:
    with pytest.raises(RuleViolated, match=says):
        HostingRule(**fields)


def test_no_shift_is_proposed_that_starts_before_now() -> None:
    sched = schedule([weekly(1, "18:00", "21:00")])
    assert proposals(sched, MONDAY, now=oslo(MONDAY, "19:00")) == [
        (oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00"))
    ]
    assert proposals(sched, MONDAY, now=oslo(MONDAY, "19:01")) == []


def test_the_same_proposal_has_the_same_id_every_time_and_another_another() -> None:
    sched = schedule([weekly(1, "18:00", "21:00"), weekly(2, "18:00", "21:00")])
    monday, tuesday = propose_shifts(
        BRANCH, sched, DEFAULT_RULE, first=MONDAY, last=MONDAY + timedelta(days=1), now=LONG_AGO
    )
    assert proposal_id("1508", monday) == proposal_id("1508", monday)
    assert proposal_id("1508", monday) != proposal_id("1508", tuesday)
    assert proposal_id("1508", monday) != proposal_id("1577", monday)


def test_a_proposal_where_a_hosting_shift_already_lies_is_left_out() -> None:
    def at(clock: str) -> ProposedShift:
        start = oslo(MONDAY, clock)
        return ProposedShift(BRANCH, start, start + timedelta(hours=2), DEFAULT_RULE, start, start)

    staff_shift = (oslo(MONDAY, "20:00"), oslo(MONDAY, "21:00"))
    assert not_yet_covered([at("16:00"), at("19:00"), at("21:00")], [staff_shift]) == [
        at("16:00"),
        at("21:00"),
    ]
