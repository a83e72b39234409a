"""When JetStream refuses a publish (another message got in first, a 503 while a stream leader is
elected), the relay hears of it at once, resynchronises, and publishes on: it does not sit out
its whole ack timeout."""

import json
import time
from uuid import uuid4

import pytest

from tvers_runtime.eventstore import NO_STREAM
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import SAMPLE_STREAM, sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def test_a_refused_publish_costs_the_relay_no_ack_timeout(pipeline: Pipeline) -> None:
    pipeline.start_relay()
    await pipeline.store.append("thing-a", NO_STREAM, [sample_event("a", 1)])

    async def first_published() -> bool:
        return await pipeline.published() == 1

    await eventually(first_published)
    # Someone else's message gets into the stream: the relay's next publish, which expects
    # sequence 1 to be the last, is refused.
    body = json.dumps({"not": "an event of this log"}).encode()
    await pipeline.nats.jetstream().publish(
        "sample.thing.thing_counted", body, headers={"Nats-Msg-Id": str(uuid4())}
    )
    started = time.monotonic()
    await pipeline.store.append("thing-b", NO_STREAM, [sample_event("b", 1)])

    async def second_published() -> bool:
        info = await pipeline.nats.jsm().stream_info(SAMPLE_STREAM)
        return info.state.messages == 3

    await eventually(second_published, timeout=30)
    waited = time.monotonic() - started
    assert waited < 3.0, f"the relay took {waited:.1f}s to publish past the refusal"
