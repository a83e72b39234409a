"""The ``tvers`` command: ``up``, ``demo``, ``token`` and the operator commands."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer
from rich.console import Console

from tvers_cli import compose_secrets
from tvers_cli.layout import DataDir, Ports
from tvers_cli.nats_cluster import cluster_size
from tvers_cli.ops import commands as ops_backup
from tvers_cli.ops import dead_letters, keys, projections, status
from tvers_cli.supervisor import ServiceFailed
from tvers_cli.system import AfterReady, AlreadyRunning, Options, PortInUse, RunningSystem
from tvers_cli.system import run as run_system
from tvers_runtime.aio import run
from tvers_runtime.auth import DEFAULT_AUDIENCE, SERVICES, Role, Tokens
from tvers_runtime.embedded.process import ServerFailedToStart

if TYPE_CHECKING:
    from tvers_cli.demo.fill import DemoSummary

app = typer.Typer(
    help="Samarbeid på tvers: start the system, fill it with demo data, issue tokens.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
status.register(app)
projections.register(app)
app.add_typer(dead_letters.app, name="dead-letters")
app.add_typer(keys.app, name="keys")
ops_backup.register(app)
#: The services a token can be for (``tvers token --service``).
Service = StrEnum("Service", {name.upper(): name for name in SERVICES})  # type: ignore[misc]

DataDirOption = Annotated[
    Path, typer.Option("--data-dir", envvar="TVERS_DATA_DIR", help="Databases, logs, secrets.")
]
HostOption = Annotated[str, typer.Option(help="Interface every server listens on.")]
PortOption = Annotated[int, typer.Option(min=1, max=65535)]
PostgresUrl = Annotated[
    str | None,
    typer.Option(help="Use this PostgreSQL (an admin URL) instead of the embedded one."),
]
NatsUrl = Annotated[str | None, typer.Option(help="Use this NATS instead of the embedded one.")]
NatsCluster = Annotated[int, typer.Option(callback=cluster_size, help=cluster_size.__doc__)]


def _options(
    data_dir: Path,
    host: str,
    postgres_url: str | None,
    nats_url: str | None,
    nats_cluster: int = 1,
    **ports: int,
) -> Options:
    """What ``up`` and ``demo`` were asked, as options for the system runner."""
    chosen = Ports(
        postgres=ports["postgres_port"],
        nats=ports["nats_port"],
        nats_monitor=ports["nats_monitoring_port"],
        library_system=ports["library_system_port"],
        mail=ports["mail_port"],
    )
    for service in chosen.services:
        chosen.services[service] = ports[f"{service}_port"]
    return Options(data_dir, host, chosen, postgres_url, nats_url, nats_cluster)


def _start(
    options: Options,
    after_ready: AfterReady | None,
    while_running: AfterReady | None = None,
    dashboard_ready: Callable[[str], None] | None = None,
) -> None:
    try:
        run(run_system(options, console, after_ready, while_running, dashboard_ready))
    except (AlreadyRunning, PortInUse, ServiceFailed, ServerFailedToStart) as error:
        console.print(f"[red]tvers:[/red] {error}")
        raise typer.Exit(1) from None


@app.command()
def up(
    data_dir: DataDirOption = Path("data"),
    host: HostOption = "127.0.0.1",
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
    nats_cluster: NatsCluster = 1,
    reporting_port: PortOption = 8100,
    access_port: PortOption = 8101,
    volunteers_port: PortOption = 8102,
    visits_port: PortOption = 8103,
    desk_port: PortOption = 8104,
    postgres_port: PortOption = 15432,
    nats_port: PortOption = 14222,
    nats_monitoring_port: PortOption = 18222,
    library_system_port: PortOption = 16001,
    mail_port: PortOption = 16025,
) -> None:
    """Start NATS, PostgreSQL and every service; stop them all with Ctrl-C."""
    _start(_options(**locals()), None)


LiveOption = Annotated[
    bool,
    typer.Option(
        "--live",
        help="After the fill, keep producing events (door entries, volunteers checking in and "
        "out, class visits) in simulated time until Ctrl-C, so the dashboard moves.",
    ),
]


@functools.wraps(up)  # the same options as up, and --live
def demo(*, live: bool = False, **arguments: Any) -> None:
    from tvers_cli.demo.data import ACCESS_SETTINGS  # noqa: PLC0415 - demo only

    options = _options(**arguments)
    options.settings = {"access": ACCESS_SETTINGS}  # to take a school year of door traffic
    shown = _DemoRun(DataDir(options.data_dir))
    _start(options, shown.fill, shown.live if live else None, shown.first_sight)


demo.__doc__ = (
    "Like up; print the dashboard's sign-in link at once, then fill in demo data for Ålesund "
    "(and with --live keep producing events)."
)
demo.__annotations__ = {**up.__annotations__, "live": LiveOption}
_live = inspect.Parameter("live", inspect.Parameter.KEYWORD_ONLY, default=False)
demo.__signature__ = inspect.signature(up, eval_str=True).replace(  # type: ignore[attr-defined]
    parameters=[
        *inspect.signature(up, eval_str=True).parameters.values(),
        _live.replace(annotation=LiveOption),
    ]
)
app.command("demo")(demo)


class _DemoRun:
    """The demo's part: the first sight as soon as the dashboard is ready, then the fill once
    every service is (decision 0041); with ``--live``, the events that go on after it."""

    def __init__(self, data: DataDir, tenant: str = "1508") -> None:
        self._data = data
        self._tenant = tenant
        self._summary: DemoSummary | None = None

    def first_sight(self, dashboard: str) -> None:
        from tvers_cli.demo import first_sight  # noqa: PLC0415 - demo only

        first_sight.show(console, dashboard, first_sight.viewer_token(self._data, self._tenant))

    async def fill(self, system: RunningSystem) -> None:
        from tvers_cli.demo import first_sight  # noqa: PLC0415 - demo only
        from tvers_cli.demo.fill import FillFailed, fill  # noqa: PLC0415 - demo only, heavy

        started = time.monotonic()
        try:
            self._summary = summary = await fill(system, console, tenant=self._tenant)
        except FillFailed as error:
            console.print(f"[red]tvers: demo data refused:[/red] {error}")
            raise
        console.print()
        console.print(f"{first_sight.FILLED} ({time.monotonic() - started:.0f} s).")
        console.print(
            "[bold]The volunteers' page[/bold] (a demo volunteer's personal sign-in link, a vgs "
            "student with hours and a certificate; it works once, within 72 hours):"
        )
        console.print(f"  {summary.sign_in_link}", soft_wrap=True)

    async def live(self, system: RunningSystem) -> None:
        from tvers_cli.demo.live import go_live  # noqa: PLC0415 - demo only

        if self._summary is not None:
            await go_live(system, console, self._summary, tenant=self._tenant)


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="What the holder may do.")],
    data_dir: DataDirOption = Path("data"),
    tenant: Annotated[str, typer.Option(envvar="TVERS_TENANT")] = "1508",
    volunteer_id: Annotated[UUID | None, typer.Option(help="Bind to a volunteer.")] = None,
    school_id: Annotated[str | None, typer.Option(help="Bind to a school.")] = None,
    door: Annotated[
        str | None, typer.Option(help="The one door a door token may open (door tokens need it).")
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            help="The one innbyggartorg site a desk token records at (desk tokens need it)."
        ),
    ] = None,
    service: Annotated[
        list[Service] | None,
        typer.Option(
            help="A service the token is for; repeat for several. By default the role's own: "
            + "; ".join(f"{r.value}: {', '.join(DEFAULT_AUDIENCE[r])}" for r in Role)
            + ".",
        ),
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="Valid for this many days.")] = 30,
) -> None:
    """Print a signed token for a role (with the data folder's signing key)."""
    tokens = Tokens(DataDir(data_dir).signing_key())
    try:
        issued = tokens.issue(
            role,
            tenant=tenant,
            volunteer_id=volunteer_id,
            school_id=school_id,
            door_id=door,
            site_id=site,
            audience=[s.value for s in service] if service else None,
            lifetime_seconds=days * 24 * 3600,
        )
    except ValueError as error:
        typer.echo(f"tvers: {error}", err=True)
        raise typer.Exit(2) from None
    print(issued)  # noqa: T201 - the token is the output


app.command("compose-secrets")(compose_secrets.command)
