"""The schedule's edges: period boundaries, periods past midnight, dated exceptions over the week,
both daylight-saving changes of 2026 in Europe/Oslo, and the next change of mode."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tvers_access.domain import branch
from tvers_access.domain.schedule import DayHours, ModeChange, Schedule, check_weekly
from tvers_contracts.events.access import (
    BranchRegistered,
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import NotFound, RuleViolated

OSLO = ZoneInfo("Europe/Oslo")
STAFFED, MEIROPE, CLOSED = OpeningKind.STAFFED, OpeningKind.MEIROPE, OpeningKind.CLOSED
MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)
SPRING_FORWARD = date(2026, 3, 29)  # a Sunday: 02:00 CET becomes 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # a Sunday: 03:00 CEST becomes 02:00 CET


def weekly(weekday: int, starts: str, ends: str, kind: OpeningKind) -> SchedulePeriod:
    return SchedulePeriod(weekday=weekday, starts=starts, ends=ends, kind=kind)


def on_day(starts: str, ends: str, kind: OpeningKind) -> DayPeriod:
    return DayPeriod(starts=starts, ends=ends, kind=kind)


def oslo(day: date, clock: str, fold: int = 0) -> datetime:
    """An aware moment on Oslo's wall clock."""
    return datetime.combine(day, time.fromisoformat(clock), OSLO).replace(fold=fold)


def utc(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), UTC)


def schedule(*periods: SchedulePeriod, exceptions: dict[date, DayHours] | None = None) -> Schedule:
    return Schedule(periods, exceptions or {})


def days(day: date, n: int) -> date:
    return day + timedelta(days=n)


MONDAY_HOURS = schedule(weekly(1, "07:00", "10:00", MEIROPE), weekly(1, "10:00", "15:00", STAFFED))


@pytest.mark.parametrize(
    ("clock", "mode"),
    [
        ("06:59:59.999999", CLOSED),
        ("07:00", MEIROPE),  # a period's start belongs to it
        ("09:59:59.999999", MEIROPE),
        ("10:00", STAFFED),  # its end does not: the next period starts there
        ("14:59:59", STAFFED),
        ("15:00", CLOSED),
    ],
)
def test_a_period_includes_its_start_and_excludes_its_end(clock: str, mode: OpeningKind) -> None:
    assert MONDAY_HOURS.mode_at(oslo(MONDAY, clock)) is mode


def test_a_moment_in_utc_or_naive_is_read_on_oslo_s_wall_clock() -> None:
    assert MONDAY_HOURS.mode_at(utc(MONDAY, "06:00")) is MEIROPE  # 07:00 in Oslo in winter
    assert MONDAY_HOURS.mode_at(datetime(2026, 11, 23, 7, 0)) is MEIROPE
    assert MONDAY_HOURS.mode_at(utc(MONDAY, "07:00")) is MEIROPE  # 08:00 in Oslo


FRIDAY_NIGHT = schedule(weekly(5, "22:00", "02:00", MEIROPE))


@pytest.mark.parametrize(
    ("moment", "mode"),
    [
        (oslo(FRIDAY, "21:59:59"), CLOSED),
        (oslo(FRIDAY, "22:00"), MEIROPE),
        (oslo(FRIDAY, "23:59:59.999999"), MEIROPE),
        (oslo(days(FRIDAY, 1), "00:00"), MEIROPE),  # midnight is inside
        (oslo(days(FRIDAY, 1), "01:59:59"), MEIROPE),
        (oslo(days(FRIDAY, 1), "02:00"), CLOSED),
        (oslo(days(FRIDAY, 1), "22:30"), CLOSED),  # Saturday has no period of its own
    ],
)
def test_a_period_ending_before_it_starts_runs_past_midnight(
    moment: datetime, mode: OpeningKind
) -> None:
    assert FRIDAY_NIGHT.mode_at(moment) is mode


