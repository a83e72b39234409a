"""The school year runs from 1 August to 30 June; July belongs to none."""

from datetime import date

import pytest

from tvers_visits.domain import school_year
from tvers_visits.domain.school_year import NotInASchoolYear, SchoolYear


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 8, 1), "2026-2027"),
        (date(2026, 12, 31), "2026-2027"),
        (date(2027, 1, 1), "2026-2027"),
        (date(2027, 6, 30), "2026-2027"),
        (date(2027, 8, 1), "2027-2028"),
        (date(2028, 2, 29), "2027-2028"),
    ],
)
def test_a_date_lies_in_the_school_year_from_august_to_june(day: date, label: str) -> None:
    assert school_year.of(day).label == label
    assert day in school_year.of(day)


@pytest.mark.parametrize("day", [date(2027, 7, 1), date(2027, 7, 31)])
def test_july_is_the_summer_holiday_and_in_no_school_year(day: date) -> None:
    with pytest.raises(NotInASchoolYear, match="summer holiday"):
        school_year.of(day)


def test_the_current_year_in_july_is_the_one_about_to_start() -> None:
    assert school_year.current(date(2027, 7, 15)).label == "2027-2028"
    assert school_year.current(date(2027, 6, 30)).label == "2026-2027"


def test_a_year_is_named_by_its_two_calendar_years() -> None:
    year = SchoolYear.named("2026-2027")
    assert (year.first_day, year.last_day) == (date(2026, 8, 1), date(2027, 6, 30))
    assert date(2027, 7, 1) not in year
    assert date(2026, 7, 31) not in year
