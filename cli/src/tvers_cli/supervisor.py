"""Runs every service as a process of its own, watches it, restarts it if it dies, and stops
them all in order."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console

from tvers_cli import library_system, mail
from tvers_cli.backing import Backing
from tvers_cli.layout import SERVICES, DataDir, Ports
from tvers_runtime.aio import wait_for_event
from tvers_runtime.embedded.process import die_with_parent

READY_TIMEOUT = 60.0
RESTARTS_PER_MINUTE = 5


@dataclass
class ServiceProcess:
    """One service process and how to run it."""

    name: str
    module: str
    url: str
    environment: dict[str, str]
    log_path: Path
    arguments: list[str] = field(default_factory=list)
    #: Ready when this port takes a connection (a process without ``/readyz``).
    tcp_port: int | None = None
    process: asyncio.subprocess.Process | None = None
    restarts: list[float] = field(default_factory=list)

    async def start(self) -> None:
        """Start the process, its output appended to its log file."""
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                self.module,
                *self.arguments,
                env=self.environment,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=die_with_parent(),
            )

    async def ready(self, client: httpx.AsyncClient) -> bool:
        """Whether its ``/readyz`` says so (or its port takes a connection)."""
        if self.tcp_port is not None:
            return await _accepts(self.url, self.tcp_port)
        try:
            response = await client.get(f"{self.url}/readyz", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    @property
    def exited(self) -> bool:
        """Whether the process has ended."""
        return self.process is not None and self.process.returncode is not None

    async def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL if it will not stop."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def _accepts(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 2.0)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


class Supervisor:
    """The service processes of one running system."""

    def __init__(
        self,
        data: DataDir,
        ports: Ports,
        host: str,
        backing: Backing,
        console: Console,
        *,
        settings: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self._console = console
        # The stand-in library system's patrons (card numbers) live here, not in the data folder.
        self._private = tempfile.TemporaryDirectory(prefix="tvers-library-system-")
        self.processes = (
            []
            if library_system.external()
            else [_library_system(data, ports, host, Path(self._private.name))]
        )
        self.processes += [
            ServiceProcess(
                name=name,
                module=module,
                url=f"http://{host}:{ports.services[name]}",
                environment={
                    **self._environment(name, data, ports, host, backing),
                    **(settings or {}).get(name, {}),
                },
                log_path=data.logs / f"{name}.log",
            )
            for name, (module, _) in SERVICES.items()
        ]

    @staticmethod
    def _environment(
        name: str, data: DataDir, ports: Ports, host: str, backing: Backing
    ) -> dict[str, str]:
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("TVERS_")
        }
        environment.update(
            {
                "TVERS_DATABASE_URL": backing.database_urls[name],
                "TVERS_NATS_URL": backing.nats_urls[name],
                "TVERS_STREAM_REPLICAS": str(backing.stream_replicas),
                "TVERS_HTTP_HOST": host,
                "TVERS_HTTP_PORT": str(ports.services[name]),
                "TVERS_AUTH_KEY_FILE": str(data.auth_key_file),
                "TVERS_AUTH_PREVIOUS_KEY_FILE": str(data.auth_previous_key_file),
                "TVERS_LOG_JSON": "true",
                "TVERS_LOG_LEVEL": os.environ.get("TVERS_LOG_LEVEL", "INFO"),
                "TVERS_TENANT": os.environ.get("TVERS_TENANT", "1508"),
            }
        )
        if name == "access":
            environment["TVERS_PATRON_KEY_FILE"] = str(data.patron_key_file)
            environment["TVERS_PATRON_PREVIOUS_KEY_FILE"] = str(data.patron_previous_key_file)
            environment.update(library_system.access_environment(data, ports, host))
        if name == "volunteers":
            environment["TVERS_VAULT_MASTER_KEY_FILE"] = str(data.vault_master_key_file)
            environment.update(mail.volunteers_environment(ports, host))
        return environment

    async def start_all(
        self, *, first: str | None = None, when_first_ready: Callable[[], None] | None = None
    ) -> None:
        """Start every service and wait until each says it is ready; the one named ``first``
        alone before the others (on a small machine they share its cores while they start),
        then ``when_first_ready``."""
        ahead = [service for service in self.processes if service.name == first]
        for group in (ahead, [service for service in self.processes if service not in ahead]):
            for service in group:
                await service.start()
            await self._until_ready(group)
            if group is ahead and ahead and when_first_ready is not None:
                when_first_ready()

    @contextlib.asynccontextmanager
    async def stopped(self, name: str) -> AsyncIterator[bool]:
        """Stop one process for a while (to see what the others do without it), then start it
        again and wait until it is ready. Yields whether there is such a process."""
        service = next((s for s in self.processes if s.name == name), None)
        if service is None:
            yield False
            return
        await service.stop()
        self._console.print(f"  [yellow]stopped[/yellow]  {name} for a moment")
        try:
            yield True
        finally:
            await service.start()
        await self._until_ready([service])

    async def _until_ready(self, services: list[ServiceProcess]) -> None:
        started = time.monotonic()
        async with httpx.AsyncClient() as client:
            pending = {service.name: service for service in services}
            while pending:
                for name, service in list(pending.items()):
                    if service.exited:
                        raise ServiceFailed(name, service.log_path)
                    if await service.ready(client):
                        seconds = time.monotonic() - started
                        self._console.print(
                            f"  [green]ready[/green]  {name:<11} {service.url}"
                            f"  [dim]({seconds:.1f} s)[/dim]"
                        )
                        del pending[name]
                if time.monotonic() - started > READY_TIMEOUT:
                    raise ServiceFailed(next(iter(pending)), pending[next(iter(pending))].log_path)
                await asyncio.sleep(0.1)

    async def watch(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: restart a service that dies (a few times a minute at most)."""
        while not stop.is_set():
            for service in self.processes:
                if not service.exited:
                    continue
                now = time.monotonic()
                service.restarts = [t for t in service.restarts if now - t < 60] + [now]
                if len(service.restarts) > RESTARTS_PER_MINUTE:
                    raise ServiceFailed(service.name, service.log_path)
                self._console.print(
                    f"  [yellow]restarting[/yellow] {service.name} "
                    f"(it exited with {service.process.returncode if service.process else '?'})"
                )
                await service.start()
            await wait_for_event(stop, 0.5)

    async def stop_all(self) -> None:
        """Stop the services, reporting first."""
        await asyncio.gather(*(service.stop() for service in reversed(self.processes)))
        self._private.cleanup()


def _library_system(data: DataDir, ports: Ports, host: str, folder: Path) -> ServiceProcess:
    """The SIP2 test peer, standing in for the library system (see :mod:`library_system`)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TVERS_")}
    return ServiceProcess(
        name="library-system",
        module=library_system.PEER_MODULE,
        url=host,
        environment=environment,
        log_path=data.logs / "library-system.log",
        arguments=library_system.peer_arguments(data, ports, host, folder),
        tcp_port=ports.library_system,
    )


class ServiceFailed(Exception):
    """A service did not start, or keeps dying; its log says why."""

    def __init__(self, name: str, log_path: Path) -> None:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
        super().__init__(f"{name} failed; the end of {log_path}:\n{tail}")
