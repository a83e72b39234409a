"""Messages a read model cannot even record as they are (a stream id with a NUL character, a
version beyond an integer, a NUL in a header) are dead-lettered alone: they must not fail their
batch over and over and stop their whole source."""

import json
from uuid import uuid4

import pytest

from tvers_runtime.eventstore import NO_STREAM
from tvers_runtime.projection import dead_letters
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def envelope(stream_id: str, version: int, payload: dict[str, object]) -> bytes:
    return json.dumps(
        {
            "event_id": str(uuid4()),
            "event_type": "ThingCounted",
            "schema_version": 1,
            "tenant": "1508",
            "stream_id": stream_id,
            "stream_version": version,
            "occurred_at": "2026-11-23T10:00:00+00:00",
            "recorded_at": "2026-11-23T10:00:00+00:00",
            "correlation_id": str(uuid4()),
            "causation_id": None,
            "payload": payload,
        }
    ).encode()


@pytest.mark.parametrize(
    ("stream_id", "version", "headers", "payload"),
    [
        ("thing-\u0000nul", 1, {}, {"thing": "x", "n": 1}),
        ("thing-big", 2**31, {}, {"thing": "x", "n": 1}),
        ("thing-bad", 1, {"X-Note": "a\u0000b"}, {"thing": "x"}),
    ],
    ids=["nul-in-stream-id", "version-beyond-int32", "nul-in-a-header-of-a-poison-message"],
)
async def test_a_message_the_read_model_cannot_even_record_is_dead_lettered_alone(
    pipeline: Pipeline,
    stream_id: str,
    version: int,
    headers: dict[str, str],
    payload: dict[str, object],
) -> None:
    pipeline.start_relay()
    await pipeline.store.append("thing-a", NO_STREAM, [sample_event("a", 1)])
    await eventually(lambda: _published(pipeline, 1))
    # Someone with publish rights on the stream (an old release, a tool, a mistake) publishes a
    # message whose envelope PostgreSQL cannot store as it is.
    js = pipeline.nats.jetstream()
    await js.publish(
        "sample.thing.thing_counted", envelope(stream_id, version, payload), headers=headers
    )
    await pipeline.store.append("thing-b", NO_STREAM, [sample_event("b", 1)])
    await pipeline.start_runner()
    await pipeline.wait_until_applied(2, timeout=15)
    assert await pipeline.tally() == {"a": 1, "b": 1}
    (letter,) = await dead_letters(pipeline.reporting_pool, pipeline.projection)
    assert letter.sequence == 2


async def _published(pipeline: Pipeline, n: int) -> bool:
    return await pipeline.published() >= n
