"""The school year: 1 August to 30 June, in Europe/Oslo dates. Pure, no I/O.

July is the summer holiday and belongs to no school year: nothing is booked or held in it. A
year is named by its two calendar years (``2026-2027``), as the events name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tvers_runtime.domain import RuleViolated

FIRST_MONTH = 8  # August
LAST_MONTH = 6  # June
#: The calendar years this service deals in: its working life, as the staffed hours' dates
#: (decision 0032), and far from the ends of the calendar, where a moment near 1 January of the
#: year 1 does not fit in a ``datetime`` once it is moved to Oslo's time (decision 0037).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


class NotInASchoolYear(RuleViolated):
    """A date in July: the summer holiday."""


@dataclass(frozen=True, order=True)
class SchoolYear:
    """The school year that starts in August of ``starts_in``."""

    starts_in: int

    @property
    def label(self) -> str:
        """``2026-2027``."""
        return f"{self.starts_in}-{self.starts_in + 1}"

    @property
    def first_day(self) -> date:
        """1 August."""
        return date(self.starts_in, FIRST_MONTH, 1)

    @property
    def last_day(self) -> date:
        """30 June of the next calendar year."""
        return date(self.starts_in + 1, LAST_MONTH, 30)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day

    @classmethod
    def named(cls, label: str) -> SchoolYear:
        """The year a label names (``2026-2027``); the label is assumed valid (the contracts'
        ``SchoolYearLabel`` checks it)."""
        return cls(int(label.split("-", maxsplit=1)[0]))


#: The first and the last school year this service deals in (2000-2001 to 2098-2099).
FIRST_KNOWN, LAST_KNOWN = SchoolYear(EARLIEST_YEAR), SchoolYear(LATEST_YEAR - 1)


def of(day: date) -> SchoolYear:
    """The school year ``day`` lies in; :class:`NotInASchoolYear` in July."""
    if day.month == 7:
        raise NotInASchoolYear(
            f"{day.isoformat()} is in the summer holiday: a school year runs from 1 August to "
            "30 June"
        )
    return SchoolYear(day.year if day.month >= FIRST_MONTH else day.year - 1)


def current(today: date) -> SchoolYear:
    """The school year going on; in July the one about to start (planning it is what July is
    for)."""
    return SchoolYear(today.year if today.month >= 7 else today.year - 1)
