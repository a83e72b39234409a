"""Issue 12, past one machine: ``tvers up --nats-cluster 3`` runs the services on three NATS
servers as one JetStream cluster, every stream with three replicas. Under a steady stream of help
recorded at the desk, one server is killed (``kill -9``) and later started again, then the desk
stream's leader likewise. Every recorded help is published to the stream exactly once and counted
exactly once by reporting, and no service process was restarted: the desk's relay and reporting's
projections found the other servers by themselves.

The test prints how long publishing paused at each kill (run it with ``-s`` to see the figures);
``docs/operations/cluster.md`` quotes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import signal
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import StreamInfo

from tvers_cli.layout import DataDir
from tvers_contracts import event_subject
from tvers_contracts.events.desk import HelpGiven
from tvers_runtime.auth import Role
from tvers_runtime.embedded.nats_server import nats_server_binary
from tvers_runtime.embedded.process import ChildServer
from tvers_runtime.natsio import connect_nats

pytestmark = [pytest.mark.servers, pytest.mark.slow]
SITE = "haroy"
HELP = {
    "site": SITE,
    "department": "library",
    "category_id": "printing-scanning",
    "channel": "in_person",
    "duration": "under_5_minutes",
}
STREAM = "DESK"
#: How long the test waits for anything to happen before it fails (a bound, not a measurement).
PATIENCE = 45.0


@dataclass
class Node:
    """One server of the cluster ``tvers up`` started, seen from its folder."""

    folder: Path
    restarted: ChildServer | None = None

    @property
    def server_name(self) -> str:
        return self._setting("server_name").strip('"')

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self._setting('port')}"

    def _setting(self, name: str) -> str:
        text = (self.folder / "nats-server.conf").read_text(encoding="utf-8")
        found = re.search(rf"^{name}: (.+)$", text, re.MULTILINE)
        assert found is not None, f"no {name} in {self.folder}"
        return found.group(1).strip()

    def answers(self) -> bool:
        url = f"http://127.0.0.1:{self._setting('http_port')}/healthz?js-enabled-only=true"
        try:
            with urllib.request.urlopen(url, timeout=0.5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def kill(self) -> None:
        """``kill -9``, as a crash would; returns once the server no longer answers."""
        pid = int((self.folder / "nats-server.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + PATIENCE
        while self.answers():
            assert time.monotonic() < deadline, f"{self.server_name} survived SIGKILL"
            time.sleep(0.05)

    def restart(self) -> None:
        """Start the server again from its configuration, with the JetStream data it had."""
        self.restarted = ChildServer(self.server_name, self.folder / "nats-server.log")
        self.restarted.launch(
            [nats_server_binary(), "-c", str(self.folder / "nats-server.conf")], self.answers
        )


@dataclass
class Load:
    """Help recorded at the desk, one after another, for as long as it runs."""

    desk: str
    headers: dict[str, str]
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=30.0) as http:
            while not stop.is_set():
                key = {"Idempotency-Key": str(uuid.uuid4())}
                try:
                    response = await http.post(
                        f"{self.desk}/help", json=HELP, headers={**self.headers, **key}
                    )
                except httpx.HTTPError as error:
                    self.refused.append(repr(error))
                    continue
                if response.is_success:
                    self.accepted.append(response.json()["help_id"])
                else:
                    self.refused.append(f"{response.status_code} {response.text}")
                await asyncio.sleep(0.02)


@dataclass
class Watch:
    """The stream's last sequence as it grows, to tell how long publishing paused."""

    client: NatsClient
    seen: list[tuple[float, int]] = field(default_factory=list)
    leaders: list[tuple[float, str]] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        manager = self.client.jsm(timeout=1.0)
        while not stop.is_set():
            with contextlib.suppress(Exception):  # while the stream elects a leader
                info = await manager.stream_info(STREAM)
                if not self.seen or info.state.last_seq > self.seen[-1][1]:
                    self.seen.append((time.monotonic(), info.state.last_seq))
                leader = info.cluster.leader if info.cluster else None
                if leader and (not self.leaders or self.leaders[-1][1] != leader):
                    self.leaders.append((time.monotonic(), leader))
            await asyncio.sleep(0.05)

    def elected_after(self, since: float) -> float:
        """How long after ``since`` a new stream leader was first seen."""
        return next(at for at, _ in self.leaders if at > since) - since

    def longest_pause(self, since: float, until: float) -> float:
        """The longest time between two publishes seen from ``since`` to ``until``."""
        moments = [since] + [at for at, _ in self.seen if since < at <= until]
        return max(later - earlier for earlier, later in itertools.pairwise(moments))

    async def grown_by(self, messages: int) -> None:
        """Wait until the stream has taken ``messages`` more."""
        start = self.seen[-1][1] if self.seen else 0
        deadline = time.monotonic() + PATIENCE
        while not self.seen or self.seen[-1][1] < start + messages:
            assert time.monotonic() < deadline, f"publishing stopped at {self.seen[-1:]}"
            await asyncio.sleep(0.05)


async def stream_info(client: NatsClient) -> StreamInfo:
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            return await client.jsm().stream_info(STREAM)
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


def leader_of(info: StreamInfo) -> str:
    assert info.cluster is not None
    assert info.cluster.leader, info.cluster
    return info.cluster.leader


async def all_current(client: NatsClient) -> StreamInfo:
    """The stream's info once it has a leader and both other replicas are current."""
    deadline = time.monotonic() + PATIENCE
    while True:
        info = await stream_info(client)
        cluster = info.cluster
        replicas = (cluster.replicas or []) if cluster is not None else []
        if cluster is not None and cluster.leader and sum(bool(r.current) for r in replicas) == 2:
            return info
        assert time.monotonic() < deadline, f"replicas not current: {cluster}"
        await asyncio.sleep(0.1)


