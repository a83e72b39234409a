"""The demo's school strand (pure): everything the fill sends to the visits service, as a function
of the day the history runs up to (decision 0036).

- **Set up** on the simulated clock, some weeks before the school year (or before the first
  deposit, if later): the schools with their nearest branches and routes, the rooms, and the
  classes of the school year. In July, the school year is the one about to start: the summer
  holiday belongs to none (decision 0031), so the demo plans the coming year only.
- **The past**, on the simulated clock: the class visits of the days gone by
  (:mod:`.school_visits`), the deposits of the last weeks and the theme day held
  (:mod:`.school_library`). The school year's visits are one stream, so they go one at a time;
  the deposits and the theme day beside them.
- **Now**, to the running service: the visits booked ahead, the theme day to come, the network
  and the resource bank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tvers_cli.demo.places import BRANCHES, ZONE
from tvers_cli.demo.plans import Call
from tvers_cli.demo.school_data import DemoSchool, schools
from tvers_cli.demo.school_library import (
    COURSES,
    EARLIEST,
    deposit_chains,
    network_calls,
    page_calls,
    theme_day_held,
    theme_day_upcoming,
    workday,
)
from tvers_cli.demo.school_visits import ClassPlan, booking, class_plans, past_calls
from tvers_visits.domain import school_year
from tvers_visits.domain.school_year import SchoolYear

#: Pupils each branch's room for class visits holds at once (the largest take two classes).
ROOMS = {"alesund-sentrum": 60, "spjelkavik": 50}
ROOM = 30


@dataclass(frozen=True)
class SchoolStrand:
    """What the fill sends to the visits service, and what it should then hold."""

    day: date
    year: SchoolYear
    #: When the schools are registered, on the simulated clock: the history's first moment.
    since: datetime
    classes: list[ClassPlan]
    #: The history on the simulated clock: rounds, one after the other, of chains of calls
    #: that go side by side, each chain in order.
    history: list[list[list[Call]]]
    bookings_ahead: list[Call]
    theme_day: Call
    network: list[Call]
    pages: list[Call]
    page_edits: list[Call]

    @property
    def held(self) -> int:
        """How many visits of the year are recorded as held."""
        return sum(plan.held for plan in self.classes)

    @property
    def deposit_statuses(self) -> Counter[str]:
        """How many deposits end in each status."""
        return Counter(course.status for course in COURSES)

    @property
    def overdue(self) -> int:
        """How many deposits are overdue on the history's day."""
        return sum(course.overdue(self.day) for course in COURSES)


def make(day: date) -> SchoolStrand:
    """The school strand of a history running up to ``day``."""
    year = school_year.current(day)
    first = min(date(year.starts_in, 6, 10), day - EARLIEST)
    since = datetime.combine(workday(first), time(9), ZONE)
    plans = class_plans(year, day)
    written, edits = page_calls()
    return SchoolStrand(
        day=day,
        year=year,
        since=since,
        classes=plans,
        history=[
            *_setup(year, since),
            [past_calls(plans, year, since, day), theme_day_held(day), *deposit_chains(day)],
        ],
        bookings_ahead=[booking(p, year) for p in plans if p.fate == "booked"],
        theme_day=theme_day_upcoming(day),
        network=network_calls(),
        pages=written,
        page_edits=edits,
    )


def _setup(year: SchoolYear, since: datetime) -> list[list[list[Call]]]:
    """The register of schools and the branches' rooms beside it; then the schools' routes
    (the register's stream) and classes (the school year's) beside each other."""
    register = [
        Call(f"demo-school-{s.school_id}", "POST", "/schools", _school(s), at=since)
        for s in schools()
    ]
    routes = [
        Call(
            f"demo-routes-{s.school_id}",
            "PUT",
            f"/schools/{s.school_id}/routes",
            {"routes": [r.__dict__ for r in s.routes]},
            at=since + timedelta(hours=1),
        )
        for s in schools()
    ]
    classes = [
        Call(
            f"demo-classes-{s.school_id}-{year.label}",
            "PUT",
            f"/school-years/{year.label}/schools/{s.school_id}/classes",
            {
                "classes": [
                    {"grade": c.grade, "class_label": c.label, "pupils": c.pupils}
                    for c in s.classes
                ]
            },
            at=since + timedelta(hours=2),
        )
        for s in schools()
    ]
    rooms = [
        Call(
            f"demo-visit-room-{b.branch_id}",
            "PUT",
            f"/branches/{b.branch_id}/visit-room",
            {"pupils": ROOMS.get(b.branch_id, ROOM)},
            at=since,
        )
        for b in BRANCHES
    ]
    return [[register, rooms], [routes, classes]]


def _school(school: DemoSchool) -> dict[str, str]:
    return {
        "school_id": school.school_id,
        "name": school.name,
        "school_type": school.school_type,
        "nearest_branch_id": school.nearest_branch_id,
    }
