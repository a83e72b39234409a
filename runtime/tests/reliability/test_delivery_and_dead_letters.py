"""A repeated message changes nothing; a poison message is dead-lettered while other streams go
on, and the later events of its own stream wait for a retry, which replays them in order."""

import asyncio
import json
from uuid import uuid4

import pytest

from tvers_runtime.eventstore import NO_STREAM
from tvers_runtime.projection import dead_letters, retry_stream, skip_dead_letter
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import SAMPLE_REGISTRY, SAMPLE_STREAM, sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def append_in_order(pipeline: Pipeline, thing: str, numbers: range) -> None:
    for n in numbers:
        await pipeline.store.append(f"thing-{thing}", n - 1, [sample_event(thing, n)])


async def test_the_same_event_delivered_twice_changes_the_read_model_once(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await append_in_order(pipeline, "a", range(1, 6))
    await pipeline.wait_until_applied(5)
    before = await pipeline.tally()
    # A copy of message 3 under another Msg-Id, as a republisher outside the dedupe window would.
    original = await pipeline.nats.jsm().get_msg(SAMPLE_STREAM, 3)
    headers = dict(original.headers or {})
    headers["Nats-Msg-Id"] = str(uuid4())
    headers.pop("Nats-Expected-Last-Sequence")
    assert original.subject is not None
    assert original.data is not None
    await pipeline.nats.jetstream().publish(original.subject, original.data, headers=headers)
    await append_in_order(pipeline, "a", range(6, 7))
    await pipeline.wait_until_applied(6)
    await asyncio.sleep(0.5)
    assert await pipeline.applied_count() == 6
    assert before == {"a": 5}
    assert await pipeline.tally() == {"a": 6}


async def test_a_projection_cancelled_mid_batch_applies_everything_once_after_restart(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    for s in range(20):
        await pipeline.store.append(f"thing-{s}", NO_STREAM, [sample_event(f"t{s}", 1)])
    for round_ in range(5):
        await pipeline.start_runner(batch_size=3)
        await asyncio.sleep(0.05 + 0.03 * round_)
        await pipeline.stop("runner")  # an abrupt stop in the middle of whatever it was doing
    await pipeline.start_runner()
    await pipeline.wait_until_applied(20)
    await asyncio.sleep(0.5)
    rows = await pipeline.applied()
    assert len(rows) == len({row["event_id"] for row in rows}) == 20


async def publish_poison(pipeline: Pipeline, stream_id: str, version: int) -> int:
    """A message whose envelope parses but whose payload does not fit ThingCounted."""
    envelope = {
        "event_id": str(uuid4()),
        "event_type": "ThingCounted",
        "schema_version": 1,
        "tenant": "1508",
        "stream_id": stream_id,
        "stream_version": version,
        "occurred_at": "2026-11-28T10:00:00+00:00",
        "recorded_at": "2026-11-28T10:00:00+00:00",
        "correlation_id": str(uuid4()),
        "payload": {"thing": "a", "n": "four"},
    }
    ack = await pipeline.nats.jetstream().publish(
        "sample.thing.thing_counted",
        json.dumps(envelope).encode(),
        headers={"Nats-Msg-Id": envelope["event_id"]},
    )
    return ack.seq


async def test_a_malformed_message_is_dead_lettered_and_only_its_stream_waits(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await append_in_order(pipeline, "a", range(1, 4))
    await append_in_order(pipeline, "b", range(1, 4))
    await pipeline.wait_until_applied(6)
    await pipeline.stop("relay")  # publish the poison where the relay is not writing
    poison = await publish_poison(pipeline, "thing-a", 4)
    await append_in_order(pipeline, "a", range(4, 6))
    await append_in_order(pipeline, "b", range(4, 6))
    pipeline.start_relay()
    await pipeline.wait_until_applied(8)  # b's new events, not a's

    async def three_dead_letters() -> bool:
        return len(await dead_letters(pipeline.reporting_pool, pipeline.projection)) == 3

    await eventually(three_dead_letters)
    assert await pipeline.tally() == {"a": 3, "b": 5}
    letters = await dead_letters(pipeline.reporting_pool, pipeline.projection)
    assert letters[0].sequence == poison
    assert letters[0].parked_behind is None
    assert "n" in letters[0].reason
    assert [letter.parked_behind for letter in letters[1:]] == [poison, poison]

    # A retry cannot mend a malformed message: it stays, and a's events stay parked behind it.
    report = await retry_stream(
        pipeline.reporting_pool,
        pipeline.projection,
        SAMPLE_STREAM,
        "thing-a",
        registry=SAMPLE_REGISTRY,
    )
    assert (report.applied, report.dead_lettered, report.parked) == (0, 1, 2)
    assert await pipeline.tally() == {"a": 3, "b": 5}

    # Skipping it releases the parked events, which are applied in order.
    await skip_dead_letter(
        pipeline.reporting_pool,
        pipeline.projection,
        SAMPLE_STREAM,
        poison,
        registry=SAMPLE_REGISTRY,
    )
    assert await dead_letters(pipeline.reporting_pool, pipeline.projection) == []
    tally = await pipeline.reporting_pool.fetchrow(
        "SELECT events, last_n FROM rm_sample_tally.tally WHERE thing = 'a'"
    )
    assert tally is not None
    assert (tally["events"], tally["last_n"]) == (5, 5)


async def test_an_event_that_fails_to_apply_is_retried_in_order_once_the_cause_is_fixed(
    pipeline: Pipeline,
) -> None:
    pipeline.projection.fail_on = {("a", 2)}
    pipeline.start_relay()
    await pipeline.start_runner()
    await append_in_order(pipeline, "a", range(1, 5))
    await append_in_order(pipeline, "b", range(1, 3))

    async def a_is_parked() -> bool:
        return len(await dead_letters(pipeline.reporting_pool, pipeline.projection)) == 3

    await eventually(a_is_parked)
    await pipeline.wait_until_applied(3)  # a1, b1, b2
    assert await pipeline.tally() == {"a": 1, "b": 2}

    pipeline.projection.fail_on = set()  # the bug is fixed
    report = await retry_stream(
        pipeline.reporting_pool,
        pipeline.projection,
        SAMPLE_STREAM,
        "thing-a",
        registry=SAMPLE_REGISTRY,
    )
    assert report.applied == 3
    rows = await pipeline.reporting_pool.fetch(
        "SELECT n FROM rm_sample_tally.applied WHERE thing = 'a' ORDER BY ctid"
    )
    assert [row["n"] for row in rows] == [1, 2, 3, 4]
    # New events of the stream flow again.
    await append_in_order(pipeline, "a", range(5, 6))
    await pipeline.wait_until_applied(7)
    assert await pipeline.tally() == {"a": 5, "b": 2}
