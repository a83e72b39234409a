"""``tvers up``: one command that starts the backing servers and every service, shows them
coming up, and stops it all cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from tvers_cli import library_system, mail
from tvers_cli.backing import Backing, prepare
from tvers_cli.layout import DataDir, Ports
from tvers_cli.supervisor import Supervisor
from tvers_runtime.embedded import EmbeddedNatsCluster, port_is_free


class AlreadyRunning(Exception):
    """Another ``tvers up`` holds this data folder."""


class PortInUse(Exception):
    """A port ``tvers up`` needs is taken."""


@dataclass
class Options:
    """What ``tvers up`` was asked to do."""

    data_dir: Path
    host: str = "127.0.0.1"
    ports: Ports = field(default_factory=Ports)
    postgres_url: str | None = None
    nats_url: str | None = None
    #: NATS servers: 1, or 3 as one JetStream cluster with every stream replicated three times.
    nats_cluster: int = 1
    #: ``TVERS_*`` settings of a service's process beyond those tvers derives (the demo's).
    settings: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class RunningSystem:
    """What a started system offers to whoever comes next (the demo fill, the summary)."""

    data: DataDir
    options: Options
    backing: Backing
    supervisor: Supervisor

    def url(self, service: str) -> str:
        """A service's base URL."""
        return f"http://{self.options.host}:{self.options.ports.services[service]}"


AfterReady = Callable[[RunningSystem], Awaitable[None]]


@contextlib.contextmanager
def exclusive(data: DataDir) -> Iterator[None]:
    """Hold the data folder's lock for as long as the system runs."""
    handle = data.lock.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise AlreadyRunning(
            f"tvers is already running on {data.root} (process {holder}). "
            "Stop it with Ctrl-C in its terminal, or use another --data-dir."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    try:
        yield
    finally:
        handle.close()


def check_ports(options: Options) -> None:
    """Every port this run will listen on must be free."""
    wanted = dict(options.ports.services)
    if options.postgres_url is None:
        wanted["postgres"] = options.ports.postgres
    if options.nats_url is None:
        wanted["nats"] = options.ports.nats
        wanted["nats monitoring"] = options.ports.nats_monitor
    if not library_system.external():
        wanted["library system"] = options.ports.library_system
    if not mail.external():
        wanted["mail"] = options.ports.mail
    for user, port in wanted.items():
        if not port_is_free(port, options.host):
            raise PortInUse(
                f"port {port} ({user}) on {options.host} is in use; "
                f"choose another with --{user.replace(' ', '-')}-port"
            )


async def run(
    options: Options,
    console: Console,
    after_ready: AfterReady | None = None,
    while_running: AfterReady | None = None,
    dashboard_ready: Callable[[str], None] | None = None,
) -> None:
    """Start everything, then keep it running until Ctrl-C or SIGTERM: ``after_ready`` once
    all is ready (the demo fill), then ``while_running`` beside the watch over the services
    until the stop (the live demo). Either ends at once, cancelled, on Ctrl-C. Given
    ``dashboard_ready``, reporting starts before the others and it is called with the
    dashboard's address as soon as reporting is ready (the demo's first sight)."""
    data = DataDir(options.data_dir)
    data.create()
    with exclusive(data):
        check_ports(options)
        options.ports.save(data.ports_file, options.host, options.nats_cluster)
        started = time.monotonic()
        data.signing_key()
        console.print(f"tvers: data folder [bold]{data.root}[/bold]")
        backing = await prepare(
            data,
            options.ports,
            options.host,
            postgres_url=options.postgres_url,
            nats_url=options.nats_url,
            nats_cluster=options.nats_cluster,
        )
        _describe_backing(console, options, backing)
        sink = contextlib.ExitStack()
        try:
            maildir = sink.enter_context(mail.local_sink(options.ports, options.host))
        except BaseException:
            backing.stop()
            raise
        _describe_mail(console, options, maildir)
        supervisor = Supervisor(
            data, options.ports, options.host, backing, console, settings=options.settings
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            dashboard = f"http://{options.host}:{options.ports.services['reporting']}"
            await supervisor.start_all(
                first="reporting" if dashboard_ready is not None else None,
                when_first_ready=(
                    None if dashboard_ready is None else lambda: dashboard_ready(dashboard)
                ),
            )
            console.print(
                f"tvers: all services ready in {time.monotonic() - started:.1f} s. "
                "Stop with Ctrl-C."
            )
            system = RunningSystem(data, options, backing, supervisor)
            if after_ready is not None:
                await _until_stopped(after_ready(system), stop)
            if not stop.is_set():  # Ctrl-C while after_ready ran: straight to stopping
                _summary(console, system)
            if while_running is None:
                await supervisor.watch(stop)
            else:
                async with asyncio.TaskGroup() as running:
                    running.create_task(supervisor.watch(stop))
                    running.create_task(_until_stopped(while_running(system), stop))
        finally:
            console.print("tvers: stopping ...")
            await supervisor.stop_all()
            sink.close()
            backing.stop()
            console.print("tvers: stopped.")


async def _until_stopped(work: Awaitable[None], stop: asyncio.Event) -> None:
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if task not in done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return
    stopping.cancel()
    task.result()


def _describe_backing(console: Console, options: Options, backing: Backing) -> None:
    if backing.embedded_postgres is not None:
        console.print(
            f"  [green]ready[/green]  postgres    {options.host}:{options.ports.postgres}"
            "  [dim](embedded)[/dim]"
        )
    else:
        console.print("  [green]ready[/green]  postgres    [dim](external)[/dim]")
    nats = backing.embedded_nats
    replicas = f", streams with {backing.stream_replicas} replicas"
    if isinstance(nats, EmbeddedNatsCluster):
        addresses = " ".join(f"{node.host}:{node.port}" for node in nats.nodes)
        console.print(
            f"  [green]ready[/green]  nats        {addresses}"
            f"  [dim](embedded, a JetStream cluster of {nats.size}{replicas})[/dim]"
        )
    elif nats is not None:
        console.print(
            f"  [green]ready[/green]  nats        {options.host}:{options.ports.nats}"
            "  [dim](embedded, JetStream)[/dim]"
        )
    else:
        extra = replicas if backing.stream_replicas > 1 else ""
        console.print(f"  [green]ready[/green]  nats        [dim](external{extra})[/dim]")


def _describe_mail(console: Console, options: Options, maildir: Path | None) -> None:
    if maildir is None:
        console.print("  [green]ready[/green]  mail        [dim](external SMTP server)[/dim]")
        return
    console.print(
        f"  [green]ready[/green]  mail        {options.host}:{options.ports.mail}"
        f"  [dim](a sink: nothing is delivered; mail is kept in {maildir} until tvers stops)[/dim]"
    )


def _summary(console: Console, system: RunningSystem) -> None:
    console.print()
    console.print(f"  Dashboard  {system.url('reporting')}/")
    for name in ("access", "volunteers", "visits", "desk"):
        console.print(f"  {name:<10} {system.url(name)}/docs")
    console.print(f"  Logs       {system.data.logs}")
    console.print("  A token: ./tvers token --role viewer")
