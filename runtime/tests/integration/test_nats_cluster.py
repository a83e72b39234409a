"""Three embedded NATS servers as one JetStream cluster: a stream with three replicas takes
messages, and a client whose server dies goes on through another member by itself."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client as NatsClient

from tvers_runtime.embedded import EmbeddedNatsCluster
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay import StreamSettings, ensure_stream

pytestmark = [pytest.mark.servers, pytest.mark.slow]
USERS = 'authorization { users: [ { user: "desk", password: "s3cret" } ] }'


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[EmbeddedNatsCluster]:
    servers = EmbeddedNatsCluster(tmp_path / "nats", size=3, config=USERS, route_password="r")
    servers.start()
    try:
        yield servers
    finally:
        servers.stop()


def with_credentials(url: str) -> str:
    return url.replace("nats://", "nats://desk:s3cret@")


async def publish_until_stored(client: NatsClient, subject: str, timeout: float = 30.0) -> int:
    """Publish one message, trying again while the cluster fails over; its stream sequence."""
    js = client.jetstream()
    deadline = time.monotonic() + timeout
    while True:
        try:
            return (await js.publish(subject, b"{}", timeout=2.0)).seq
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def test_a_stream_has_three_replicas_each_on_its_own_server(
    cluster: EmbeddedNatsCluster,
) -> None:
    client = await connect_nats(with_credentials(cluster.urls[0]), name="tests")
    try:
        await ensure_stream(client.jsm(), "desk", StreamSettings(replicas=3))
        info = await client.jsm().stream_info("DESK")
    finally:
        await client.close()
    assert info.config.num_replicas == 3
    assert info.cluster is not None
    assert info.cluster.leader is not None
    members = {info.cluster.leader, *(peer.name for peer in info.cluster.replicas or [])}
    assert members == {"tvers-1", "tvers-2", "tvers-3"}
    assert len({node.data_dir for node in cluster.nodes}) == 3


@pytest.mark.parametrize("given", ["every member", "one member"])
async def test_a_client_whose_server_dies_goes_on_through_another_member(
    cluster: EmbeddedNatsCluster, given: str
) -> None:
    # Given one member only, the client learns of the others from it, without credentials.
    urls = cluster.urls if given == "every member" else cluster.urls[:1]
    client = await connect_nats(",".join(map(with_credentials, urls)), name="tests")
    try:
        await ensure_stream(client.jsm(), "desk", StreamSettings(replicas=3))
        first = await publish_until_stored(client, "desk.help.help_given")
        connected = client.connected_url
        assert connected is not None
        dying = next(node for node in cluster.nodes if node.port == connected.port)
        dying.kill()
        second = await publish_until_stored(client, "desk.help.help_given")
        assert client.is_connected
        assert client.connected_url is not None
        assert client.connected_url.port != dying.port
    finally:
        await client.close()
    assert second > first
