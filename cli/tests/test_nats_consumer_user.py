"""The read-only ``consumer`` NATS user, on a real NATS server started with the configuration
``tvers up`` generates: it reads every stream through consumers of its own, and can neither
publish an event nor change a stream. And the services' users on the same server: ``volunteers``
publishes on its own subjects only, and ``reporting`` publishes nothing at all."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import nats
import nats.errors
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig

from tvers_cli.backing import create_streams, start_nats
from tvers_cli.layout import PUBLISHERS, DataDir, Ports
from tvers_cli.nats_accounts import CONSUMER, CONSUMER_INBOX
from tvers_contracts import stream_name
from tvers_runtime.embedded import free_port

pytestmark = [pytest.mark.servers]
REFUSED = (nats.errors.Error, TimeoutError)  # a refused request is never answered


@dataclass
class NatsWithUsers:
    """A NATS server with the generated users, and the data folder holding their passwords."""

    address: str
    data: DataDir
    errors: list[str] = field(default_factory=list)

    def url(self, user: str) -> str:
        password = quote(self.data.secret(f"nats-{user}.password"))
        return f"nats://{user}:{password}@{self.address.removeprefix('nats://')}"

    @asynccontextmanager
    async def connected(self, user: str) -> AsyncIterator[NatsClient]:
        async def remember(error: Exception) -> None:
            self.errors.append(str(error))

        client = await nats.connect(
            self.url(user),
            error_cb=remember,
            connect_timeout=5,
            allow_reconnect=False,
            inbox_prefix=CONSUMER_INBOX if user == CONSUMER else "_INBOX",
        )
        try:
            yield client
        finally:
            await client.close()

    async def stream_messages(self, stream: str) -> int:
        """How many messages a stream holds (asked as the admin)."""
        async with self.connected("tvers") as admin:
            return (await admin.jsm().stream_info(stream)).state.messages


async def publish_one_event_per_stream(system: NatsWithUsers) -> None:
    await create_streams(system.url("tvers"))
    async with system.connected("tvers") as admin:
        for service in PUBLISHERS:
            body = json.dumps({"event_type": "Example", "stream_id": f"{service}-1"}).encode()
            await admin.jetstream().publish(f"{service}.example.happened", body)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsWithUsers]:
    """NATS as ``tvers up`` starts it, with one message in each stream."""
    data = DataDir(tmp_path_factory.mktemp("tvers") / "data")
    data.create()
    server = start_nats(data, Ports(nats=free_port(), nats_monitor=free_port()), "127.0.0.1")
    try:
        started = NatsWithUsers(server.url, data)
        asyncio.run(publish_one_event_per_stream(started))
        yield started
    finally:
        server.stop()


def test_the_consumer_password_is_made_on_first_start_and_kept_private(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path / "data")
    data.create()
    server = start_nats(data, Ports(nats=free_port(), nats_monitor=free_port()), "127.0.0.1")
    server.stop()
    password_file = data.secrets / "nats-consumer.password"
    assert password_file.read_text(encoding="utf-8").strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("service", PUBLISHERS)
async def test_the_consumer_reads_a_stream_through_a_durable_consumer_of_its_own(
    system: NatsWithUsers, service: str
) -> None:
    stream = stream_name(service)
    async with system.connected("consumer") as client:
        js = client.jetstream(timeout=2)
        subscription = await js.pull_subscribe(f"{service}.>", durable=f"partner-{service}")
        [message] = await subscription.fetch(1, timeout=2)
        await message.ack_sync(timeout=2)  # answered only when the ack is allowed
        info = await client.jsm(timeout=2).consumer_info(stream, f"partner-{service}")
        deleted = await client.jsm(timeout=2).delete_consumer(stream, f"partner-{service}")
    assert json.loads(message.data)["stream_id"] == f"{service}-1"
    assert (info.config.durable_name, info.ack_floor.stream_seq) == (f"partner-{service}", 1)
    assert deleted


async def test_the_consumer_replays_a_stream_and_reads_single_messages(
    system: NatsWithUsers,
) -> None:
    async with system.connected("consumer") as client:
        replay = await client.jetstream(timeout=2).subscribe("visits.>", ordered_consumer=True)
        replayed = await replay.next_msg(timeout=2)
        await replay.unsubscribe()
        single = await client.jsm(timeout=2).get_msg("VISITS", 1)
        info = await client.jsm(timeout=2).stream_info("VISITS")
    assert replayed.data == single.data
    assert info.state.messages == 1


async def test_the_consumer_cannot_publish_an_event(system: NatsWithUsers) -> None:
    async with system.connected("consumer") as client:
        with pytest.raises(REFUSED):
            await client.jetstream().publish("access.example.happened", b"{}", timeout=1)
        await client.publish("access.example.happened", b"{}")  # core NATS: dropped
        await client.flush()
        await asyncio.sleep(0.2)  # let the server's refusal reach the error callback
    assert await system.stream_messages("ACCESS") == 1
    assert any("permissions violation for publish" in e.lower() for e in system.errors)


STREAM_CHANGES: dict[str, Callable[[NatsClient], Awaitable[object]]] = {
    "delete": lambda c: c.jsm(timeout=1).delete_stream("ACCESS"),
    "purge": lambda c: c.jsm(timeout=1).purge_stream("ACCESS"),
    "update": lambda c: c.jsm(timeout=1).update_stream(
        StreamConfig(name="ACCESS", subjects=["access.>", "rogue.>"])
    ),
    "delete a message": lambda c: c.jsm(timeout=1).delete_msg("ACCESS", 1),
    "create another stream": lambda c: c.jsm(timeout=1).add_stream(
        StreamConfig(name="ROGUE", subjects=["rogue.>"])
    ),
}


@pytest.mark.parametrize("change", STREAM_CHANGES)
async def test_the_consumer_cannot_change_create_or_delete_streams(
    system: NatsWithUsers, change: str
) -> None:
    async with system.connected("consumer") as client:
        with pytest.raises(REFUSED):
            await STREAM_CHANGES[change](client)
    async with system.connected("tvers") as admin:
        info = await admin.jsm().stream_info("ACCESS")
        streams = await admin.jsm().streams_info()
    assert (info.config.subjects, info.state.messages) == (["access.>"], 1)
    assert sorted(s.config.name or "" for s in streams) == sorted(map(stream_name, PUBLISHERS))


async def test_the_consumer_cannot_take_over_or_delete_a_services_consumer(
    system: NatsWithUsers,
) -> None:
    async with system.connected("tvers") as admin:
        await admin.jsm().add_consumer(
            "ACCESS", ConsumerConfig(durable_name="volunteers", ack_policy=AckPolicy.EXPLICIT)
        )
    async with system.connected("consumer") as client:
        with pytest.raises(REFUSED):
            await client.jsm(timeout=1).delete_consumer("ACCESS", "volunteers")
        with pytest.raises(REFUSED):
            await client.jsm(timeout=1).add_consumer(
                "ACCESS", ConsumerConfig(durable_name="volunteers", max_ack_pending=1)
            )
        taking = await client.jetstream().pull_subscribe_bind("volunteers", stream="ACCESS")
        with pytest.raises(REFUSED):
            await taking.fetch(1, timeout=1)
    async with system.connected("tvers") as admin:
        untouched = await admin.jsm().consumer_info("ACCESS", "volunteers")
    assert (untouched.num_pending, untouched.config.max_ack_pending) == (1, 1000)


async def test_the_consumer_cannot_find_reportings_readers(system: NatsWithUsers) -> None:
    # Reporting's readers are ephemeral consumers with random names; a third party that could
    # name one could delete it or pull from it, and break the projection's reading each time.
    async with system.connected("reporting") as reporting:
        reader = f"tvers-reader-{reporting.new_inbox().rsplit('.', 1)[-1]}"
        await reporting.jsm().add_consumer(
            "ACCESS", ConsumerConfig(name=reader, ack_policy=AckPolicy.NONE, mem_storage=True)
        )
        async with system.connected(CONSUMER) as client:
            with pytest.raises(REFUSED):
                await client.jsm(timeout=1).consumers_info("ACCESS")
            # Nor can it overhear the services' replies, where the names travel.
            overheard = await client.subscribe("_INBOX.>")
            await reporting.jsm().add_consumer(  # the answer names the new reader
                "ACCESS",
                ConsumerConfig(name=f"{reader}x", ack_policy=AckPolicy.NONE, mem_storage=True),
            )
            with pytest.raises(nats.errors.TimeoutError):
                await overheard.next_msg(timeout=0.5)
    assert any("permissions violation" in error.lower() for error in system.errors)


# The services' users on the same server: a publisher publishes on its own subjects only, and
# reporting, which only reads, publishes nothing.


async def refused(action: Awaitable[object]) -> bool:
    """Whether the server refused a request (a refused request is never answered)."""
    try:
        await action
    except REFUSED:
        return True
    return False


async def test_volunteers_cannot_publish_to_access_subjects(system: NatsWithUsers) -> None:
    volunteers_before = await system.stream_messages("VOLUNTEERS")
    async with system.connected("volunteers") as client:
        js = client.jetstream()
        # Its own subjects work, so the refusals below are permissions, not a broken client.
        own = await js.publish("volunteers.example.happened", b"{}", timeout=2)
        outcomes = await asyncio.gather(
            refused(js.publish("access.example.happened", b"{}", timeout=1)),
            refused(js.publish("access.door.entry_granted", b"{}", timeout=1)),
        )
        await client.publish("access.example.happened", b"{}")  # core NATS: dropped
        await client.flush()
        await asyncio.sleep(0.2)  # let the server's refusal reach the error callback
    assert (own.stream, own.seq) == ("VOLUNTEERS", volunteers_before + 1)
    assert list(outcomes) == [True, True]
    assert await system.stream_messages("ACCESS") == 1
    assert any("permissions violation for publish" in e.lower() for e in system.errors)


def reporting_publishes(client: NatsClient) -> dict[str, Awaitable[object]]:
    """Everything reporting might publish: events of the streams it reads, a stream of its own."""
    js, manager = client.jetstream(), client.jsm(timeout=1)
    attempts: dict[str, Awaitable[object]] = {
        f"publish to {service}": js.publish(f"{service}.example.happened", b"{}", timeout=1)
        for service in PUBLISHERS
    }
    attempts["publish to access.x"] = js.publish("access.x", b"{}", timeout=1)
    attempts["create a stream"] = manager.add_stream(
        StreamConfig(name="REPORTING", subjects=["reporting.>"])
    )
    attempts["publish to its own subjects"] = js.publish("reporting.x", b"{}", timeout=1)
    return attempts


async def test_reporting_cannot_publish_at_all(system: NatsWithUsers) -> None:
    before = {service: await system.stream_messages(stream_name(service)) for service in PUBLISHERS}
    async with system.connected("reporting") as client:
        # What it may do works: it reads a stream's info.
        info = await client.jsm(timeout=2).stream_info("ACCESS")
        attempts = reporting_publishes(client)
        outcomes = await asyncio.gather(*(refused(attempt) for attempt in attempts.values()))
        for service in PUBLISHERS:
            await client.publish(f"{service}.example.happened", b"{}")  # core NATS: dropped
        await client.flush()
        await asyncio.sleep(0.2)
    assert info.config.name == "ACCESS"
    assert dict(zip(attempts, outcomes, strict=True)) == dict.fromkeys(attempts, True)
    after = {service: await system.stream_messages(stream_name(service)) for service in PUBLISHERS}
    assert after == before
    async with system.connected("tvers") as admin:
        streams = await admin.jsm().streams_info()
    assert sorted(s.config.name or "" for s in streams) == sorted(map(stream_name, PUBLISHERS))
