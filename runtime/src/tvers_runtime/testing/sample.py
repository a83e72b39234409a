"""A small sample domain for testing and benchmarking the runtime without any real service:
one event type, its registry, and a projection that records exactly what it applied."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID, uuid4

import asyncpg

from tvers_contracts import DomainEvent, Envelope, EventRegistry, event_subject
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore import NewEvent
from tvers_runtime.projection import Handling

SAMPLE_SERVICE = "sample"
SAMPLE_STREAM = "SAMPLE"


class ThingCounted(DomainEvent):
    """Something was counted: ``n`` is its place in its own stream."""

    service: ClassVar[str] = SAMPLE_SERVICE
    aggregate: ClassVar[str] = "thing"

    thing: str
    n: int


SAMPLE_REGISTRY = EventRegistry([ThingCounted])


def sample_subject(event_type: str) -> str:
    """Subject of a sample event type."""
    return event_subject(SAMPLE_REGISTRY.current(event_type))


def sample_event(thing: str, n: int, *, correlation_id: UUID | None = None) -> NewEvent:
    """A ``ThingCounted`` ready to append."""
    return NewEvent.of(
        ThingCounted(thing=thing, n=n), tenant="1508", correlation_id=correlation_id or uuid4()
    )


class SampleProjection(Handling):
    """Keeps every applied event (duplicates would show) and a tally per thing.

    ``fail_on`` makes applying chosen ``(thing, n)`` events raise, to test dead letters;
    ``transient_failures`` makes the next that many applies fail as a serialisation failure
    would (a transient error, which must never become a dead letter).
    """

    name = "sample_tally"
    version = 1
    handled: ClassVar[tuple[type[DomainEvent], ...]] = (ThingCounted,)
    tables_sql = """
        CREATE TABLE applied (
            event_id uuid NOT NULL,
            thing text NOT NULL,
            n integer NOT NULL,
            correlation_id uuid NOT NULL,
            recorded_at timestamptz NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE TABLE tally (thing text PRIMARY KEY, events integer NOT NULL, last_n integer);
    """

    def __init__(self) -> None:
        self.fail_on: set[tuple[str, int]] = set()
        self.transient_failures = 0

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Record the events and bump the tallies, in order."""
        if self.transient_failures > 0:
            self.transient_failures -= 1
            raise asyncpg.exceptions.SerializationError("could not serialize access (injected)")
        rows: list[tuple[Any, ...]] = []
        tally: dict[str, list[int]] = {}  # thing -> [events, last n]
        for envelope in events:
            event = envelope.payload
            assert isinstance(event, ThingCounted)
            if (event.thing, event.n) in self.fail_on:
                raise RuntimeError(f"refusing {event.thing} #{event.n}")
            rows.append(
                (
                    envelope.event_id,
                    event.thing,
                    event.n,
                    envelope.correlation_id,
                    envelope.recorded_at,
                )
            )
            counted = tally.setdefault(event.thing, [0, 0])
            counted[0] += 1
            counted[1] = event.n
        await connection.copy_records_to_table(
            "applied",
            records=rows,
            columns=["event_id", "thing", "n", "correlation_id", "recorded_at"],
        )
        await connection.execute(
            """
            INSERT INTO tally (thing, events, last_n)
            SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
            ON CONFLICT (thing) DO UPDATE
            SET events = tally.events + excluded.events, last_n = excluded.last_n
            """,
            list(tally),
            [counted[0] for counted in tally.values()],
            [counted[1] for counted in tally.values()],
        )
