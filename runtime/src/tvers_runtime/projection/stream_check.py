"""Making sure a stream still holds what a read model has applied, before following it.

JetStream can lose a stream (a lost volume, a deleted stream); the relay then republishes the
event log from its start in the same order, so every event comes back at the sequence it had. A
read model whose checkpoint lies beyond the stream's end must not follow it meanwhile: it would
take the republished events for new ones at the wrong places, or skip them. It stops, says why,
and waits until the stream holds its checkpoint again, with the very message it names.
"""

from __future__ import annotations

from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from tvers_runtime.aio import Backoff
from tvers_runtime.projection.checkpoints import MESSAGE_ID, Checkpoint
from tvers_runtime.projection.status import SourceState, Statuses

#: How often, at most, a stopped source looks at its stream again.
POLL_INTERVAL = 2.0


class StreamBehind(Exception):
    """The stream ends before the read model's checkpoint."""

    def __init__(self, stream: str, checkpoint: int, last: int) -> None:
        super().__init__(
            f"checkpoint {checkpoint} lies beyond the last message of {stream} ({last}): the "
            "stream lost messages; waiting for it to be republished"
        )


async def wait_for_stream(
    client: NatsClient, stream: str, checkpoint: Checkpoint, statuses: Statuses
) -> None:
    """Return once ``stream`` holds ``checkpoint`` (the same message at the same sequence)."""
    backoff = Backoff(first=0.1, most=POLL_INTERVAL)  # a new stream comes in moments
    while True:
        mismatch = await _mismatch(client, stream, checkpoint)
        if mismatch is None:
            return
        statuses.set(stream, *mismatch)
        await backoff.sleep()


async def _mismatch(
    client: NatsClient, stream: str, checkpoint: Checkpoint
) -> tuple[SourceState, str] | None:
    """Why the stream cannot be followed from the checkpoint, or None."""
    manager = client.jsm()
    try:
        info = await manager.stream_info(stream)
    except NotFoundError:
        state = SourceState.STOPPED if checkpoint.sequence else SourceState.WAITING
        return state, f"the stream {stream} does not exist (yet)"
    if checkpoint.sequence == 0:
        return None
    if info.state.last_seq < checkpoint.sequence:
        return SourceState.STOPPED, str(
            StreamBehind(stream, checkpoint.sequence, info.state.last_seq)
        )
    return await _replaced(client, stream, checkpoint)


async def _replaced(
    client: NatsClient, stream: str, checkpoint: Checkpoint
) -> tuple[SourceState, str] | None:
    """Whether the message at the checkpoint is another than the one the read model applied."""
    if checkpoint.event_id is None:
        return None  # a checkpoint saved before message ids were kept
    manager = client.jsm()
    try:
        message = await manager.get_msg(stream, checkpoint.sequence)
    except NotFoundError:
        return None  # removed by the stream's limits: nothing to compare
    found = (message.headers or {}).get(MESSAGE_ID)
    if found != checkpoint.event_id:
        return SourceState.STOPPED, (
            f"message {checkpoint.sequence} of {stream} is {found}, not {checkpoint.event_id} as "
            "the read model applied: the stream was replaced; rebuild the read model"
        )
    return None
