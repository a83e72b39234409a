"""Tailgating: in meirope hours every counted entry must follow a grant at that door within the
branch's window; entries no grant explains raise a suspicion, without naming anyone."""

from datetime import UTC, datetime, timedelta

import pytest

from tvers_access.domain.alarms import raise_alarm, tailgating, unmatched_entries
from tvers_access.domain.door import Door
from tvers_access.domain.occupancy import Reading
from tvers_contracts.events.access import DoorAlarmKind
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import NotFound

DOOR = Door("skodje-hovuddor", "skodje")
T0 = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=10)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def report(seconds: float, entries: int = 1, sequence: int = 0) -> Reading:
    return Reading("skodje-hovuddor", at(seconds), entries, 0, sequence)


def suspected(
    latest: Reading,
    grants: list[float],
    earlier: list[Reading] | None = None,
    opening: OpeningKind = OpeningKind.MEIROPE,
) -> tuple[int, int] | None:
    found = tailgating(
        DOOR,
        latest,
        readings=[*(earlier or []), latest],
        grants=[at(g) for g in grants],
        window=WINDOW,
        opening=opening,
    )
    return None if found is None else (found.counted, found.granted)


def test_one_grant_and_one_entry_soon_after_is_no_suspicion() -> None:
    assert suspected(report(4), grants=[0]) is None


def test_two_entries_on_one_grant_are_suspected() -> None:
    assert suspected(report(4, entries=2), grants=[0]) == (2, 1)


def test_a_second_report_on_a_used_grant_is_suspected() -> None:
    assert suspected(report(5, sequence=2), grants=[0], earlier=[report(4, sequence=1)]) == (2, 1)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(10, None), (10.000001, (1, 0))],
)
def test_the_window_includes_its_edge(seconds: float, expected: tuple[int, int] | None) -> None:
    assert suspected(report(seconds), grants=[0]) == expected


def test_a_grant_after_the_entry_does_not_explain_it() -> None:
    assert suspected(report(4), grants=[5]) == (1, 0)


def test_grants_a_few_seconds_apart_explain_their_own_entries() -> None:
    # Two people one after the other: at the second report the window holds both entries but
    # only the second grant; the first grant explained the first entry.
    assert suspected(report(11, sequence=2), grants=[0, 8], earlier=[report(3, sequence=1)]) is None


def test_an_entry_with_no_grant_at_all_is_suspected() -> None:
    assert suspected(report(3), grants=[]) == (1, 0)


def test_nothing_is_checked_in_staffed_hours_when_the_door_stands_open() -> None:
    assert suspected(report(4, entries=5), grants=[], opening=OpeningKind.STAFFED) is None


def test_a_report_of_exits_only_is_no_suspicion() -> None:
    assert suspected(Reading("skodje-hovuddor", at(4), 0, 3), grants=[]) is None


def test_only_the_reports_own_entries_are_judged_and_older_ones_are_not_counted_again() -> None:
    earlier_unexplained = report(1, sequence=1)  # judged when it came
    assert unmatched_entries(report(30, sequence=2), [earlier_unexplained], [at(28)], WINDOW) == 0


def test_another_doors_reports_do_not_use_this_doors_grants() -> None:
    other = Reading("skodje-sidedor", at(2), 1, 0, 1)
    assert suspected(report(4, sequence=2), grants=[0], earlier=[other]) is None


def test_a_door_alarm_names_the_door_and_its_branch() -> None:
    alarm = raise_alarm(DOOR, kind=DoorAlarmKind.FORCED, raised_at=at(0))
    assert (alarm.door_id, alarm.branch_id, alarm.kind) == (
        "skodje-hovuddor",
        "skodje",
        DoorAlarmKind.FORCED,
    )
    with pytest.raises(NotFound):
        raise_alarm(Door(), kind=DoorAlarmKind.HELD_OPEN, raised_at=at(0))
