"""The compose deployment's NATS (``deploy/nats/nats.conf`` including the generated
``nats-authorization.conf``) run by a real nats-server in the layout of the container: each
service connects with the URL in its secret file, and holds its own permissions there."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import nats
import nats.errors
import pytest
from nats.aio.client import Client as NatsClient

from tvers_cli.compose_secrets import nats_url, write_compose_secrets
from tvers_cli.layout import SERVICES
from tvers_runtime.embedded import free_port
from tvers_runtime.testing.pipeline import eventually

pytestmark = pytest.mark.servers
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


class ComposeNats:
    """A nats-server started as the compose file starts it, on free local ports."""

    def __init__(self, root: Path) -> None:
        self.config = root / "etc" / "nats" / "nats.conf"
        self.config.parent.mkdir(parents=True)
        # The file as it is, but for the volume it stores JetStream in.
        self.store = root / "data" / "jetstream"
        configured = (DEPLOY / "nats" / "nats.conf").read_text(encoding="utf-8")
        assert "store_dir: /data/jetstream" in configured
        configured = configured.replace("/data/jetstream", self.store.as_posix())
        self.config.write_text(configured, encoding="utf-8")
        self.secrets = root / "run" / "secrets"
        write_compose_secrets(self.secrets)
        self.port, self.monitor_port = free_port(), free_port()

    def command(self) -> list[str]:
        binary = shutil.which("nats-server", path=str(Path(sys.executable).parent))
        assert binary is not None
        # Flags override the file's ports; the rest is the file's.
        ports = ["-p", str(self.port), "-m", str(self.monitor_port)]
        return [binary, "-c", str(self.config), "-a", "127.0.0.1", *ports]

    def _answers_healthy(self) -> bool:
        url = f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"
        with suppress(OSError), urllib.request.urlopen(url, timeout=0.5) as response:
            return bool(response.status == 200)
        return False

    async def healthy(self) -> bool:
        """Whether the server answers the health check compose asks."""
        return await asyncio.to_thread(self._answers_healthy)

    def url_of(self, service: str) -> str:
        """The service's URL from its secret file, pointed at this server."""
        url = (self.secrets / nats_url(service)).read_text(encoding="utf-8").strip()
        return url.replace("@nats:4222", f"@127.0.0.1:{self.port}")

    @asynccontextmanager
    async def connected(self, url: str) -> AsyncIterator[NatsClient]:
        client = await nats.connect(url, connect_timeout=5, allow_reconnect=False)
        try:
            yield client
        finally:
            await client.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ComposeNats]:
    compose_nats = ComposeNats(tmp_path)
    log = (tmp_path / "nats.log").open("w")
    process = subprocess.Popen(compose_nats.command(), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield compose_nats
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


async def test_each_service_connects_with_its_secret_url_and_publishes_on_its_own_subjects(
    server: ComposeNats,
) -> None:
    await eventually(server.healthy)
    for service in SERVICES:
        async with server.connected(server.url_of(service)) as client:
            assert client.is_connected, service
    async with server.connected(server.url_of("access")) as access:
        js = access.jetstream(timeout=2)
        await access.jsm(timeout=2).add_stream(name="ACCESS", subjects=["access.>"])
        acknowledged = await js.publish("access.door.entry_granted", b"{}")
        with pytest.raises((nats.errors.Error, TimeoutError)):
            await js.publish("volunteers.shift.shift_claimed", b"{}", timeout=1)
    assert (acknowledged.stream, acknowledged.seq) == ("ACCESS", 1)


async def test_a_wrong_password_is_refused(server: ComposeNats) -> None:
    await eventually(server.healthy)
    wrong = f"nats://access:guessed@127.0.0.1:{server.port}"
    with pytest.raises(nats.errors.Error):
        await nats.connect(
            wrong, connect_timeout=2, allow_reconnect=False, max_reconnect_attempts=0
        )
