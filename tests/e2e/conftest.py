"""End-to-end tests drive the real thing: ``tvers up`` (or ``tvers demo``) as a process of its
own, on free ports and a temporary data folder, with its embedded NATS and PostgreSQL, and talk to
it over HTTP like any client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tvers_cli.layout import DataDir
from tvers_runtime.auth import Role, Tokens
from tvers_runtime.embedded import free_port

pytestmark = [pytest.mark.servers, pytest.mark.slow]
SERVICES = ("reporting", "access", "volunteers", "visits", "desk")


@dataclass
class Tvers:
    """A ``tvers`` command running as a process, and how to reach what it started."""

    data_dir: Path
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    output_path: Path | None = None
    environment: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = (*SERVICES, "postgres", "nats", "nats-monitoring", "library-system", "mail")
        self.ports = {name: free_port() for name in names}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, command: str = "up", *extra: str) -> None:
        arguments = [sys.executable, "-m", "tvers_cli", command, "--data-dir", str(self.data_dir)]
        arguments += list(extra)
        for name, port in self.ports.items():
            arguments += [f"--{name}-port", str(port)]
        self.output_path = self.data_dir.parent / f"tvers-{command}-{time.monotonic_ns()}.out"
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(
                arguments,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "COLUMNS": "200", "TERM": "dumb", **self.environment},
            )

    @property
    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path else ""

    def wait_for(self, text: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"tvers exited:\n{self.output}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} after {timeout}s:\n{self.output}")
            time.sleep(0.1)

    def wait_ready(self) -> None:
        self.wait_for("all services ready")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"tvers did not stop on SIGTERM:\n{self.output}") from None
        assert self.process is None or self.process.returncode == 0, self.output

    def token(self, role: Role, **bound: object) -> dict[str, str]:
        tokens = Tokens(DataDir(self.data_dir).signing_key())
        return {"Authorization": f"Bearer {tokens.issue(role, tenant='1508', **bound)}"}  # type: ignore[arg-type]

    def client(self) -> httpx.Client:
        return httpx.Client(timeout=30.0)


@pytest.fixture
def tvers(tmp_path: Path) -> Iterator[Tvers]:
    """``tvers up`` on free ports and a temporary data folder."""
    system = Tvers(tmp_path / "data")
    system.start("up")
    try:
        system.wait_ready()
        yield system
    finally:
        system.stop()


@pytest.fixture(scope="package")
def running_tvers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tvers]:
    """One ``tvers up`` shared by the tests that only look at a running system and change
    nothing another of them looks at (health, NATS permissions, a second ``up``, a correlation
    id in the logs, hence the debug log level): each ``up`` costs about ten seconds. A test
    that stops, restarts or counts everything in the system starts its own (``tvers``)."""
    system = Tvers(
        tmp_path_factory.mktemp("shared-tvers") / "data",
        environment={"TVERS_LOG_LEVEL": "DEBUG"},
    )
    system.start("up")
    try:
        system.wait_ready()
        yield system
    finally:
        system.stop()


@pytest.fixture
def make_tvers(tmp_path: Path) -> Iterator[type[Tvers]]:
    """Make ``Tvers`` handles yourself (started and stopped by the test); all stopped at the end."""
    made: list[Tvers] = []

    class Tracked(Tvers):
        def __post_init__(self) -> None:
            super().__post_init__()
            made.append(self)

    yield Tracked
    for system in made:
        if system.process is not None and system.process.poll() is None:
            system.process.kill()
