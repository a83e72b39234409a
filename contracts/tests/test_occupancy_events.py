"""The occupancy events: announcement minutes are distinct and largest first, counter reports
carry aware times, and no event of them has a field for a patron."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from tvers_contracts.events.access import (
    ClosingAnnounced,
    DoorAlarmRaised,
    OccupancyRulesSet,
    OccupantsCleared,
    OccupantsRemainedAtClosing,
    PeopleCounted,
    TailgatingSuspected,
)


def rules(minutes: list[int]) -> OccupancyRulesSet:
    return OccupancyRulesSet(
        branch_id="skodje",
        announce_minutes_before=minutes,
        check_after_minutes=2,
        tailgating_window_seconds=10,
    )


@pytest.mark.parametrize("minutes", [[15, 10, 5], [30], []])
def test_announcement_minutes_that_are_distinct_and_largest_first_are_taken(
    minutes: list[int],
) -> None:
    assert rules(minutes).announce_minutes_before == minutes


@pytest.mark.parametrize(
    ("minutes", "problem"),
    [
        ([5, 10, 15], "largest first"),
        ([15, 15], "distinct"),
        ([0], "from 1 to 120"),
        ([121], "from 1 to 120"),
    ],
)
def test_announcement_minutes_out_of_order_or_range_are_refused(
    minutes: list[int], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        rules(minutes)


def test_a_counter_report_needs_an_aware_time() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        PeopleCounted(
            door_id="skodje-hovuddor",
            branch_id="skodje",
            entries=1,
            exits=0,
            counted_at=datetime(2026, 11, 23, 21, 0),  # naive: the point of the test
            sequence=1,
        )
    counted = PeopleCounted(
        door_id="skodje-hovuddor",
        branch_id="skodje",
        entries=1,
        exits=0,
        counted_at=datetime(2026, 11, 23, 20, 0, tzinfo=UTC),
        sequence=1,
    )
    assert counted.entries == 1


@pytest.mark.parametrize(
    "event",
    [
        PeopleCounted,
        DoorAlarmRaised,
        TailgatingSuspected,
        ClosingAnnounced,
        OccupantsRemainedAtClosing,
        OccupantsCleared,
    ],
)
def test_no_occupancy_event_has_a_field_for_a_patron(event: type[object]) -> None:
    fields = event.model_fields  # type: ignore[attr-defined]
    assert not any("patron" in name or "card" in name for name in fields)