def test_sunday_night_runs_into_monday() -> None:
    sunday_night = schedule(weekly(7, "23:00", "01:00", MEIROPE))
    assert sunday_night.mode_at(oslo(MONDAY, "00:30")) is MEIROPE
    assert sunday_night.mode_at(oslo(MONDAY, "01:00")) is CLOSED


def test_a_period_from_midnight_to_midnight_is_the_whole_day_and_adjacent_days_never_change() -> (
    None
):
    all_week = schedule(*(weekly(d, "00:00", "00:00", MEIROPE) for d in range(1, 8)))
    assert all_week.mode_at(oslo(MONDAY, "00:00")) is MEIROPE
    assert all_week.mode_at(oslo(MONDAY, "23:59:59.999999")) is MEIROPE
    assert all_week.next_change(oslo(MONDAY, "12:00")) is None
    one_day = schedule(weekly(1, "00:00", "00:00", MEIROPE))
    assert one_day.next_change(oslo(MONDAY, "12:00")) == ModeChange(
        oslo(days(MONDAY, 1), "00:00"), CLOSED
    )


@pytest.mark.parametrize(
    ("periods", "says"),
    [
        (
            [weekly(1, "07:00", "10:30", MEIROPE), weekly(1, "10:00", "15:00", STAFFED)],
            "overlap on weekday 1: 07:00-10:30 and 10:00-15:00",
        ),
        (
            [weekly(5, "22:00", "02:00", MEIROPE), weekly(6, "01:00", "03:00", MEIROPE)],
            "overlap on weekday 6: weekday 5 22:00-02:00 and 01:00-03:00",
        ),
        (
            [weekly(1, "00:30", "02:00", STAFFED), weekly(7, "23:00", "01:00", MEIROPE)],
            "overlap on weekday 1: weekday 7 23:00-01:00 and 00:30-02:00",
        ),
        ([weekly(3, "12:00", "12:00", MEIROPE), weekly(4, "11:00", "13:00", MEIROPE)], "4"),
        ([weekly(2, "10:00", "12:00", MEIROPE), weekly(2, "10:00", "12:00", MEIROPE)], "2"),
    ],
)
def test_overlapping_weekly_periods_are_refused_across_midnight_too(
    periods: list[SchedulePeriod], says: str
) -> None:
    with pytest.raises(RuleViolated, match=says):
        check_weekly(periods)


def test_periods_that_only_touch_do_not_overlap() -> None:
    check_weekly(
        [
            weekly(5, "22:00", "02:00", MEIROPE),
            weekly(6, "02:00", "04:00", STAFFED),
            weekly(7, "00:00", "00:00", MEIROPE),
            weekly(1, "00:00", "06:00", STAFFED),
        ]
    )


def test_a_closed_day_exception_overrides_the_week_on_its_date_only() -> None:
    hours = schedule(
        *(weekly(d, "10:00", "15:00", STAFFED) for d in range(1, 8)),
        exceptions={date(2026, 12, 25): DayHours((), "Juledag")},
    )
    assert hours.mode_at(oslo(date(2026, 12, 25), "11:00")) is CLOSED
    assert hours.mode_at(oslo(date(2026, 12, 24), "11:00")) is STAFFED
    assert hours.mode_at(oslo(date(2026, 12, 26), "11:00")) is STAFFED


def test_an_exception_gives_extra_and_changed_hours_with_its_label() -> None:
    hours = schedule(
        weekly(4, "10:00", "15:00", STAFFED),
        exceptions={
            date(2026, 12, 24): DayHours(
                (on_day("09:00", "12:00", STAFFED), on_day("12:00", "14:00", MEIROPE)), "Julaftan"
            ),
            date(2026, 12, 31): DayHours((on_day("20:00", "00:00", MEIROPE),), "Nyttårsaftan"),
        },
    )
    eve = date(2026, 12, 24)
    assert [
        (o.starts, o.ends, o.kind, o.exception, o.label) for o in hours.day_occurrences(eve)
    ] == [
        (oslo(eve, "09:00"), oslo(eve, "12:00"), STAFFED, True, "Julaftan"),
        (oslo(eve, "12:00"), oslo(eve, "14:00"), MEIROPE, True, "Julaftan"),
    ]
    assert hours.mode_at(oslo(eve, "14:30")) is CLOSED  # the weekly 10-15 is replaced
    new_year = hours.day_occurrences(date(2026, 12, 31))[0]
    assert new_year.ends == oslo(date(2027, 1, 1), "00:00")  # until midnight
    assert hours.mode_at(oslo(date(2027, 1, 1), "00:00")) is CLOSED


