"""Reporting counts each event on its Europe/Oslo day, whatever the UTC date says: just before
and after local midnight, and on the days the clocks change."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryGranted
from tvers_contracts.events.volunteers import PromotedFromWaitlist, ShiftClaimed
from tvers_contracts.values import OpeningKind
from tvers_reporting.read_models.daily_activity import DailyActivity

OSLO = ZoneInfo("Europe/Oslo")


def entry_at(moment: datetime) -> Envelope[DomainEvent]:
    return Envelope[DomainEvent](
        event_id=uuid4(),
        event_type="EntryGranted",
        tenant="1508",
        schema_version=1,
        stream_id="presentations-haroy-hovuddor-x",
        stream_version=1,
        occurred_at=moment,
        recorded_at=moment,
        correlation_id=uuid4(),
        payload=EntryGranted(
            door_id="haroy-hovuddor",
            branch_id="haroy",
            patron_ref="0123456789abcdef0123456789abcdef",
            opening=OpeningKind.MEIROPE,
        ),
    )


def days_counted(*moments: datetime) -> list[date]:
    totals = DailyActivity("Europe/Oslo").totals([entry_at(m) for m in moments])
    return sorted(
        day for (_, _, day), counts in totals.items() for _ in range(sum(counts.values()))
    )


@pytest.mark.parametrize(
    ("utc", "oslo_day"),
    [
        # Winter (UTC+1): local midnight is 23:00 UTC.
        (datetime(2026, 1, 14, 22, 59, 59, tzinfo=UTC), date(2026, 1, 14)),
        (datetime(2026, 1, 14, 23, 0, 0, tzinfo=UTC), date(2026, 1, 15)),
        # Summer (UTC+2): local midnight is 22:00 UTC; 23:30 UTC is already tomorrow.
        (datetime(2026, 6, 14, 21, 59, 59, tzinfo=UTC), date(2026, 6, 14)),
        (datetime(2026, 6, 14, 22, 0, 0, tzinfo=UTC), date(2026, 6, 15)),
        (datetime(2026, 6, 14, 23, 30, 0, tzinfo=UTC), date(2026, 6, 15)),
        # Spring forward, 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        (datetime(2026, 3, 28, 22, 59, 59, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 3, 28, 23, 0, 0, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 22, 0, 0, tzinfo=UTC), date(2026, 3, 30)),
        # Fall back, 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        (datetime(2026, 10, 24, 21, 59, 59, tzinfo=UTC), date(2026, 10, 24)),
        (datetime(2026, 10, 24, 22, 0, 0, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 0, 0, tzinfo=UTC), date(2026, 10, 26)),
    ],
)
def test_an_entry_counts_on_its_local_day(utc: datetime, oslo_day: date) -> None:
    assert days_counted(utc) == [oslo_day]


def test_both_hours_of_the_repeated_autumn_hour_count_on_the_same_day() -> None:
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = first + timedelta(hours=1)  # 02:30 CET, the same wall-clock time again
    assert first.astimezone(OSLO).hour == second.astimezone(OSLO).hour == 2
    assert days_counted(first, second) == [date(2026, 10, 25)] * 2


def test_a_shift_counts_on_the_local_day_it_starts() -> None:
    starts = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Oslo
    envelope = entry_at(starts).model_copy(
        update={
            "payload": ShiftClaimed(
                shift_id=uuid4(),
                volunteer_id=uuid4(),
                branch_id="haroy",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
            )
        }
    )
    totals = DailyActivity("Europe/Oslo").totals([envelope])
    assert list(totals) == [("1508", "haroy", date(2026, 7, 1))]


def test_a_place_taken_from_the_waitlist_counts_as_a_shift_claimed() -> None:
    starts = datetime(2026, 12, 1, 17, tzinfo=UTC)
    place = {
        "shift_id": uuid4(),
        "branch_id": "haroy",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    envelopes = [
        entry_at(starts).model_copy(update={"payload": kind(volunteer_id=uuid4(), **place)})
        for kind in (ShiftClaimed, PromotedFromWaitlist)
    ]
    totals = DailyActivity("Europe/Oslo").totals(envelopes)
    assert totals[("1508", "haroy", date(2026, 12, 1))]["shifts_claimed"] == 2
