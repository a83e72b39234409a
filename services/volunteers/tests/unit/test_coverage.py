"""A hosted staffless hour with fewer hosts holding a place than the minimum (two by default) is
flagged when it starts within 48 hours, once."""

from datetime import date, datetime, timedelta
from uuid import uuid4

from tvers_contracts.events.access import SchedulePeriod, WeeklyScheduleSet
from tvers_contracts.events.volunteers import HostsBelowMinimumFlagged, ShiftRole
from tvers_contracts.schedule import Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.branch_schedules import hours as branch_hours
from tvers_volunteers.domain import coverage, publishing, shift
from tvers_volunteers.domain.coverage import HostingShift, hosted_hours, shortfalls
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule
from tvers_volunteers.testing.domain import (
    STAFF,
    claimed_by,
    eligible,
    fold,
    id_of,
    oslo,
    published,
)

MONDAY = date(2026, 11, 30)
BRANCH = "haroy"
EVENING = (oslo(MONDAY, "19:00"), oslo(MONDAY, "21:00"))  # the hosted window
MINUTE = timedelta(minutes=1)


def monday_evenings() -> Schedule:
    period = SchedulePeriod(weekday=1, starts="16:00", ends="21:00", kind=OpeningKind.MEIROPE)
    event = WeeklyScheduleSet(branch_id=BRANCH, periods=[period])
    return fold(branch_hours.NO_HOURS, [event], branch_hours.evolve).schedule()


def hosts(count: int, starts: datetime = EVENING[0], ends: datetime = EVENING[1]) -> HostingShift:
    return HostingShift(starts, ends, frozenset(uuid4() for _ in range(count)))


def flagged_hours(shifts: list[HostingShift], now: datetime) -> list[tuple[datetime, int]]:
    found = shortfalls(monday_evenings(), DEFAULT_RULE, shifts, now=now)
    return [(s.hour.starts_at, s.hosts) for s in found]


def test_the_hosted_hours_are_the_hours_of_the_rules_window() -> None:
    found = hosted_hours(
        monday_evenings(), DEFAULT_RULE, after=oslo(MONDAY, "00:00"), until=oslo(MONDAY, "23:00")
    )
    assert [(h.starts_at, h.ends_at) for h in found] == [
        (oslo(MONDAY, "19:00"), oslo(MONDAY, "20:00")),
        (oslo(MONDAY, "20:00"), oslo(MONDAY, "21:00")),
    ]


def test_an_hour_with_fewer_hosts_than_the_minimum_is_flagged() -> None:
    now = oslo(MONDAY, "12:00")
    assert flagged_hours([hosts(1)], now) == [(EVENING[0], 1), (EVENING[0] + timedelta(hours=1), 1)]


def test_an_hour_with_the_minimum_of_hosts_is_not_flagged() -> None:
    assert flagged_hours([hosts(2)], oslo(MONDAY, "12:00")) == []


def test_hosts_of_two_shifts_each_covering_the_whole_hour_add_up() -> None:
    assert flagged_hours([hosts(1), hosts(1)], oslo(MONDAY, "12:00")) == []


def test_a_host_for_part_of_an_hour_does_not_cover_it() -> None:
    half = hosts(2, EVENING[0] + timedelta(minutes=30), EVENING[1])
    assert flagged_hours([half], oslo(MONDAY, "12:00")) == [(EVENING[0], 0)]


def test_an_hour_starting_exactly_48_hours_ahead_is_flagged() -> None:
    now = EVENING[0] - timedelta(hours=48)
    assert flagged_hours([], now) == [(EVENING[0], 0)]


def test_an_hour_starting_a_minute_past_48_hours_ahead_is_not_flagged_yet() -> None:
    now = EVENING[0] - timedelta(hours=48) - MINUTE
    assert flagged_hours([], now) == []


def test_an_hour_that_has_started_is_no_longer_flagged() -> None:
    assert flagged_hours([], EVENING[0]) == [(EVENING[0] + timedelta(hours=1), 0)]


def test_the_minimum_is_the_branchs() -> None:
    rule = HostingRule(last_minutes=120, hosts=2, minimum_hosts=1)
    found = shortfalls(monday_evenings(), rule, [hosts(1)], now=oslo(MONDAY, "12:00"))
    assert found == []


def test_each_short_hour_is_flagged_once_and_a_later_one_when_it_comes_within_48_hours() -> None:
    now = EVENING[0] - timedelta(hours=47, minutes=30)  # 19:00 is within, 20:00 not yet
    found = shortfalls(monday_evenings(), DEFAULT_RULE, [], now=now)
    events = coverage.flag(coverage.NO_COVERAGE, branch_id=BRANCH, found=found)
    assert [
        (e.hour_starts_at, e.hosts, e.minimum)
        for e in events
        if isinstance(e, HostsBelowMinimumFlagged)
    ] == [(EVENING[0], 0, 2)]
    assert len(events) == 1
    state = fold(coverage.NO_COVERAGE, events, coverage.evolve)
    assert coverage.flag(state, branch_id=BRANCH, found=found) == []
    later = shortfalls(monday_evenings(), DEFAULT_RULE, [], now=now + timedelta(minutes=30))
    [event] = coverage.flag(state, branch_id=BRANCH, found=later)
    assert isinstance(event, HostsBelowMinimumFlagged)
    assert event.hour_starts_at == EVENING[0] + timedelta(hours=1)


def test_only_published_hosting_shifts_cover_and_their_holders_are_the_hosts() -> None:
    now = oslo(MONDAY, "12:00")
    one, two = eligible(today=MONDAY), eligible(today=MONDAY)
    starts = EVENING[0]
    hosting = claimed_by(published(starts_at=starts, now=now, branch_id=BRANCH), one, two, now=now)
    helping = claimed_by(
        published(starts_at=starts, now=now, role=ShiftRole.HELPER, branch_id=BRANCH), one, now=now
    )
    cancelled = fold(hosting, publishing.cancel(hosting, staff_id=STAFF, now=now), shift.evolve)
    [covering] = coverage.hosting_shifts([hosting, helping, cancelled])
    assert covering == HostingShift(starts, EVENING[1], frozenset({id_of(one), id_of(two)}))
    assert flagged_hours(coverage.hosting_shifts([hosting]), now) == []
    assert len(flagged_hours(coverage.hosting_shifts([helping, cancelled]), now)) == 2
