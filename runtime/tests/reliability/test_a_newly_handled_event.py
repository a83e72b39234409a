"""A projection that starts handling one more event type (and changes nothing else) must apply
the events of that type already in the stream: its checkpoint lies past them, so only a rebuild
can, and the runtime must notice that it needs one (item 22: nothing handled is skipped
silently)."""

import asyncio
from collections.abc import Sequence
from typing import ClassVar
from uuid import uuid4

import pytest

from tvers_contracts import DomainEvent, Envelope, EventRegistry, event_subject
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore import NO_STREAM, NewEvent
from tvers_runtime.projection import SourceState
from tvers_runtime.relay import Relay
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import (
    SAMPLE_SERVICE,
    SAMPLE_STREAM,
    SampleProjection,
    ThingCounted,
    sample_event,
)

pytestmark = [pytest.mark.servers, pytest.mark.slow]


class ThingDoubled(DomainEvent):
    """Another event of the sample stream: the thing counts twice more."""

    service: ClassVar[str] = SAMPLE_SERVICE
    aggregate: ClassVar[str] = "thing"

    thing: str
    n: int


BOTH = EventRegistry([ThingCounted, ThingDoubled])


def subject_of(event_type: str) -> str:
    return event_subject(BOTH.current(event_type))


class CountingDoubles(SampleProjection):
    """The next release: the same tables and version, and ThingDoubled counted as well."""

    handled = (ThingCounted, ThingDoubled)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        counted = [e for e in events if isinstance(e.payload, ThingCounted)]
        doubled = [
            e.model_copy(update={"payload": ThingCounted(thing=e.payload.thing, n=e.payload.n)})
            for e in events
            if isinstance(e.payload, ThingDoubled)
        ]
        await super().apply(connection, [*counted, *doubled])


async def test_a_newly_handled_event_type_is_applied_for_the_past_too(pipeline: Pipeline) -> None:
    relay = Relay(
        pool=pipeline.service_pool,
        nats_client=pipeline.nats,
        service=SAMPLE_SERVICE,
        subject_of=subject_of,
    )
    pipeline.tasks["relay"] = asyncio.create_task(relay.run())
    await pipeline.store.append("thing-a", NO_STREAM, [sample_event("a", 1)])
    doubled = NewEvent.of(ThingDoubled(thing="a", n=2), tenant="1508", correlation_id=uuid4())
    await pipeline.store.append("thing-a", 1, [doubled])
    await pipeline.store.append("thing-a", 2, [sample_event("a", 3)])
    await pipeline.start_runner(registry=BOTH)
    await pipeline.wait_until_applied(2)

    async def at_the_end() -> bool:
        sequence: int = await pipeline.reporting_pool.fetchval(
            "SELECT sequence FROM rm_sample_tally._checkpoints"
        )
        return sequence == 3

    await eventually(at_the_end)
    await pipeline.stop("runner")

    pipeline.projection = CountingDoubles()
    runner = await pipeline.start_runner(registry=BOTH)

    async def following() -> bool:
        return runner.statuses.by_source[SAMPLE_STREAM].state is SourceState.FOLLOWING

    await eventually(following)
    await pipeline.store.append("thing-a", 3, [sample_event("a", 4)])

    async def a4_applied() -> bool:
        last: int | None = await pipeline.reporting_pool.fetchval(
            "SELECT last_n FROM rm_sample_tally.tally WHERE thing = 'a'"
        )
        return last == 4

    await eventually(a4_applied)
    # Every event of thing-a counted, the ThingDoubled of before the upgrade too.
    assert await pipeline.tally() == {"a": 4}
