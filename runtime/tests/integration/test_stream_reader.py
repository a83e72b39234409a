"""The ordered stream reader: in order from any sequence, and it notices when it lost its place."""

import asyncio
import json

import nats
import pytest

from tvers_runtime.projection import OrderedStreamReader, ReaderInterrupted
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


async def test_messages_come_in_order_from_the_sequence_asked(nats_server: NatsUnderTest) -> None:
    client = await nats.connect(nats_server.url)
    await client.jetstream().add_stream(name="ORDER", subjects=["order.>"])
    for n in range(1, 51):
        await client.jetstream().publish("order.n", json.dumps(n).encode())
    reader = OrderedStreamReader(client, "ORDER", batch=7)
    await reader.start_at(21)
    seen: list[int] = []
    while batch := await reader.take(7, timeout=0.5):
        seen += [message.sequence for message in batch]
    assert seen == list(range(21, 51))
    await reader.close()
    await client.close()


async def keep_taking(reader: OrderedStreamReader, times: int) -> None:
    for _ in range(times):
        await reader.take(10, timeout=0.5)


async def test_a_reader_whose_consumer_vanished_says_so(nats_server: NatsUnderTest) -> None:
    client = await nats.connect(nats_server.url)
    await client.jetstream().add_stream(name="GONE", subjects=["gone.>"])
    await client.jetstream().publish("gone.n", b"1")
    reader = OrderedStreamReader(client, "GONE", heartbeat=0.5, request_expiry=1.0)
    await reader.start_at(1)
    assert [m.sequence for m in await reader.take(10, timeout=1.0)] == [1]
    await asyncio.sleep(1.5)  # busy elsewhere: the open pull request expires meanwhile
    # As when the server reaps the idle consumer: the next pull finds no one (503).
    for consumer in await client.jsm().consumers_info("GONE"):
        await client.jsm().delete_consumer("GONE", consumer.name)
    with pytest.raises(ReaderInterrupted):
        await keep_taking(reader, times=20)
    await reader.start_at(2)  # what the runner does: start again after its checkpoint
    await client.jetstream().publish("gone.n", b"2")
    assert [m.sequence for m in await reader.take(10, timeout=2.0)] == [2]
    await reader.close()
    await client.close()
