"""What falls due around a meirope closing: announcements 15, 10 and 5 minutes before (in
elapsed time, across daylight saving too), the building-empty check after, and no closing where
staff take over. Each has one event id, whoever computes it."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tvers_access.domain import closing
from tvers_access.domain.closing import Closing, Due, DueKind, closings, due
from tvers_access.domain.occupancy_rules import OccupancyRules
from tvers_access.domain.schedule import DayHours, Schedule
from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict

OSLO = ZoneInfo("Europe/Oslo")
STAFFED, MEIROPE = OpeningKind.STAFFED, OpeningKind.MEIROPE
MONDAY = date(2026, 11, 23)
RULES = OccupancyRules()  # 15, 10 and 5 minutes; the check two minutes after


def oslo(day: date, clock: str, fold: int = 0) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), OSLO).replace(fold=fold).astimezone(UTC)


def weekly(weekday: int, starts: str, ends: str, kind: OpeningKind = MEIROPE) -> SchedulePeriod:
    return SchedulePeriod(weekday=weekday, starts=starts, ends=ends, kind=kind)


def moments(items: list[Due]) -> list[tuple[str, int, datetime]]:
    return [(item.kind.value, item.minutes_before, item.at) for item in items]


def whole_day(schedule: Schedule, day: date, rules: OccupancyRules = RULES) -> list[Due]:
    """What a scheduler looking every minute finds due over ``day`` and the night after."""
    start = datetime.combine(day, time(0), OSLO).astimezone(UTC)
    minute = timedelta(minutes=1)
    return [
        item
        for n in range(48 * 60)
        for item in due(schedule, rules, since=start + n * minute, now=start + (n + 1) * minute)
    ]


EVENING = Schedule((weekly(1, "10:00", "15:00", STAFFED), weekly(1, "15:00", "22:00")))


def test_a_meirope_evening_is_announced_15_10_and_5_minutes_before_and_checked_after() -> None:
    assert moments(whole_day(EVENING, MONDAY)) == [
        ("closing-announced", 15, oslo(MONDAY, "21:45")),
        ("closing-announced", 10, oslo(MONDAY, "21:50")),
        ("closing-announced", 5, oslo(MONDAY, "21:55")),
        ("occupants-checked", 0, oslo(MONDAY, "22:02")),
    ]


@pytest.mark.parametrize(
    ("since", "now", "expected"),
    [
        ("21:44:59", "21:45:00", [15]),  # due at its moment exactly
        ("21:45:00", "21:49:59", []),  # not again
        ("21:49:00", "21:50:05", [10]),
        ("21:54:59", "21:59:59", [5]),
        ("21:54:59", "22:00:00", []),  # too late for it: closed
    ],
)
def test_what_is_due_at_a_moment_is_what_fell_due_since_the_last_look(
    since: str, now: str, expected: list[int]
) -> None:
    found = due(EVENING, RULES, since=oslo(MONDAY, since), now=oslo(MONDAY, now))
    assert [item.minutes_before for item in found] == expected


def test_a_scheduler_back_before_the_closing_makes_the_missed_announcements_late() -> None:
    found = due(EVENING, RULES, since=oslo(MONDAY, "21:00"), now=oslo(MONDAY, "21:57"))
    assert [item.minutes_before for item in found] == [15, 10, 5]


def test_a_scheduler_back_after_the_closing_only_checks() -> None:
    found = due(EVENING, RULES, since=oslo(MONDAY, "21:00"), now=oslo(MONDAY, "22:30"))
    assert moments(found) == [("occupants-checked", 0, oslo(MONDAY, "22:02"))]


def test_an_overnight_period_closes_on_the_next_day() -> None:
    friday_night = Schedule((weekly(5, "22:00", "02:00"),))
    friday, saturday = date(2026, 11, 27), date(2026, 11, 28)
    assert moments(whole_day(friday_night, friday)) == [
        ("closing-announced", 15, oslo(saturday, "01:45")),
        ("closing-announced", 10, oslo(saturday, "01:50")),
        ("closing-announced", 5, oslo(saturday, "01:55")),
        ("occupants-checked", 0, oslo(saturday, "02:02")),
    ]


def test_a_meirope_period_ending_at_midnight_closes_at_midnight() -> None:
    until_midnight = Schedule((weekly(1, "18:00", "00:00"),))
    tuesday = MONDAY + timedelta(days=1)
    assert [
        c.ends for c in closings(until_midnight, oslo(MONDAY, "00:00"), oslo(tuesday, "23:00"))
    ] == [oslo(tuesday, "00:00")]
    assert moments(whole_day(until_midnight, MONDAY))[0] == (
        "closing-announced",
        15,
        oslo(MONDAY, "23:45"),
    )


def test_an_exception_that_ends_meirope_at_midnight_makes_midnight_the_closing() -> None:
    # Friday night would run to 02:00, but Saturday is closed all day.
    friday, saturday = date(2026, 11, 27), date(2026, 11, 28)
    schedule = Schedule((weekly(5, "22:00", "02:00"),), {saturday: DayHours((), "Stengt")})
    assert [c.ends for c in closings(schedule, oslo(friday, "00:00"), oslo(saturday, "23:00"))] == [
        oslo(saturday, "00:00")
    ]


SPRING_FORWARD = date(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET


def test_a_closing_in_the_hour_that_springs_forward_is_announced_in_elapsed_minutes() -> None:
    saturday_night = Schedule((weekly(6, "22:00", "02:30"),))
    found = whole_day(saturday_night, SPRING_FORWARD - timedelta(days=1))
    # 02:30 is not shown that night: the closing is the jump, 03:00 CEST (01:00 UTC).
    assert [item.at.astimezone(UTC).time() for item in found] == [
        time(0, 45),
        time(0, 50),
        time(0, 55),
        time(1, 2),
    ]
    assert found[0].at.astimezone(OSLO).isoformat() == "2026-03-29T01:45:00+01:00"


def test_a_closing_in_the_hour_that_falls_back_comes_once_at_its_first_showing() -> None:
    saturday_night = Schedule((weekly(6, "22:00", "02:30"),))
    found = whole_day(saturday_night, FALL_BACK - timedelta(days=1))
    assert [item.at for item in found] == [
        oslo(FALL_BACK, "02:15"),
        oslo(FALL_BACK, "02:20"),
        oslo(FALL_BACK, "02:25"),
        oslo(FALL_BACK, "02:32"),
    ]
    assert found[-1].closing.ends.isoformat() == "2026-10-25T00:30:00+00:00"


def test_a_closing_just_after_falling_back_is_announced_in_the_repeated_hour() -> None:
    saturday_night = Schedule((weekly(6, "22:00", "03:00"),))
    found = whole_day(saturday_night, FALL_BACK - timedelta(days=1))
    # 03:00 CET is 02:00 UTC; 15 minutes before is the second 02:45 on the wall.
    assert found[0].at == oslo(FALL_BACK, "02:45", fold=1)
    assert found[0].at.isoformat() == "2026-10-25T01:45:00+00:00"


def test_meirope_handed_over_to_staff_does_not_close() -> None:
    morning = Schedule((weekly(1, "07:00", "10:00"), weekly(1, "10:00", "15:00", STAFFED)))
    assert whole_day(morning, MONDAY) == []


def test_staffed_hours_end_without_announcement_or_check() -> None:
    assert whole_day(Schedule((weekly(1, "10:00", "15:00", STAFFED),)), MONDAY) == []


def test_adjacent_meirope_periods_close_once_at_the_end_of_the_last() -> None:
    split = Schedule((weekly(1, "16:00", "18:00"), weekly(1, "18:00", "20:00")))
    assert [
        (c.meirope_from, c.ends)
        for c in closings(split, oslo(MONDAY, "00:00"), oslo(MONDAY, "23:00"))
    ] == [(oslo(MONDAY, "16:00"), oslo(MONDAY, "20:00"))]


def test_a_short_meirope_run_is_announced_only_within_it() -> None:
    short = Schedule((weekly(1, "10:00", "21:52", STAFFED), weekly(1, "21:52", "22:00")))
    assert [item.minutes_before for item in whole_day(short, MONDAY)] == [5, 0]


def test_a_branchs_own_minutes_and_check_delay_are_used() -> None:
    rules = OccupancyRules(announce_minutes_before=(30,), check_after=timedelta(0))
    assert moments(whole_day(EVENING, MONDAY, rules)) == [
        ("closing-announced", 30, oslo(MONDAY, "21:30")),
        ("occupants-checked", 0, oslo(MONDAY, "22:00")),
    ]


def test_a_day_closed_by_an_exception_has_no_closing() -> None:
    closed = Schedule(EVENING.weekly, {MONDAY: DayHours((), "Stengt")})
    assert whole_day(closed, MONDAY) == []
    extra = Schedule(
        EVENING.weekly,
        {MONDAY: DayHours((DayPeriod(starts="12:00", ends="14:00", kind=MEIROPE),), "Kort dag")},
    )
    assert [c.ends for c in closings(extra, oslo(MONDAY, "00:00"), oslo(MONDAY, "23:00"))] == [
        oslo(MONDAY, "14:00")
    ]


def test_each_time_driven_event_has_one_id_from_tenant_branch_closing_and_kind() -> None:
    items = whole_day(EVENING, MONDAY)
    again = whole_day(EVENING, MONDAY)
    ids = [item.event_id("1508", "skodje") for item in items]
    assert ids == [item.event_id("1508", "skodje") for item in again]
    assert len(set(ids)) == 4
    assert items[0].event_id("1508", "vigra") not in ids
    assert items[0].event_id("1507", "skodje") not in ids
    next_week = whole_day(EVENING, MONDAY + timedelta(days=7))
    assert not {item.event_id("1508", "skodje") for item in next_week} & set(ids)


def test_the_check_raises_an_alert_only_when_someone_is_inside() -> None:
    item = Due(
        DueKind.CHECK, Closing(oslo(MONDAY, "22:00"), oslo(MONDAY, "15:00")), oslo(MONDAY, "22:02")
    )
    assert closing.check("skodje", item, 0) is None
    alert = closing.check("skodje", item, 2)
    assert alert is not None
    assert (alert.count, alert.period_ends, alert.checked_at) == (
        2,
        oslo(MONDAY, "22:00"),
        oslo(MONDAY, "22:02"),
    )


def test_an_alert_stays_open_until_staff_clear_it() -> None:
    item = Due(
        DueKind.CHECK, Closing(oslo(MONDAY, "22:00"), oslo(MONDAY, "15:00")), oslo(MONDAY, "22:02")
    )
    alert = closing.check("skodje", item, 1)
    assert alert is not None
    alerts = closing.evolve(closing.NO_ALERTS, alert)
    assert alerts.latest == alert
    cleared = closing.clear(alerts, branch_id="skodje", occupancy=1, now=oslo(MONDAY, "22:30"))
    assert [e.model_dump() for e in cleared] == [
        {
            "branch_id": "skodje",
            "closings": [oslo(MONDAY, "22:00")],
            "occupancy_before": 1,
            "cleared_at": oslo(MONDAY, "22:30"),
        }
    ]
    after = closing.evolve(alerts, cleared[0])
    assert after.latest is None
    assert after.clears == (oslo(MONDAY, "22:30"),)


def test_staff_may_set_a_drifted_count_to_zero_but_not_clear_nothing() -> None:
    assert closing.clear(
        closing.NO_ALERTS, branch_id="skodje", occupancy=3, now=oslo(MONDAY, "12:00")
    )
    with pytest.raises(Conflict, match="nothing to clear"):
        closing.clear(closing.NO_ALERTS, branch_id="skodje", occupancy=0, now=oslo(MONDAY, "12:00"))
