"""Which month keys are due for destruction: a month goes only when every day of it lies beyond
the retention for door decisions."""

from datetime import date

import pytest

from tvers_access.domain.retention import Retention, keys_due, last_day

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
