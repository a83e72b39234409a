"""A realistic municipality for tests and benchmarks of class-visit planning: 10 branches on
islands and mainland, 24 primary and 11 lower-secondary schools with their 2nd- and 9th-grade
classes, each school's nearest branch and the ways to one or two more, and the branches' weekly
staffed and meirope hours with a closed Christmas week. Made from a seed, the same every time.
Slugs and counts only; no pupil is ever named."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.events.visits import (
    Route,
    SchoolClass,
    SchoolClassesSet,
    SchoolType,
    TravelMeans,
)
from tvers_contracts.schedule import OSLO, DayHours, Schedule
from tvers_contracts.values import OpeningKind
from tvers_visits.domain import visit_year
from tvers_visits.domain.school import School
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import VisitYear

BRANCHES = (
    "alesund-sentrum",
    "brattvag",
    "haroy",
    "skodje",
    "sjoholt",
    "spjelkavik",
    "ellingsoy",
    "valderoy",
    "vigra",
    "stordal",
)
PRIMARY_SCHOOLS = 24
LOWER_SECONDARY_SCHOOLS = 11


@dataclass(frozen=True)
class Municipality:
    """The schools, the branches' schedules and the year with every school's classes."""

    schools: dict[str, School]
    schedules: dict[str, Schedule]
    year: VisitYear
    school_year: SchoolYear

    def access_events(self) -> list[DomainEvent]:
        """The access service's events that set these schedules (for a service's own view)."""
        events: list[DomainEvent] = []
        for branch_id, schedule in self.schedules.items():
            events.append(WeeklyScheduleSet(branch_id=branch_id, periods=list(schedule.weekly)))
            events += [
                ScheduleExceptionSet(
                    branch_id=branch_id, date=day, periods=list(hours.periods), label=hours.label
                )
                for day, hours in schedule.exceptions.items()
            ]
        return events


def weekly_hours(rng: random.Random) -> list[SchedulePeriod]:
    """A branch's week: staffed on weekdays (from 09:00 or 10:00 to 15:00 or 16:00, one late
    day to 19:00), meirope mornings and evenings, meirope only at the weekend."""
    periods: list[SchedulePeriod] = []
    late = rng.randint(1, 4)
    for weekday in range(1, 6):
        opens = time(rng.choice((9, 10)))
        closes = time(19) if weekday == late else time(rng.choice((15, 16)))
        periods += [
            SchedulePeriod(weekday=weekday, starts=time(7), ends=opens, kind=OpeningKind.MEIROPE),
            SchedulePeriod(weekday=weekday, starts=opens, ends=closes, kind=OpeningKind.STAFFED),
            SchedulePeriod(weekday=weekday, starts=closes, ends=time(22), kind=OpeningKind.MEIROPE),
        ]
    for weekday in (6, 7):
        periods.append(
            SchedulePeriod(weekday=weekday, starts=time(8), ends=time(20), kind=OpeningKind.MEIROPE)
        )
    return periods


def christmas(year: SchoolYear) -> dict[date, DayHours]:
    """Closed from 24 December to 1 January; 23 December meirope only."""
    eve = date(year.starts_in, 12, 24)
    closed = {eve + timedelta(days=n): DayHours((), "Jul") for n in range(9)}
    meirope = DayPeriod(starts=time(8), ends=time(20), kind=OpeningKind.MEIROPE)
    return {**closed, date(year.starts_in, 12, 23): DayHours((meirope,), "Lille julaftan")}


def municipality(year: SchoolYear, seed: int = 1508) -> Municipality:
    """The municipality of ``year``, made from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - a fixture, the same from the same seed
    schedules = {
        branch: Schedule(tuple(weekly_hours(rng)), christmas(year), OSLO) for branch in BRANCHES
    }
    schools: dict[str, School] = {}
    classes: list[DomainEvent] = []
    kinds = [SchoolType.PRIMARY] * PRIMARY_SCHOOLS + [SchoolType.LOWER_SECONDARY] * (
        LOWER_SECONDARY_SCHOOLS
    )
    for number, kind in enumerate(kinds, start=1):
        school_id = f"{'barneskule' if kind is SchoolType.PRIMARY else 'ungdomsskule'}-{number:02}"
        nearest, *others = rng.sample(BRANCHES, 3)
        routes = (
            Route(branch_id=nearest, means=TravelMeans.BUS, minutes=rng.randint(5, 30)),
            *(
                Route(branch_id=b, means=rng.choice(list(TravelMeans)), minutes=rng.randint(20, 90))
                for b in others[: rng.randint(0, 2)]
            ),
        )
        schools[school_id] = School(school_id, f"Skule {number}", kind, nearest, routes)
        grade = 2 if kind is SchoolType.PRIMARY else 9
        count = rng.randint(1, 3) if kind is SchoolType.PRIMARY else rng.randint(2, 5)
        classes.append(
            SchoolClassesSet(
                school_id=school_id,
                school_year=year.label,
                classes=[
                    SchoolClass(
                        grade=grade, class_label=f"{grade}{letter}", pupils=rng.randint(14, 28)
                    )
                    for letter in "ABCDE"[:count]
                ],
            )
        )
    state = visit_year.NO_YEAR
    for event in classes:
        state = visit_year.evolve(state, event)
    return Municipality(schools, schedules, state, year)
