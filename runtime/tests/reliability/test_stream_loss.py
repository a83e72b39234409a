"""JetStream loses a stream under a running system: the relay publishes the event log again in
the same order, the projection waits (saying why) until the stream holds what it had applied,
and every event ends up applied exactly once."""

import pytest

from tvers_runtime.eventstore import NO_STREAM
from tvers_runtime.projection import SourceState
from tvers_runtime.relay import ensure_stream
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import SAMPLE_SERVICE, SAMPLE_STREAM, sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def append(pipeline: Pipeline, things: range) -> None:
    for t in things:
        await pipeline.store.append(f"thing-{t}", NO_STREAM, [sample_event(f"t{t}", 1)])


async def stream_ids(pipeline: Pipeline) -> list[str]:
    """The Nats-Msg-Id of every message of the sample stream, in order."""
    info = await pipeline.nats.jsm().stream_info(SAMPLE_STREAM)
    ids = []
    for sequence in range(1, info.state.last_seq + 1):
        message = await pipeline.nats.jsm().get_msg(SAMPLE_STREAM, sequence)
        ids.append((message.headers or {})["Nats-Msg-Id"])
    return ids


async def test_a_deleted_stream_is_republished_and_the_read_model_recovers_exactly_once(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await append(pipeline, range(30))
    await pipeline.wait_until_applied(30)
    before = await stream_ids(pipeline)

    await pipeline.nats.jsm().delete_stream(SAMPLE_STREAM)
    await append(pipeline, range(30, 40))

    await pipeline.wait_until_applied(40)
    after = await stream_ids(pipeline)
    assert after[:30] == before, "republished in the same order, at the same sequences"
    assert len(after) == len(set(after)) == 40
    rows = await pipeline.applied()
    assert len(rows) == len({row["event_id"] for row in rows}) == 40
    assert await pipeline.tally() == {f"t{t}": 1 for t in range(40)}


async def test_a_projection_beyond_its_streams_end_stops_says_why_and_resumes_when_it_is_back(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    runner = await pipeline.start_runner()
    await append(pipeline, range(20))
    await pipeline.wait_until_applied(20)

    # JetStream loses its data while the relay is away: the stream comes back empty.
    await pipeline.stop("relay")
    await pipeline.stop("runner")
    await pipeline.nats.jsm().delete_stream(SAMPLE_STREAM)
    await ensure_stream(pipeline.nats.jsm(), SAMPLE_SERVICE)
    runner = await pipeline.start_runner()

    async def stopped() -> bool:
        return runner.statuses.by_source[SAMPLE_STREAM].state is SourceState.STOPPED

    await eventually(stopped)
    status = runner.statuses.by_source[SAMPLE_STREAM]
    assert status.reason is not None
    assert "beyond the last message" in status.reason
    assert not runner.healthy

    pipeline.start_relay()  # republishes the log; then new events follow
    await append(pipeline, range(20, 25))
    await pipeline.wait_until_applied(25)

    async def following() -> bool:
        return runner.healthy

    await eventually(following)
    rows = await pipeline.applied()
    assert len(rows) == len({row["event_id"] for row in rows}) == 25
