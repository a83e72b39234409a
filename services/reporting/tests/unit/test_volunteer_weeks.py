"""The volunteers' shifts count in the Europe/Oslo week they start in, whatever the UTC date says:
around local midnight between Sunday and Monday, and in the weeks the clocks change."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tvers_reporting.read_models.volunteer_shifts import week_of

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("utc", "monday"),
    [
        # Winter (UTC+1): Monday 12 January begins at 23:00 UTC on Sunday.
        (datetime(2026, 1, 11, 22, 59, 59, tzinfo=UTC), date(2026, 1, 5)),
        (datetime(2026, 1, 11, 23, 0, tzinfo=UTC), date(2026, 1, 12)),
        # Spring forward on Sunday 29 March: Monday 30 March begins at 22:00 UTC.
        (datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC), date(2026, 3, 23)),
        (datetime(2026, 3, 29, 22, 0, tzinfo=UTC), date(2026, 3, 30)),
        # Fall back on Sunday 25 October: back to UTC+1, Monday 26 October at 23:00 UTC.
        (datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC), date(2026, 10, 19)),
        (datetime(2026, 10, 25, 23, 0, tzinfo=UTC), date(2026, 10, 26)),
    ],
)
def test_a_shift_counts_in_the_local_week_it_starts(utc: datetime, monday: date) -> None:
    assert week_of(utc, OSLO) == monday
