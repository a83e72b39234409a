"""The share of a branch's meirope hours with a volunteer host checked in, per Europe/Oslo week.

The read model keeps what the figure is computed from: each branch's schedule events from
``ACCESS`` (weekly periods and dated exceptions, in order, with when they were set), the role of
each volunteers' shift, and each volunteer's time on a shift as last set (check-in to check-out,
or as staff corrected it: the same spans the hours count, see :mod:`.volunteers`). The figure is
worked out when asked, by :func:`coverage_by_week`:

- a day's meirope periods are those of the branch's schedule as it stood at the end of that day
  (read as access reads it, :mod:`tvers_contracts.schedule`), counted in the week of the day they
  start on;
- a meirope moment is hosted when at least one volunteer on a ``host`` shift of the branch was
  there (spans of several hosts are merged, so two hosts do not count twice); a host still
  checked in counts once they check out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    ShiftPublished,
    ShiftRole,
    VolunteerCheckedOut,
)
from tvers_contracts.schedule import OSLO, Occurrence
from tvers_contracts.values import OpeningKind
from tvers_reporting.read_models import schedules
from tvers_reporting.read_models.schedules import (
    SCHEDULE_EVENTS,
    SCHEDULE_EVENTS_TABLE,
    ScheduleEvents,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling, live_schema

Span = tuple[datetime, datetime]


class HostCoverage(Handling):
    """The projection; see the module docstring."""

    name = "host_coverage"
    version = 1
    handled = (*SCHEDULE_EVENTS.values(), ShiftPublished, VolunteerCheckedOut, AttendanceCorrected)
    tables_sql = (
        SCHEDULE_EVENTS_TABLE
        + """
        CREATE TABLE host_shifts (
            tenant text NOT NULL,
            shift_id uuid NOT NULL,
            PRIMARY KEY (tenant, shift_id)
        );
        CREATE TABLE presence (
            tenant text NOT NULL,
            shift_id uuid NOT NULL,
            volunteer_id uuid NOT NULL,
            branch_id text NOT NULL,
            checked_in_at timestamptz NOT NULL,
            checked_out_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, shift_id, volunteer_id)
        );
        CREATE INDEX presence_by_time ON presence (tenant, branch_id, checked_in_at);
    """
    )

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Keep each event's part, in order."""
        for envelope in events:
            tenant, event = envelope.tenant, envelope.payload
            if await schedules.keep(connection, envelope):
                continue
            if isinstance(event, ShiftPublished):
                if event.role is ShiftRole.HOST:
                    await connection.execute(
                        "INSERT INTO host_shifts VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        tenant,
                        event.shift_id,
                    )
            elif isinstance(event, VolunteerCheckedOut | AttendanceCorrected):
                await connection.execute(
                    """
                    INSERT INTO presence VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (tenant, shift_id, volunteer_id) DO UPDATE
                    SET checked_in_at = excluded.checked_in_at,
                        checked_out_at = excluded.checked_out_at
                    """,
                    tenant,
                    event.shift_id,
                    event.volunteer_id,
                    event.branch_id,
                    event.checked_in_at,
                    event.checked_out_at,
                )


def meirope_by_day(
    schedule_events: ScheduleEvents, first: date, last: date, zone: ZoneInfo
) -> list[Occurrence]:
    """The meirope periods starting from ``first`` to ``last``, each day's by the schedule as it
    stood at the end of that day (``schedule_events`` in the order they were set)."""
    periods = schedules.periods_by_day(schedule_events, first, last, zone)
    return [o for o in periods if o.kind is OpeningKind.MEIROPE]


def hosted(period: Occurrence, spans: Sequence[Span]) -> timedelta:
    """How much of a period at least one of ``spans`` covers (overlapping spans merged)."""
    clipped = sorted(
        (max(s, period.starts), min(e, period.ends))
        for s, e in spans
        if s < period.ends and e > period.starts
    )
    total, reached = timedelta(), period.starts
    for start, end in clipped:
        begins = max(start, reached)
        if end > begins:
            total += end - begins
            reached = end
    return total


def coverage_by_week(
    meirope: Sequence[Occurrence], spans: Sequence[Span]
) -> dict[date, tuple[timedelta, timedelta]]:
    """Per week (its Monday) of the periods' start days: meirope time, and the part hosted.
    Each period looks only at the spans that may reach it: those starting before it ends and
    at most the longest span's length before it starts."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    longest = max((e - s for s, e in ordered), default=timedelta())
    weeks: dict[date, tuple[timedelta, timedelta]] = {}
    for period in meirope:
        monday = period.day - timedelta(days=period.day.weekday())
        total, covered = weeks.get(monday, (timedelta(), timedelta()))
        lo = bisect.bisect_left(starts, period.starts - longest)
        near = ordered[lo : bisect.bisect_left(starts, period.ends, lo)]
        weeks[monday] = (total + (period.ends - period.starts), covered + hosted(period, near))
    return weeks


async def host_coverage(
    pool: asyncpg.Pool,
    projection: HostCoverage,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[dict[str, Any]]:
    """Per branch and week with meirope periods starting from ``first`` to ``last``: meirope and
    hosted minutes (whole, rounded down) and the hosted share (null without meirope time)."""
    schema = live_schema(projection)
    kept = await schedules.kept_schedules(pool, schema, tenant=tenant, branch_id=branch_id)
    found: list[dict[str, Any]] = []
    for branch, events in sorted(kept.items()):
        meirope = meirope_by_day(events, first, last, OSLO)
        if not meirope:
            continue
        spans = await pool.fetch(
            f"""SELECT p.checked_in_at, p.checked_out_at FROM "{schema}".presence p
            JOIN "{schema}".host_shifts h ON h.tenant = p.tenant AND h.shift_id = p.shift_id
            WHERE p.tenant = $1 AND p.branch_id = $2
                AND p.checked_in_at < $4 AND p.checked_out_at > $3""",  # noqa: S608
            tenant,
            branch,
            min(o.starts for o in meirope),
            max(o.ends for o in meirope),
        )
        weeks = coverage_by_week(meirope, [(r[0], r[1]) for r in spans])
        for week, (total, covered) in sorted(weeks.items()):
            found.append(
                {
                    "branch_id": branch,
                    "week": week,
                    "meirope_minutes": int(total.total_seconds() // 60),
                    "hosted_minutes": int(covered.total_seconds() // 60),
                    "share": round(covered / total, 4) if total else None,
                }
            )
    return found
