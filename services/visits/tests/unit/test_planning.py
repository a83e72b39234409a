"""The classes not yet visited and the proposed booking plan, on a realistic municipality: 35
schools, 10 branches, a full school year. The plan books only staffed school-day hours, never
overlaps at a branch, puts each class at its nearest branch when there is room, and leaves out
only classes for which no branch they can reach has room."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest

from tvers_contracts.events.visits import Programme
from tvers_contracts.schedule import OSLO
from tvers_visits.domain import planning, visit_year
from tvers_visits.domain.planning import Plan, PlannedVisit, PlanningRules
from tvers_visits.domain.school_year import SchoolYear
from tvers_visits.domain.visit_year import Booking, Branch, VisitYear
from tvers_visits.testing.municipality import Municipality, municipality

YEAR = SchoolYear(2026)
#: The plan is made before the year starts.
BEFORE = datetime(2026, 6, 15, 12, 0, tzinfo=OSLO)


@pytest.fixture(scope="module")
def town() -> Municipality:
    return municipality(YEAR)


def propose(
    town: Municipality,
    year: VisitYear | None = None,
    *,
    first: date = YEAR.first_day,
    last: date = YEAR.last_day,
    rules: PlanningRules = planning.RULES,
) -> Plan:
    return planning.propose(
        year or town.year,
        schools=town.schools,
        schedules=town.schedules,
        first=first,
        last=last,
        now=BEFORE,
        rules=rules,
    )


def bookings(plan: Plan) -> list[Booking]:
    return [
        Booking(
            visit_id=uuid4(),
            pupils_of=p.pupils_of,
            branch_id=p.slot.branch_id,
            starts_at=p.slot.starts_at,
            ends_at=p.slot.ends_at,
            expected_pupils=p.expected_pupils,
            programme=p.programme,
        )
        for p in plan.visits
    ]


def book_all(town: Municipality, plan: Plan, year: VisitYear | None = None) -> VisitYear:
    state = year or town.year
    events = visit_year.book_all(
        state,
        bookings(plan),
        schools=town.schools,
        branches={b: Branch(b, True, s) for b, s in town.schedules.items()},
        now=BEFORE,
    )
    for event in events:
        state = visit_year.evolve(state, event)
    return state


def overlapping(visits: tuple[PlannedVisit, ...]) -> list[tuple[PlannedVisit, PlannedVisit]]:
    return [
        (a, b)
        for a, b in itertools.combinations(visits, 2)
        if a.slot.branch_id == b.slot.branch_id
        and a.slot.overlaps(b.slot.starts_at, b.slot.ends_at)
    ]


def test_the_fixture_is_a_realistic_municipality(town: Municipality) -> None:
    assert (len(town.schools), len(town.schedules)) == (35, 10)
    waiting = visit_year.not_yet_visited(town.year)
    assert {ref.grade for ref in waiting} == {2, 9}
    assert len(waiting) > 60


def test_every_class_not_yet_visited_is_planned_when_there_is_room(town: Municipality) -> None:
    plan = propose(town)
    planned = [p.pupils_of for p in plan.visits]
    assert sorted(planned, key=str) == sorted(visit_year.not_yet_visited(town.year), key=str)
    assert plan.no_room == ()


def test_the_plan_has_no_overlaps_at_a_branch(town: Municipality) -> None:
    assert overlapping(propose(town).visits) == []


def test_the_plan_books_only_staffed_school_day_hours(town: Municipality) -> None:
    for visit in propose(town).visits:
        slot = visit.slot
        schedule = town.schedules[slot.branch_id]
        assert visit_year.staffed_throughout(schedule, slot.starts_at, slot.ends_at), visit
        local = slot.starts_at.astimezone(OSLO)
        assert local.isoweekday() <= 5, visit
        assert local.time() >= time(8, 30), visit
        assert slot.ends_at.astimezone(OSLO).time() <= time(14, 30), visit
        assert slot.day in YEAR


def test_each_class_goes_to_its_nearest_branch_when_it_has_room(town: Municipality) -> None:
    plan = propose(town)
    assert all(
        p.slot.branch_id == town.schools[p.pupils_of.school_id].nearest_branch_id
        for p in plan.visits
    )


def test_the_plan_spreads_a_branch_s_classes_over_the_year(town: Municipality) -> None:
    months = {p.slot.starts_at.astimezone(OSLO).month for p in propose(town).visits}
    assert len(months) >= 8


def test_the_rules_accept_every_visit_of_the_plan_booked_together(town: Municipality) -> None:
    plan = propose(town)
    year = book_all(town, plan)
    assert visit_year.not_yet_visited(year) == []
    assert propose(town, year).visits == ()


def test_with_little_room_classes_go_farther_or_are_left_out_only_without_room(
    town: Municipality,
) -> None:
    # Three weeks, longer visits: not every class fits at its nearest branch.
    first, last = date(2026, 9, 7), date(2026, 9, 25)
    tight = PlanningRules(
        lengths={p: timedelta(hours=5) for p in Programme}, step=timedelta(hours=1)
    )
    plan = propose(town, first=first, last=last, rules=tight)
    assert overlapping(plan.visits) == []
    farther = [
        p
        for p in plan.visits
        if p.slot.branch_id != town.schools[p.pupils_of.school_id].nearest_branch_id
    ]
    assert farther, "some classes go to another branch they can reach"
    assert plan.no_room, "some classes have no room anywhere in three weeks"
    after = book_all(town, plan)
    for ref in plan.no_room:
        for branch_id in town.schools[ref.school_id].branches_by_nearness():
            free = planning.free_slots(
                after,
                branch_id,
                town.schedules[branch_id],
                length=timedelta(hours=5),
                first=first,
                last=last,
                after=BEFORE,
                rules=tight,
            )
            assert free == [], (ref, branch_id)


def test_free_slots_avoid_booked_visits(town: Municipality) -> None:
    plan = propose(town)
    year = book_all(town, plan)
    first_visit = plan.visits[0]
    branch_id = first_visit.slot.branch_id
    day = first_visit.slot.day
    free = planning.free_slots(
        year,
        branch_id,
        town.schedules[branch_id],
        length=timedelta(hours=1),
        first=day,
        last=day,
        after=BEFORE,
    )
    assert all(not s.overlaps(first_visit.slot.starts_at, first_visit.slot.ends_at) for s in free)
