"""The demo's school strand keeps within the visits service's rules on any day: the schools and
pages are data; every class visit lies in its branch's staffed school-day hours with no two at a
branch at once, is booked ahead of its time and recorded as held after it began; some classes
are always not yet visited; deposits end in every status, some overdue; in July only the coming
school year is planned."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from itertools import pairwise

import pytest

from tvers_cli.demo.places import BRANCHES, ZONE
from tvers_cli.demo.plans import Call
from tvers_cli.demo.school_data import pages, school_library, schools
from tvers_cli.demo.school_strand import SchoolStrand, make
from tvers_cli.demo.school_visits import Slot
from tvers_cli.demo.simulated import visits_settings_of
from tvers_contracts.events.visits import MOST_PUPILS
from tvers_visits.domain import school_year
from tvers_visits.domain.visit_year import staffed_throughout

SCHEDULES = {b.branch_id: b.schedule() for b in BRANCHES}
#: Days across a school year and its summer: its start, autumn, the turn of the year, spring,
#: its last week, July.
DAYS = [
    date(2026, 8, 3),
    date(2026, 8, 25),
    date(2026, 11, 30),
    date(2027, 1, 2),
    date(2027, 3, 15),
    date(2027, 6, 25),
    date(2027, 7, 10),
]


def calls(strand: SchoolStrand) -> list[Call]:
    past = [call for rounds in strand.history for chain in rounds for call in chain]
    now = [*strand.bookings_ahead, strand.theme_day, *strand.network, *strand.pages]
    return past + now + strand.page_edits


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), ZONE)


def test_the_schools_are_data_about_24_primary_and_11_lower_secondary_with_routes() -> None:
    found = schools()
    teaching = Counter(c.grade for s in found for c in s.classes if c.label.endswith("A"))
    assert (len(found), teaching[2], teaching[9]) == (35, 25, 11)
    assert len({s.school_id for s in found}) == len(found)
    branches = {b.branch_id for b in BRANCHES}
    for school in found:
        assert school.nearest_branch_id in branches
        assert 1 <= len(school.routes) <= 3
        assert {r.branch_id for r in school.routes} <= branches
        assert {r.means for r in school.routes} <= {"walk", "bus", "ferry"}
        assert all(1 <= c.pupils <= MOST_PUPILS for c in school.classes)
        assert all(c.label[:-1] == str(c.grade) for c in school.classes)


@pytest.mark.parametrize("day", DAYS)
def test_every_visit_is_in_staffed_school_day_hours_and_none_overlap_at_a_branch(
    day: date,
) -> None:
    strand = make(day)
    slots: list[Slot] = [p.slot for p in strand.classes]
    slots += [p.moved_to for p in strand.classes if p.moved_to is not None]
    for slot in slots:
        local = slot.starts_at.astimezone(ZONE), slot.ends_at.astimezone(ZONE)
        assert staffed_throughout(SCHEDULES[slot.branch_id], slot.starts_at, slot.ends_at)
        assert local[0].time() >= time(8, 30)
        assert local[1].time() <= time(14, 30)
        assert slot.day.weekday() < 5
        assert slot.day in strand.year
    by_branch: dict[str, list[Slot]] = {}
    for slot in slots:
        by_branch.setdefault(slot.branch_id, []).append(slot)
    for there in by_branch.values():
        there.sort(key=lambda s: s.starts_at)
        assert all(a.ends_at <= b.starts_at for a, b in pairwise(there))


@pytest.mark.parametrize("day", DAYS)
def test_the_past_is_booked_ahead_and_held_after_it_began_before_the_history_day(
    day: date,
) -> None:
    strand = make(day)
    visits, *_ = strand.history[-1]
    assert all(strand.since < call.at < midnight(day) for call in visits if call.at)
    assert [call.at for call in visits] == sorted(call.at for call in visits if call.at)
    by_class: dict[str, list[Call]] = {}
    for call in visits:
        by_class.setdefault(call.makes or call.of or "", []).append(call)
    for plan in strand.classes:
        done = by_class.pop(plan.name, [])
        kinds = [call.key.rsplit("-", 1)[-1] for call in done]
        expected = {
            "held": ["book", "held"],
            "moved": ["book", "move", "held"],
            "cancelled": ["book", "cancel"],
        }.get(plan.fate, [])
        assert kinds == expected, plan
        if not done:
            continue
        slot = plan.moved_to or plan.slot
        assert done[0].at is not None
        assert done[0].at < plan.slot.starts_at
        if plan.held:
            held = done[-1]
            assert held.at is not None
            assert held.at >= slot.starts_at
            counts = held.body
            assert counts["pupils_present"] <= plan.school_class.pupils
            assert counts["library_cards_handed_out"] <= counts["pupils_present"]
            assert counts["library_cards_handed_out"] <= counts["consent_forms_collected"]
            assert counts["consent_forms_collected"] <= plan.school_class.pupils
    assert not by_class


@pytest.mark.parametrize("day", DAYS)
def test_some_classes_are_not_yet_visited_and_only_coming_visits_are_booked_now(
    day: date,
) -> None:
    strand = make(day)
    fates = Counter(p.fate for p in strand.classes)
    assert fates["missed"] + fates["cancelled"] + fates["not_booked"] > 0
    assert len(strand.classes) == sum(len(s.classes) for s in schools())
    assert all(
        datetime.fromisoformat(call.body["starts_at"]) >= midnight(day)
        for call in strand.bookings_ahead
    )
    if day >= date(2026, 9, 15) and day.month != 7:
        assert strand.held > 5


def test_in_july_the_coming_school_year_is_planned_and_none_of_it_held() -> None:
    strand = make(date(2027, 7, 10))
    assert strand.year == school_year.SchoolYear(2027)
    assert strand.held == 0
    assert strand.bookings_ahead
    assert all(plan.slot.day >= date(2027, 8, 19) for plan in strand.classes)


@pytest.mark.parametrize("day", DAYS)
def test_deposits_end_in_every_status_and_some_are_overdue(day: date) -> None:
    strand = make(day)
    assert set(strand.deposit_statuses) == {
        "requested",
        "prepared",
        "delivered",
        "returned",
        "cancelled",
    }
    assert strand.overdue >= 1
    deposits = [chain for chain in strand.history[-1] if chain and chain[0].path == "/deposits"]
    for chain in deposits:
        moments = [call.at for call in chain]
        assert all(m is not None and strand.since < m < midnight(day) for m in moments)
        assert moments == sorted(m for m in moments if m)
        ordered = chain[0]
        assert ordered.at is not None
        assert date.fromisoformat(ordered.body["wished_delivery_on"]) >= ordered.at.date()


def test_the_theme_days_one_held_with_participants_per_school_and_one_to_come() -> None:
    day = date(2026, 11, 30)
    strand = make(day)
    planned, held = next(c for c in strand.history[-1] if c and c[0].path == "/theme-days")
    assert planned.at is not None
    assert held.at is not None
    assert planned.at < held.at < midnight(day)
    assert len({p["school_id"] for p in held.body["participants"]}) >= 5
    assert date.fromisoformat(strand.theme_day.body["day"]) > day


def test_a_dozen_resource_pages_in_every_category_and_names_only_with_consent() -> None:
    first, second = pages()
    assert len(first) == 12
    assert {p.category for p in first} == {
        "library_system",
        "reading_promotion",
        "class_visit_programmes",
    }
    assert all(p.title and not p.markdown.startswith("# ") for p in first)
    assert {p.slug for p in second} <= {p.slug for p in first}
    members = school_library().network
    assert any(m.name for m in members)
    assert any(m.name is None for m in members)
    for call in make(date(2026, 11, 30)).network:
        assert ("name" in call.body) == call.body.get("consent", False)


@pytest.mark.parametrize("day", DAYS)
def test_the_strand_is_the_same_for_the_same_day_and_each_key_is_used_once(day: date) -> None:
    assert make(day) == make(day)
    keys = [call.key for call in calls(make(day))]
    assert len(set(keys)) == len(keys)


def test_the_simulated_visits_service_runs_with_its_processs_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TVERS_TIMEZONE", "Europe/London")  # this process's, not its
    settings = visits_settings_of(
        {
            "PATH": "/usr/bin",
            "TVERS_DATABASE_URL": "postgresql://visits@127.0.0.1:1/visits",
            "TVERS_TENANT": "1508",
            "TVERS_HTTP_PORT": "8103",
        }
    )
    assert settings.database_url.get_secret_value().endswith("/visits")
    assert (settings.tenant, settings.http_port, settings.timezone) == (
        "1508",
        8103,
        "Europe/Oslo",
    )