async def stream_contents(client: NatsClient) -> tuple[int, list[str], list[str]]:
    """How many messages the stream holds, their ``Nats-Msg-Id``s and the help ids given."""
    info = await stream_info(client)
    manager = client.jsm()
    message_ids: list[str] = []
    help_ids: list[str] = []
    subject = event_subject(HelpGiven)
    for sequence in range(1, info.state.last_seq + 1):
        message = await manager.get_msg(STREAM, sequence)
        message_ids.append((message.headers or {})["Nats-Msg-Id"])
        if message.subject == subject:
            help_ids.append(json.loads(message.data or b"")["payload"]["help_id"])
    return info.state.messages, message_ids, help_ids


def counted_by_reporting(tvers: Any) -> int:
    with tvers.client() as http:
        response = http.get(
            f"{tvers.url('reporting')}/api/desk/demand?site={SITE}",
            headers=tvers.token(Role.VIEWER),
        )
    assert response.is_success, response.text
    return sum(row["helped"] for row in response.json())


async def wait_until_counted(tvers: Any, expected: int) -> int:
    deadline = time.monotonic() + PATIENCE
    while (counted := await asyncio.to_thread(counted_by_reporting, tvers)) < expected:
        assert time.monotonic() < deadline, f"reporting counts {counted} of {expected}"
        await asyncio.sleep(0.2)
    return counted


@dataclass
class ClusterSystem:
    """``tvers up --nats-cluster 3`` and its three NATS servers, by ``server_name``."""

    tvers: Any
    nodes: dict[str, Node]


@pytest.fixture
def cluster_system(make_tvers: Any, tmp_path: Path) -> Iterator[ClusterSystem]:
    """``tvers up --nats-cluster 3`` on free ports and a temporary data folder. The servers the
    test started again are stopped after ``tvers`` (it stops those it started itself)."""
    system = make_tvers(tmp_path / "data")
    system.start("up", "--nats-cluster", "3")
    nodes: dict[str, Node] = {}
    try:
        system.wait_ready()
        folders = sorted(DataDir(system.data_dir).nats.glob("node-*"))
        nodes = {node.server_name: node for node in map(Node, folders)}
        yield ClusterSystem(system, nodes)
    finally:
        try:
            system.stop()
        finally:
            for node in nodes.values():
                if node.restarted is not None:
                    node.restarted.stop()


@pytest.mark.timeout(240)  # tvers up takes up to a minute on a busy machine, then two failovers
async def test_every_recorded_help_is_published_and_counted_once_across_a_node_and_a_leader_loss(
    cluster_system: ClusterSystem,
) -> None:
    tvers, nodes = cluster_system.tvers, cluster_system.nodes
    assert len(nodes) == 3
    password = DataDir(tvers.data_dir).secret("nats-tvers.password")
    admin_url = ",".join(node.url.replace("//", f"//tvers:{password}@") for node in nodes.values())
    admin = await connect_nats(admin_url, name="tests-cluster")
    load = Load(tvers.url("desk"), tvers.token(Role.DESK, site_id=SITE))
    watch = Watch(admin)
    stop = asyncio.Event()
    pauses: dict[str, float] = {}
    try:
        info = await all_current(admin)
        assert info.config.num_replicas == 3
        async with asyncio.TaskGroup() as running:
            running.create_task(load.run(stop))
            running.create_task(watch.run(stop))
            await watch.grown_by(20)

            # A server that does not lead the desk stream dies, and comes back later.
            leader = leader_of(await all_current(admin))
            follower = next(node for name, node in nodes.items() if name != leader)
            killed = time.monotonic()
            follower.kill()
            await watch.grown_by(40)
            follower.restart()
            await all_current(admin)
            pauses[f"a follower ({follower.server_name})"] = watch.longest_pause(
                killed, time.monotonic()
            )

            # Then the stream's leader dies: the other two elect a new one.
            leader = leader_of(await all_current(admin))
            killed = time.monotonic()
            nodes[leader].kill()
            await watch.grown_by(40)
            new_leader = leader_of(await stream_info(admin))
            nodes[leader].restart()
            await all_current(admin)
            await watch.grown_by(20)
            pauses[f"the leader ({leader}, then {new_leader})"] = watch.longest_pause(
                killed, time.monotonic()
            )
            pauses["a new leader seen"] = watch.elected_after(killed)
            stop.set()

        accepted = load.accepted
        assert not load.refused, load.refused[:5]
        deadline = time.monotonic() + PATIENCE
        while len((contents := await stream_contents(admin))[2]) < len(accepted):
            assert time.monotonic() < deadline, "the relay did not publish everything"
            await asyncio.sleep(0.2)
        counted = await wait_until_counted(tvers, len(accepted))
    finally:
        stop.set()
        await admin.close()

    messages, message_ids, help_ids = contents
    assert messages == len(message_ids) == len(set(message_ids)), "a message stored twice"
    assert Counter(help_ids) == Counter(accepted), "a help lost or published twice"
    assert counted == len(accepted), "reporting counted a help twice"
    assert "restarting" not in tvers.output, tvers.output
    print(  # the figures the operations doc quotes
        f"\n{len(accepted)} helps recorded; longest pause in publishing after killing "
        + "; ".join(f"{what}: {seconds:.1f} s" for what, seconds in pauses.items())
    )
