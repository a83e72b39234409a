"""``tvers status``: per service its readiness and relay backlog; per read model how far behind
its streams it is and its dead letters; per subscriber what waits for it and its dead letters."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated

import httpx
import typer
from nats.aio.client import Client as NatsClient
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamInfo
from nats.js.errors import NotFoundError
from rich.table import Table

from tvers_cli.layout import PUBLISHERS, SERVICES
from tvers_cli.ops import catalog
from tvers_cli.ops.target import (
    DataDirOption,
    JsonOption,
    NatsUrl,
    NotReachable,
    PostgresUrl,
    System,
    Where,
    connect,
    console,
    fail,
)
from tvers_runtime.aio import run
from tvers_runtime.projection import Source, live_schema
from tvers_runtime.projection.replay import checkpoint_of
from tvers_runtime.relay import backlog


@dataclass
class ServiceState:
    """One service: readiness (``ready``, ``degraded``, ``not ready`` or ``down``) and, for a
    publisher, the events its relay has not published yet."""

    service: str
    health: str
    checks: dict[str, bool] = field(default_factory=dict)
    relay_backlog: int | None = None


@dataclass
class SourceLag:
    """One source of a read model: the stream sequence applied, the stream's last, and how many
    of the source's messages are still to apply."""

    stream: str
    applied: int
    stream_last: int
    behind: int


@dataclass
class ProjectionState:
    """One read model."""

    name: str
    sources: list[SourceLag]
    dead_letters: int


@dataclass
class SubscriberState:
    """One subscriber: messages waiting in its durable consumer, and its dead letters."""

    name: str
    service: str
    pending: int | None
    dead_letters: int


@dataclass
class StreamState:
    """One JetStream stream's copies: its leader, and the replicas that are offline or not
    current (a NATS server down: the stream still works on a majority, but has no spare)."""

    stream: str
    leader: str | None
    replicas: int
    lagging: list[str] = field(default_factory=list)


def stream_state(info: StreamInfo) -> StreamState:
    """What a stream's info says of its copies."""
    cluster = info.cluster
    peers = (cluster.replicas or []) if cluster else []
    return StreamState(
        stream=info.config.name or "",
        leader=cluster.leader if cluster else None,
        replicas=info.config.num_replicas or 1,
        lagging=[p.name or "?" for p in peers if p.offline or not p.current],
    )


async def stream_states(nats: NatsClient) -> list[StreamState]:
    """Every source stream's copies (a stream not made yet is left out)."""
    names = sorted({s.stream for n in catalog.projections().values() for s in n.projection.sources})
    found = []
    for name in names:
        with contextlib.suppress(NotFoundError):
            found.append(stream_state(await nats.jsm().stream_info(name)))
    return found


@dataclass
class Status:
    """The whole answer of ``tvers status``."""

    services: list[ServiceState]
    projections: list[ProjectionState]
    subscribers: list[SubscriberState]
    streams: list[StreamState] = field(default_factory=list)
    #: Whether the command started the embedded servers (the system was not running).
    started_for_this_command: bool = False


async def service_state(system: System, service: str, url: str) -> ServiceState:
    """Ask the service's ``/readyz``; count its relay's backlog in its database."""
    state = ServiceState(service, "down")
    with contextlib.suppress(httpx.HTTPError):
        async with httpx.AsyncClient(timeout=5.0) as http:
            answer = (await http.get(f"{url}/readyz")).json()
        state.health = answer["status"]
        state.checks = answer.get("checks", {})
    if service in PUBLISHERS:
        with contextlib.suppress(Exception):  # no relay table yet: never started
            async with (await system.pool(service)).acquire() as connection:
                state.relay_backlog = await backlog(connection, service)
    return state


async def pending_after(nats: NatsClient, source: Source, applied: int) -> tuple[int, int]:
    """The stream's last sequence, and how many of the source's messages come after
    ``applied`` (an ephemeral consumer counts them, with the source's subject filter)."""
    try:
        info = await nats.jsm().stream_info(source.stream)
    except NotFoundError:
        return 0, 0
    last = info.state.last_seq
    if applied >= last:
        return last, 0
    config = ConsumerConfig(
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=applied + 1,
        ack_policy=AckPolicy.NONE,
        inactive_threshold=5.0,
        mem_storage=True,
        num_replicas=1,
    )
    if len(source.subjects) == 1:
        config.filter_subject = source.subjects[0]
    elif source.subjects:
        config.filter_subjects = list(source.subjects)
    consumer = await nats.jsm().add_consumer(source.stream, config)
    with contextlib.suppress(Exception):
        await nats.jsm().delete_consumer(source.stream, consumer.name)
    return last, consumer.num_pending or 0