def test_an_exception_cuts_the_night_before_at_midnight() -> None:
    hours = schedule(
        weekly(5, "22:00", "02:00", MEIROPE),
        exceptions={date(2026, 11, 28): DayHours((), "Stengt")},
    )
    friday_night = hours.day_occurrences(FRIDAY)[0]
    assert friday_night.ends == oslo(days(FRIDAY, 1), "00:00")
    assert hours.mode_at(oslo(FRIDAY, "23:59")) is MEIROPE
    assert hours.mode_at(oslo(days(FRIDAY, 1), "00:30")) is CLOSED
    # A week later, without an exception, the night runs to 02:00 again.
    assert hours.mode_at(oslo(days(FRIDAY, 8), "00:30")) is MEIROPE


def test_an_excepted_day_s_own_night_does_not_reach_the_next_day() -> None:
    hours = schedule(
        weekly(5, "22:00", "02:00", MEIROPE),
        exceptions={
            date(2026, 11, 27): DayHours((on_day("18:00", "00:00", MEIROPE),), "Open kveld")
        },
    )
    assert hours.mode_at(oslo(FRIDAY, "18:00")) is MEIROPE
    assert hours.mode_at(oslo(days(FRIDAY, 1), "00:30")) is CLOSED


def test_a_period_across_spring_forward_lasts_one_hour_less() -> None:
    hours = schedule(weekly(7, "01:30", "03:30", MEIROPE))
    (night,) = hours.day_occurrences(SPRING_FORWARD)
    assert night.starts == utc(SPRING_FORWARD, "00:30")  # 01:30 CET
    assert night.ends == utc(SPRING_FORWARD, "01:30")  # 03:30 CEST
    assert night.ends - night.starts == timedelta(hours=1)
    assert hours.mode_at(utc(SPRING_FORWARD, "00:59:59")) is MEIROPE  # 01:59:59 CET
    assert hours.mode_at(utc(SPRING_FORWARD, "01:00")) is MEIROPE  # 03:00 CEST
    assert hours.mode_at(utc(SPRING_FORWARD, "01:30")) is CLOSED
    # 02:30 never shows on the clock; read naively, it is the jump to 03:00.
    assert hours.mode_at(datetime(2026, 3, 29, 2, 30)) is MEIROPE


def test_a_time_in_the_missing_hour_is_the_jump_and_a_period_inside_it_never_happens() -> None:
    starting_inside = schedule(weekly(7, "02:30", "04:00", STAFFED))
    (night,) = starting_inside.day_occurrences(SPRING_FORWARD)
    assert night.starts == oslo(SPRING_FORWARD, "03:00")
    assert night.starts == utc(SPRING_FORWARD, "01:00")
    wholly_inside = schedule(weekly(7, "02:10", "02:50", STAFFED))
    assert wholly_inside.day_occurrences(SPRING_FORWARD) == []
    assert wholly_inside.day_occurrences(days(SPRING_FORWARD, 7))  # a week later it does
    assert wholly_inside.next_change(utc(SPRING_FORWARD, "00:00")) == ModeChange(
        utc(date(2026, 4, 5), "00:10"), STAFFED
    )


