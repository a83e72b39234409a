"""Which month keys are due for destruction: a month goes only when every day of it lies beyond
the retention for door decisions."""

from datetime import date

import pytest

from tvers_access.domain.retention import Retention, day_log, keys_due, last_day, logs_due

NINETY = Retention()


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 29), []),  # 31 August + 90 days = 29 November: still kept
        (date(2026, 11, 30), [date(2026, 8, 1)]),
        (date(2027, 1, 1), [date(2026, 8, 1), date(2026, 9, 1)]),
    ],
)
def test_a_month_key_is_due_once_its_last_day_is_beyond_retention(
    today: date, due: list[date]
) -> None:
    months = [date(2026, 10, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert keys_due(months, today, NINETY) == due


def test_the_last_day_of_february_knows_leap_years() -> None:
    assert last_day(date(2028, 2, 1)) == date(2028, 2, 29)
    assert last_day(date(2026, 2, 1)) == date(2026, 2, 28)


def test_a_shorter_retention_destroys_sooner() -> None:
    week = Retention(door_decisions_days=7)
    assert keys_due([date(2026, 11, 1)], date(2026, 12, 8), week) == [date(2026, 11, 1)]
    assert keys_due([date(2026, 11, 1)], date(2026, 12, 7), week) == []


def test_a_day_log_is_read_from_its_stream_id() -> None:
    log = day_log("presentations-skodje-hovuddor-2026-08-14")
    assert log is not None
    assert (log.kind, log.owner, log.day) == ("presentations", "skodje-hovuddor", date(2026, 8, 14))
    assert day_log("counts-skodje-2026-02-30") is None  # no such day
    assert day_log("branch-skodje") is None
    assert day_log("closing-skodje-2026-08-14") is None  # not a log with a retention


def test_each_kind_of_log_follows_its_own_retention() -> None:
    logs = [day_log(f"{kind}-skodje-2026-08-14") for kind in ("presentations", "counts", "alarms")]
    kept = Retention(door_decisions_days=10, counter_days=20, alarms_days=30)
    due = logs_due(
        [log for log in logs if log], date(2026, 9, 4), lambda log: "skodje", lambda _: kept
    )
    assert [log.kind for log in due] == ["counts", "presentations"]


def test_a_log_of_an_unknown_branch_is_kept() -> None:
    log = day_log("presentations-nowhere-2020-01-01")
    assert log is not None
    assert logs_due([log], date(2026, 1, 1), lambda _: None, lambda _: Retention()) == []