async def projection_state(system: System, named: catalog.NamedProjection) -> ProjectionState:
    """How far the read model is behind each source, and its dead letters."""
    pool = await system.pool(named.service)
    lags: list[SourceLag] = []
    for source in named.projection.sources:
        try:
            applied = await checkpoint_of(pool, named.projection, source.stream)
        except Exception:  # no read model yet: the service never started
            applied = 0
        last, behind = await pending_after(system.nats, source, applied)
        lags.append(SourceLag(source.stream, applied, last, behind))
    schema = live_schema(named.projection)
    try:
        dead = await pool.fetchval(f'SELECT count(*) FROM "{schema}"._dead_letters')  # noqa: S608
    except Exception:
        dead = 0
    return ProjectionState(named.name, lags, dead)


async def subscriber_states(system: System) -> list[SubscriberState]:
    """Each subscriber's waiting messages and dead letters."""
    states = []
    for durable, (service, subscriber) in catalog.subscribers().items():
        pending: int | None = None
        with contextlib.suppress(Exception):
            info = await system.nats.jsm().consumer_info(subscriber.stream, durable)
            pending = (info.num_pending or 0) + (info.num_ack_pending or 0)
        dead = 0
        with contextlib.suppress(Exception):
            dead = await (await system.pool(service)).fetchval(
                "SELECT count(*) FROM subscriber_dead_letters WHERE subscriber = $1", durable
            )
        states.append(SubscriberState(durable, service, pending, dead))
    return states


async def gather_status(system: System, urls: dict[str, str]) -> Status:
    """Everything ``tvers status`` shows."""
    services = await asyncio.gather(
        *(service_state(system, service, urls[service]) for service in SERVICES)
    )
    projections = [await projection_state(system, n) for n in catalog.projections().values()]
    return Status(
        list(services),
        projections,
        await subscriber_states(system),
        await stream_states(system.nats),
        system.started_here,
    )


def _table(status: Status) -> None:
    services = Table(title="Services")
    for column in ("service", "health", "relay backlog", "failing checks"):
        services.add_column(column)
    for s in status.services:
        colour = {"ready": "green", "degraded": "yellow"}.get(s.health, "red")
        failing = ", ".join(name for name, ok in s.checks.items() if not ok)
        backlog_text = "-" if s.relay_backlog is None else str(s.relay_backlog)
        services.add_row(s.service, f"[{colour}]{s.health}[/{colour}]", backlog_text, failing)
    console.print(services)
    projections = Table(title="Read models")
    projections.add_column("projection", no_wrap=True)
    for column in ("stream", "applied", "stream last", "behind", "dead letters"):
        projections.add_column(column)
    for p in status.projections:
        for index, lag in enumerate(p.sources):
            dead = str(p.dead_letters) if index == 0 else ""
            style = "red" if p.dead_letters and index == 0 else ""
            projections.add_row(
                p.name if index == 0 else "",
                lag.stream,
                str(lag.applied),
                str(lag.stream_last),
                str(lag.behind),
                f"[{style}]{dead}[/{style}]" if style else dead,
            )
    console.print(projections)
    subscribers = Table(title="Subscribers")
    for column in ("subscriber", "service", "waiting", "dead letters"):
        subscribers.add_column(column)
    for sub in status.subscribers:
        waiting = "-" if sub.pending is None else str(sub.pending)
        subscribers.add_row(sub.name, sub.service, waiting, str(sub.dead_letters))
    console.print(subscribers)
    streams = Table(title="Streams")
    for column in ("stream", "replicas", "leader", "replicas down or behind"):
        streams.add_column(column)
    for st in status.streams:
        down = ", ".join(st.lagging)
        streams.add_row(
            st.stream, str(st.replicas), st.leader or "-", f"[red]{down}[/red]" if down else ""
        )
    console.print(streams)


def status(
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
    as_json: JsonOption = False,
    access_url: Annotated[str | None, typer.Option(help="The access service's base URL.")] = None,
    volunteers_url: Annotated[str | None, typer.Option(help="The volunteers service's.")] = None,
    visits_url: Annotated[str | None, typer.Option(help="The visits service's.")] = None,
    desk_url: Annotated[str | None, typer.Option(help="The desk service's.")] = None,
    reporting_url: Annotated[str | None, typer.Option(help="The reporting service's.")] = None,
) -> None:
    """Show each service's health and relay backlog, each read model's lag and dead letters,
    and each subscriber's (as a table, or --json)."""
    given = {
        "access": access_url,
        "volunteers": volunteers_url,
        "visits": visits_url,
        "desk": desk_url,
        "reporting": reporting_url,
    }

    async def look() -> Status:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            urls = {s: given[s] or system.service_url(s) for s in SERVICES}
            return await gather_status(system, urls)

    try:
        found = run(look())
    except NotReachable as error:
        raise fail(str(error)) from None
    if as_json:
        print(json.dumps(asdict(found), indent=2))  # noqa: T201 - the output
    else:
        _table(found)


def register(app: typer.Typer) -> None:
    """Add ``status`` to the ``tvers`` command."""
    app.command("status")(status)