def test_a_period_across_fall_back_lasts_one_hour_more_and_covers_both_half_past_twos() -> None:
    hours = schedule(weekly(7, "01:30", "03:30", MEIROPE))
    (night,) = hours.day_occurrences(FALL_BACK)
    assert night.starts == utc(FALL_BACK, "23:30") - timedelta(days=1)  # 01:30 CEST
    assert night.ends == utc(FALL_BACK, "02:30")  # 03:30 CET
    assert night.ends - night.starts == timedelta(hours=3)
    assert hours.mode_at(oslo(FALL_BACK, "02:30", fold=0)) is MEIROPE
    assert hours.mode_at(oslo(FALL_BACK, "02:30", fold=1)) is MEIROPE
    assert hours.mode_at(datetime(2026, 10, 25, 2, 30, fold=1)) is MEIROPE
    assert hours.next_change(oslo(FALL_BACK, "02:00", fold=1)) == ModeChange(
        utc(FALL_BACK, "02:30"), CLOSED
    )


def test_an_end_in_the_repeated_hour_is_its_first_showing() -> None:
    saturday_night = schedule(weekly(6, "22:00", "02:30", MEIROPE))
    assert saturday_night.mode_at(oslo(FALL_BACK, "02:15", fold=0)) is MEIROPE
    assert saturday_night.mode_at(oslo(FALL_BACK, "02:30", fold=0)) is CLOSED
    assert saturday_night.mode_at(oslo(FALL_BACK, "02:15", fold=1)) is CLOSED  # no reopening
    short = schedule(weekly(7, "02:00", "02:30", STAFFED))
    (once,) = short.day_occurrences(FALL_BACK)
    assert (once.starts, once.ends) == (utc(FALL_BACK, "00:00"), utc(FALL_BACK, "00:30"))


def test_the_next_change_within_a_day_and_at_a_boundary() -> None:
    assert MONDAY_HOURS.next_change(oslo(MONDAY, "08:00")) == ModeChange(
        oslo(MONDAY, "10:00"), STAFFED
    )
    # Asked at the very moment of a change, the next one is the one after it.
    assert MONDAY_HOURS.next_change(oslo(MONDAY, "10:00")) == ModeChange(
        oslo(MONDAY, "15:00"), CLOSED
    )
    assert FRIDAY_NIGHT.next_change(oslo(FRIDAY, "23:00")) == ModeChange(
        oslo(days(FRIDAY, 1), "02:00"), CLOSED
    )


def test_the_next_change_across_a_week_and_across_an_exception() -> None:
    tuesday = days(MONDAY, 1)
    assert MONDAY_HOURS.next_change(oslo(tuesday, "12:00")) == ModeChange(
        oslo(days(MONDAY, 7), "07:00"), MEIROPE
    )
    closed_next_monday = Schedule(
        MONDAY_HOURS.weekly, {days(MONDAY, 7): DayHours((), "Stengt for inventar")}
    )
    assert closed_next_monday.next_change(oslo(tuesday, "12:00")) == ModeChange(
        oslo(days(MONDAY, 14), "07:00"), MEIROPE
    )
    late_start = Schedule(
        MONDAY_HOURS.weekly, {days(MONDAY, 7): DayHours((on_day("12:00", "13:00", STAFFED),))}
    )
    assert late_start.next_change(oslo(tuesday, "12:00")) == ModeChange(
        oslo(days(MONDAY, 7), "12:00"), STAFFED
    )


def test_no_next_change_beyond_the_horizon_or_without_any_period() -> None:
    closed_three_weeks = Schedule(
        MONDAY_HOURS.weekly,
        {days(MONDAY, 7 * n): DayHours((), "Stengt") for n in range(1, 4)},
    )
    assert closed_three_weeks.next_change(oslo(days(MONDAY, 1), "12:00")) is None
    assert Schedule().next_change(oslo(MONDAY, "12:00")) is None
    assert Schedule().mode_at(oslo(MONDAY, "12:00")) is CLOSED


