"""The heat map's hours are Europe/Oslo wall-clock hours, whatever the offset of the day."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryGranted
from tvers_contracts.values import OpeningKind
from tvers_reporting.read_models.meirope_entries import MeiropeEntries


def entry(at: datetime, version: int) -> Envelope[DomainEvent]:
    return Envelope[DomainEvent](
        event_id=uuid4(),
        event_type="EntryGranted",
        schema_version=EntryGranted.schema_version,
        tenant="1508",
        stream_id="door-haroy-main",
        stream_version=version,
        occurred_at=at,
        recorded_at=at,
        correlation_id=uuid4(),
        payload=EntryGranted(
            door_id="haroy-main",
            branch_id="haroy",
            patron_ref="0" * 32,
            opening=OpeningKind.MEIROPE,
        ),
    )


def hours_of(start: datetime, count: int) -> dict[int, int]:
    events = [entry(start + timedelta(hours=n), n + 1) for n in range(count)]
    totals = MeiropeEntries("Europe/Oslo").totals(events)
    return {key[3]: n for key, n in totals.items()}


def test_the_hour_the_clocks_go_back_counts_twice_in_hour_two() -> None:
    # Sunday 25 October 2026 has 25 hours: 02:00-02:59 comes twice.
    assert hours_of(datetime(2026, 10, 24, 22, tzinfo=UTC), 25) == {
        h: 2 if h == 2 else 1 for h in range(24)
    }


def test_the_night_the_clocks_go_forward_has_no_hour_two() -> None:
    # Sunday 29 March 2026 has 23 hours: 02:00 CET is 03:00 CEST.
    assert hours_of(datetime(2026, 3, 28, 23, tzinfo=UTC), 23) == {
        h: 1 for h in range(24) if h != 2
    }
