"""Where the demo happens: Ålesund's innbyggartorg sites and more branches, with their weekly
schedules, doors and rules, and the school year. (The schools that visit them are data:
:mod:`.school_data`.)"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_access.domain.schedule import Schedule
from tvers_contracts.events.access import SchedulePeriod, UnreachablePolicy
from tvers_contracts.values import OpeningKind

ZONE = ZoneInfo("Europe/Oslo")
#: Below this age a child comes in only right after the guardian, at every demo branch.
UNACCOMPANIED_MIN_AGE = 12


@dataclass(frozen=True)
class Period:
    weekday: int
    starts: str
    ends: str
    kind: str


@dataclass(frozen=True)
class Branch:
    branch_id: str
    name: str
    meirope_min_age: int
    periods: tuple[Period, ...]
    #: What the doors do in meirope hours while the library system cannot be asked.
    when_unreachable: UnreachablePolicy = UnreachablePolicy.FAIL_CLOSED

    @property
    def door_id(self) -> str:
        return f"{self.branch_id}-hovuddor"

    def schedule(self) -> Schedule:
        """The weekly schedule as the access service reads it."""
        return Schedule(tuple(SchedulePeriod(**p.__dict__) for p in self.periods), {}, ZONE)


def _week(
    staffed: tuple[str, str] | None, meirope: list[tuple[str, str]], days: range
) -> list[Period]:
    periods = []
    for weekday in days:
        if staffed is not None:
            periods.append(Period(weekday, staffed[0], staffed[1], "staffed"))
        periods += [Period(weekday, start, end, "meirope") for start, end in meirope]
    return periods


def _schedule(
    staffed_weekdays: tuple[str, str],
    meirope: list[tuple[str, str]],
    weekend: list[tuple[str, str]],
) -> tuple[Period, ...]:
    return tuple(_week(staffed_weekdays, meirope, range(1, 6)) + _week(None, weekend, range(6, 8)))


# The two largest branches keep meirope until 22:00 every day, so that some branch closed
# within every 23 hours: the demo leaves people inside at such recent closings (see
# ``incidents.left_inside``).
BRANCHES: tuple[Branch, ...] = (
    Branch(
        "alesund-sentrum",
        "Ålesund sentrum",
        15,
        _schedule(
            ("10:00", "18:00"), [("07:00", "10:00"), ("18:00", "22:00")], [("09:00", "22:00")]
        ),
    ),
    Branch(
        "brattvag",
        "Brattvåg",
        16,
        _schedule(
            ("11:00", "15:00"), [("08:00", "11:00"), ("15:00", "21:00")], [("10:00", "18:00")]
        ),
    ),
    Branch(
        "haroy",
        "Harøy",
        16,
        _schedule(("12:00", "16:00"), [("16:00", "21:00")], [("11:00", "17:00")]),
        # An island branch: its regulars may come in while the library system is away.
        when_unreachable=UnreachablePolicy.AGREEMENT_HOLDERS,
    ),
    Branch(
        "skodje",
        "Skodje",
        15,
        _schedule(
            ("10:00", "15:00"), [("07:00", "10:00"), ("15:00", "22:00")], [("10:00", "20:00")]
        ),
    ),
    Branch(
        "sjoholt",
        "Sjøholt",
        18,
        _schedule(("11:00", "15:00"), [("15:00", "21:00")], [("10:00", "16:00")]),
    ),
    Branch(
        "spjelkavik",
        "Spjelkavik",
        15,
        _schedule(
            ("10:00", "17:00"), [("07:00", "10:00"), ("17:00", "22:00")], [("09:00", "22:00")]
        ),
    ),
    Branch(
        "ellingsoy",
        "Ellingsøy",
        16,
        _schedule(("12:00", "16:00"), [("16:00", "21:00")], [("12:00", "18:00")]),
    ),
)


def school_year_start(today: date, *, month: int = 8, day: int = 1) -> date:
    """The first day of the school year ``today`` lies in (from 1 August, unless told)."""
    start = date(today.year, month, day)
    return start if start <= today else date(today.year - 1, month, day)


def evening(branch: Branch, day: date, rng: random.Random, *, room: timedelta) -> datetime:
    """A moment in the last meirope period of a day at a branch, ``room`` before its end."""
    spans = branch.schedule().day_occurrences(day)
    last = [s for s in spans if s.kind is OpeningKind.MEIROPE][-1]
    seconds = int((last.ends - room - last.starts).total_seconds())
    return (last.starts + timedelta(seconds=rng.randrange(seconds))).astimezone(ZONE)