def test_the_next_change_across_the_fall_back_night() -> None:
    saturday_evening = schedule(
        weekly(6, "20:00", "01:00", MEIROPE), weekly(7, "10:00", "16:00", STAFFED)
    )
    change = saturday_evening.next_change(oslo(days(FALL_BACK, -1), "23:00"))
    assert change == ModeChange(utc(FALL_BACK, "23:00") - timedelta(days=1), CLOSED)
    assert saturday_evening.next_change(change.at) == ModeChange(utc(FALL_BACK, "09:00"), STAFFED)


def test_occurrences_over_a_range_list_periods_by_the_date_they_start_and_leave_out_closed() -> (
    None
):
    hours = schedule(
        weekly(5, "22:00", "02:00", MEIROPE),
        weekly(6, "10:00", "12:00", CLOSED),
        weekly(6, "12:00", "16:00", STAFFED),
    )
    found = hours.occurrences(FRIDAY, days(FRIDAY, 1))
    assert [(o.day, o.kind) for o in found] == [(FRIDAY, MEIROPE), (days(FRIDAY, 1), STAFFED)]
    assert hours.mode_at(oslo(days(FRIDAY, 1), "11:00")) is CLOSED


REGISTERED = branch.evolve(
    branch.NO_BRANCH, BranchRegistered(branch_id="skodje", name="Skodje", meirope_min_age=15)
)
TODAY = date(2026, 12, 1)


def test_an_exception_is_set_and_removed_through_the_branch() -> None:
    events = branch.set_exception(
        REGISTERED,
        day=date(2026, 12, 24),
        periods=[on_day("10:00", "13:00", STAFFED)],
        label="Julaftan",
        today=TODAY,
    )
    assert events == [
        ScheduleExceptionSet(
            branch_id="skodje",
            date=date(2026, 12, 24),
            periods=[on_day("10:00", "13:00", STAFFED)],
            label="Julaftan",
        )
    ]
    with_exception = branch.evolve(REGISTERED, events[0])
    assert with_exception.opening_at(oslo(date(2026, 12, 24), "10:00")) is STAFFED
    again = branch.set_exception(
        with_exception,
        day=date(2026, 12, 24),
        periods=[on_day("10:00", "13:00", STAFFED)],
        label="Julaftan",
        today=TODAY,
    )
    assert again == []
    removed = branch.remove_exception(with_exception, day=date(2026, 12, 24), today=TODAY)
    assert removed == [ScheduleExceptionRemoved(branch_id="skodje", date=date(2026, 12, 24))]
    back = branch.evolve(with_exception, removed[0])
    assert back.opening_at(oslo(date(2026, 12, 24), "10:00")) is CLOSED
    with pytest.raises(NotFound, match="no exception on 2026-12-24"):
        branch.remove_exception(back, day=date(2026, 12, 24), today=TODAY)


@pytest.mark.parametrize(
    ("day", "periods", "says"),
    [
        (date(2026, 11, 30), [], "has passed"),
        (date(2028, 1, 6), [], "more than 400 days ahead"),
        (
            date(2026, 12, 24),
            [on_day("10:00", "13:00", STAFFED), on_day("12:00", "00:00", MEIROPE)],
            "overlap: 10:00-13:00 and 12:00-00:00",
        ),
    ],
)
def test_an_exception_outside_its_window_or_with_overlaps_is_refused(
    day: date, periods: list[DayPeriod], says: str
) -> None:
    with pytest.raises(RuleViolated, match=says):
        branch.set_exception(REGISTERED, day=day, periods=periods, label=None, today=TODAY)


def test_exceptions_need_a_registered_branch() -> None:
    with pytest.raises(NotFound):
        branch.set_exception(branch.NO_BRANCH, day=TODAY, periods=[], label=None, today=TODAY)


def test_the_door_follows_a_weekly_period_past_midnight() -> None:
    night = branch.set_schedule(REGISTERED, [weekly(5, "22:00", "02:00", MEIROPE)])
    state = branch.evolve(REGISTERED, night[0])
    assert state.opening_at(oslo(days(FRIDAY, 1), "01:00")) is MEIROPE
