"""Access's schedule events as read models keep them, and the opening periods they give, each
day by the schedule as it stood at the end of that day.

Reporting keeps the schedule events in each read model that needs them (the shared view in
:mod:`tvers_runtime.branch_schedules` is filled by a subscriber, not by the ordered runner, so a
rebuild could not replay it); a read model adds :data:`SCHEDULE_EVENTS_TABLE` to its tables,
:data:`SCHEDULE_EVENTS` to what it handles, and calls :func:`keep` for each event. The periods
are read as access reads them: :class:`~tvers_runtime.branch_schedules.BranchHours` and
:mod:`tvers_contracts.schedule`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import (
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import Occurrence
from tvers_runtime.branch_schedules import NO_HOURS, BranchHours, evolve
from tvers_runtime.db.types import Connection

#: A branch's schedule events, in the order they were set, with when they were set.
ScheduleEvents = Sequence[tuple[datetime, DomainEvent]]

SCHEDULE_EVENTS: dict[str, type[DomainEvent]] = {
    e.event_type(): e for e in (WeeklyScheduleSet, ScheduleExceptionSet, ScheduleExceptionRemoved)
}
SCHEDULE_EVENTS_TABLE = """
        CREATE TABLE schedule_events (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            n bigserial,
            set_at timestamptz NOT NULL,
            event_type text NOT NULL,
            payload jsonb NOT NULL,
            PRIMARY KEY (tenant, branch_id, n)
        );"""


async def keep(connection: Connection, envelope: Envelope[DomainEvent]) -> bool:
    """Keep a schedule event in ``schedule_events``; whether it was one."""
    event = envelope.payload
    if not isinstance(event, WeeklyScheduleSet | ScheduleExceptionSet | ScheduleExceptionRemoved):
        return False
    await connection.execute(
        "INSERT INTO schedule_events (tenant, branch_id, set_at, event_type, payload)"
        " VALUES ($1, $2, $3, $4, $5::jsonb)",
        envelope.tenant,
        event.branch_id,
        envelope.occurred_at,
        event.event_type(),
        event.model_dump_json(),
    )
    return True


async def kept_schedules(
    pool: asyncpg.Pool, schema: str, *, tenant: str, branch_id: str | None = None
) -> dict[str, list[tuple[datetime, DomainEvent]]]:
    """Each branch's schedule events kept in ``schema``, in the order they were set."""
    rows = await pool.fetch(
        f"""SELECT branch_id, set_at, event_type, payload::text AS payload
        FROM "{schema}".schedule_events
        WHERE tenant = $1 AND ($2::text IS NULL OR branch_id = $2)
        ORDER BY branch_id, n""",  # noqa: S608 - constant identifiers
        tenant,
        branch_id,
    )
    schedules: dict[str, list[tuple[datetime, DomainEvent]]] = {}
    for row in rows:
        event = SCHEDULE_EVENTS[row["event_type"]].model_validate_json(row["payload"])
        schedules.setdefault(row["branch_id"], []).append((row["set_at"], event))
    return schedules


#: How many branches' periods over a span of days :func:`periods_by_day` remembers.
REMEMBERED = 512
_remembered: OrderedDict[Hashable, tuple[Occurrence, ...]] = OrderedDict()


def periods_by_day(
    schedule_events: ScheduleEvents, first: date, last: date, zone: ZoneInfo
) -> list[Occurrence]:
    """The staffed and meirope periods starting from ``first`` to ``last``, each day's by the
    schedule as it stood at the end of that day (``schedule_events`` in the order they were
    set).

    Working them out takes a time-zone conversion for each period's start and end (some
    milliseconds a branch for a year), and the dashboard asks the same again on every refresh:
    the last :data:`REMEMBERED` answers are kept, keyed by the events themselves, so a
    schedule set later is a new key."""
    key = (
        tuple((at, e.event_type(), e.model_dump_json()) for at, e in schedule_events),
        first,
        last,
        zone.key,
    )
    found = _remembered.get(key)
    if found is None:
        found = _remembered[key] = tuple(_periods_by_day(schedule_events, first, last, zone))
        if len(_remembered) > REMEMBERED:
            _remembered.popitem(last=False)
    else:
        _remembered.move_to_end(key)
    return list(found)


def _periods_by_day(
    schedule_events: ScheduleEvents, first: date, last: date, zone: ZoneInfo
) -> list[Occurrence]:
    hours: BranchHours = NO_HOURS
    pending = list(schedule_events)
    found: list[Occurrence] = []
    day = first
    while day <= last:
        day_ends = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        while pending and pending[0][0] < day_ends:
            hours = evolve(hours, pending.pop(0)[1])
        found += hours.schedule().day_occurrences(day)
        day += timedelta(days=1)
    return found
