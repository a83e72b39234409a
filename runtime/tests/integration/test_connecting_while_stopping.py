"""A task asked to stop while it connects to NATS stops, and keeps no connection: nats-py's
connect waits with asyncio.wait_for, which on Python 3.11 may swallow the cancellation."""

import asyncio
import contextlib
import json
import urllib.request

import pytest

from tvers_runtime.natsio import connect_nats
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


def client_connections(nats_server: NatsUnderTest) -> int:
    monitor = f"http://127.0.0.1:{nats_server.embedded.monitor_port}/connz"
    with urllib.request.urlopen(monitor, timeout=5) as response:
        count: int = json.load(response)["num_connections"]
    return count


async def test_a_connect_whose_cancellation_was_swallowed_gives_no_connection(
    restartable_nats: NatsUnderTest,
) -> None:
    async def connect_while_stopping() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        # As nats-py's asyncio.wait_for does on 3.11 when its answer came in the same moment.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(1.0)
        await connect_nats(restartable_nats.url, name="tests")

    connecting = asyncio.create_task(connect_while_stopping())
    done, _ = await asyncio.wait({connecting}, timeout=10.0)
    assert connecting in done
    assert connecting.cancelled()
    # The client closed its connection; the server's monitoring page may count it a moment more.
    for _ in range(50):
        if client_connections(restartable_nats) == 0:
            break
        await asyncio.sleep(0.1)
    assert client_connections(restartable_nats) == 0
