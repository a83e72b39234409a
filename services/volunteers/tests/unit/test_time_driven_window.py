"""The scheduler's window around now is wide enough for every rule on every day of a year,
daylight-saving nights included: reminders fall due within the look-ahead before a shift
starts, and forgotten check-outs are closed within the shortest look-back after it ends."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr, ValidationError

from tvers_volunteers.domain.windows import check_out_closes, reminder_due
from tvers_volunteers.settings import VolunteersSettings
from tvers_volunteers.time_driven_cases import CHECK_OUT_CLOSES_WITHIN, LOOK_AHEAD

DATABASE = SecretStr("postgresql://volunteers@localhost/volunteers")
#: Every quarter of an hour of 2027, the year of both daylight-saving nights in the tests.
MOMENTS = [datetime(2027, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * i) for i in range(35040)]


def test_every_reminder_falls_due_within_the_look_ahead_before_its_shift_starts() -> None:
    earliest = max(starts - reminder_due(starts) for starts in MOMENTS)
    assert earliest <= LOOK_AHEAD
    # Noon the day before a shift starting at 23:45 on the autumn night's 25-hour day.
    assert earliest == timedelta(hours=36, minutes=45)


def test_every_forgotten_check_out_is_closed_within_the_shortest_look_back() -> None:
    latest = max(check_out_closes(ends) - ends for ends in MOMENTS)
    assert latest <= CHECK_OUT_CLOSES_WITHIN
    # A shift ending at 00:15 on the autumn night's 25-hour day, closed at its end.
    assert latest == timedelta(hours=24, minutes=45)


def test_a_look_back_too_short_for_the_rule_on_forgotten_check_outs_is_refused() -> None:
    with pytest.raises(ValidationError, match="scheduler_look_back_hours"):
        VolunteersSettings(database_url=DATABASE, scheduler_look_back_hours=25)
    shortest = VolunteersSettings(database_url=DATABASE, scheduler_look_back_hours=26)
    assert timedelta(hours=shortest.scheduler_look_back_hours) > CHECK_OUT_CLOSES_WITHIN
