"""What the dashboard is asked to show: named periods end on the local date, dates are read
strictly, and what cannot be shown is refused with words saying what to choose instead."""

from datetime import date

import pytest

from tvers_reporting.entrypoints.dashboard import texts
from tvers_reporting.entrypoints.dashboard.filters import FilterRefused, Named, read_filters

BRANCHES = {"skodje", "haroy"}
YEARS = {"2025-2026", "2026-2027"}


def filters(query: dict[str, str], today: date = date(2026, 11, 30)):  # type: ignore[no-untyped-def]
    return read_filters(query, today=today, branches=BRANCHES, school_years=YEARS)


def test_by_default_the_last_12_months_of_all_branches_and_the_school_year_of_today() -> None:
    shown = filters({})
    assert (shown.first, shown.last) == (date(2025, 12, 1), date(2026, 11, 30))
    assert shown.named is Named.LAST_12_MONTHS
    assert shown.branch_id is None
    assert shown.school_year == "2026-2027"


def test_the_last_12_months_from_a_leap_day_start_on_the_first_of_march() -> None:
    shown = filters({"period": "last-12-months"}, today=date(2028, 2, 29))
    assert (shown.first, shown.last) == (date(2027, 3, 1), date(2028, 2, 29))


def test_a_period_ending_in_july_belongs_to_the_school_year_just_ended() -> None:
    shown = filters({"from": "2026-07-01", "to": "2026-07-31"})
    assert shown.school_year == "2025-2026"
    assert shown.named is None


def test_a_named_period_wins_over_dates_sent_with_it() -> None:
    shown = filters({"period": "last-30-days", "from": "2020-01-01", "to": "2020-02-01"})
    assert (shown.first, shown.last) == (date(2026, 11, 1), date(2026, 11, 30))


def test_dates_alone_are_the_period() -> None:
    shown = filters({"from": "2026-03-29", "to": "2026-10-25", "branch": "skodje"})
    assert (shown.first, shown.last, shown.branch_id) == (
        date(2026, 3, 29),
        date(2026, 10, 25),
        "skodje",
    )
    assert shown.query(sort="school") == {
        "from": "2026-03-29",
        "to": "2026-10-25",
        "branch": "skodje",
        "school_year": "2026-2027",
        "sort": "school",
    }


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ({"period": "forever"}, texts.BAD_PERIOD),
        ({"from": "30.11.2026"}, texts.BAD_FROM),
        ({"to": "2026-02-30"}, texts.BAD_TO),
        ({"from": "1999-12-31"}, texts.BAD_FROM),
        ({"from": "2026-11-30", "to": "2026-11-29"}, texts.FROM_AFTER_TO),
        ({"from": "2020-01-01", "to": "2026-01-01"}, texts.PERIOD_TOO_LONG),
        ({"branch": "atlantis"}, texts.UNKNOWN_BRANCH),
        ({"school_year": "2019-2020"}, texts.UNKNOWN_SCHOOL_YEAR),
    ],
)
def test_what_cannot_be_shown_is_refused_with_what_to_choose(
    query: dict[str, str], refusal: str
) -> None:
    with pytest.raises(FilterRefused) as refused:
        filters(query)
    assert refused.value.message == refusal
