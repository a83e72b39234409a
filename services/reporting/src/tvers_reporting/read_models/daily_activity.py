"""Activity per branch and day across the departments: door entries in staffed and unstaffed
hours, denials, volunteer shifts claimed, class visits with pupils and library cards.

Days are local days in the municipality's time zone. Only counts are kept: no patron reference,
no volunteer id, no name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope, event_subject, stream_name
from tvers_contracts.events.access import EntryDenied, EntryGranted
from tvers_contracts.events.visits import ClassVisitHeld
from tvers_contracts.events.volunteers import ShiftClaimed
from tvers_contracts.values import OpeningKind
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Source

COUNTERS = (
    "entries_staffed",
    "entries_meirope",
    "entries_denied",
    "shifts_claimed",
    "class_visits",
    "pupils",
    "library_cards",
)


@dataclass
class _Delta:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))


class DailyActivity:
    """The projection; see the module docstring."""

    name = "daily_activity"
    handles = frozenset({"EntryGranted", "EntryDenied", "ShiftClaimed", "ClassVisitHeld"})
    sources: Sequence[Source] = (
        Source(stream_name("access"), (event_subject(EntryGranted), event_subject(EntryDenied))),
        Source(stream_name("volunteers"), (event_subject(ShiftClaimed),)),
        Source(stream_name("visits"), (event_subject(ClassVisitHeld),)),
    )
    tables_sql = """
        CREATE TABLE daily (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            entries_staffed integer NOT NULL DEFAULT 0,
            entries_meirope integer NOT NULL DEFAULT 0,
            entries_denied integer NOT NULL DEFAULT 0,
            shifts_claimed integer NOT NULL DEFAULT 0,
            class_visits integer NOT NULL DEFAULT 0,
            pupils integer NOT NULL DEFAULT 0,
            library_cards integer NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, branch_id, day)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    def _delta(self, envelope: Envelope[DomainEvent]) -> tuple[str, date, dict[str, int]] | None:
        event = envelope.payload
        if isinstance(event, EntryGranted):
            kind = "entries_staffed" if event.opening is OpeningKind.STAFFED else "entries_meirope"
            return event.branch_id, envelope.occurred_at.astimezone(self._zone).date(), {kind: 1}
        if isinstance(event, EntryDenied):
            day = envelope.occurred_at.astimezone(self._zone).date()
            return event.branch_id, day, {"entries_denied": 1}
        if isinstance(event, ShiftClaimed):
            day = event.starts_at.astimezone(self._zone).date()
            return event.branch_id, day, {"shifts_claimed": 1}
        if isinstance(event, ClassVisitHeld):
            return (
                event.branch_id,
                event.held_on,
                {
                    "class_visits": 1,
                    "pupils": event.pupils_present,
                    "library_cards": event.library_cards_handed_out,
                },
            )
        return None

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add the batch's counts, one upsert for the whole batch."""
        totals: dict[tuple[str, str, date], _Delta] = defaultdict(_Delta)
        for envelope in events:
            found = self._delta(envelope)
            if found is None:
                continue
            branch_id, day, counts = found
            delta = totals[(envelope.tenant, branch_id, day)]
            for name, value in counts.items():
                delta.counts[name] += value
        if not totals:
            return
        keys = list(totals)
        columns = ", ".join(COUNTERS)
        updates = ", ".join(f"{c} = daily.{c} + excluded.{c}" for c in COUNTERS)
        casts = ", ".join(f"${i + 4}::int[]" for i in range(len(COUNTERS)))
        await connection.execute(
            f"""
            INSERT INTO daily (tenant, branch_id, day, {columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], {casts})
            ON CONFLICT (tenant, branch_id, day) DO UPDATE SET {updates}
            """,  # noqa: S608 - column names are constants of this module
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
            *([totals[k].counts[c] for k in keys] for c in COUNTERS),
        )
