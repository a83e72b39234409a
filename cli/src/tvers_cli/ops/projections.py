"""``tvers rebuild <service>.<projection>`` (blue/green, with a progress bar) and ``tvers replay
<service>.<projection> --from <sequence>``, through the runtime's own rebuild and replay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tvers_cli.ops import catalog
from tvers_cli.ops.target import (
    DataDirOption,
    NatsUrl,
    NotReachable,
    PostgresUrl,
    Where,
    connect,
    console,
    fail,
)
from tvers_runtime.aio import run
from tvers_runtime.projection import RebuildHalted, RebuildInProgress, RebuildReport, rebuild
from tvers_runtime.projection.replay import ReplayReport, replay

ProjectionName = Annotated[
    str, typer.Argument(help="The read model, as <service>.<projection> (reporting.branches).")
]


def _named(name: str) -> catalog.NamedProjection:
    try:
        return catalog.projection(name)
    except catalog.UnknownName as error:
        raise fail(str(error), 2) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def rebuild_command(
    projection: ProjectionName,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
) -> None:
    """Rebuild a read model from its streams into fresh tables and swap them in (blue/green:
    the old tables serve until then)."""
    named = _named(projection)

    async def go() -> RebuildReport:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            total = 0
            for source in named.projection.sources:
                info = await system.nats.jsm().stream_info(source.stream)
                total += info.state.last_seq
            with _progress() as bar:
                task = bar.add_task(f"rebuilding {named.name}", total=total or None)
                report = await rebuild(
                    await system.pool(named.service),
                    system.nats,
                    named.projection,
                    progress=lambda read: bar.advance(task, read),
                )
                bar.update(task, total=max(report.events, 1), completed=max(report.events, 1))
            return report

    try:
        report = run(go())
    except (NotReachable, RebuildInProgress) as error:
        raise fail(str(error)) from None
    except RebuildHalted as error:
        raise fail(f"the rebuild stopped and swapped nothing: {error}") from None
    console.print(
        f"tvers: {named.name} rebuilt from {report.events} messages in {report.seconds:.1f} s "
        "and swapped in."
    )


def replay_command(
    projection: ProjectionName,
    from_sequence: Annotated[
        int, typer.Option("--from", min=1, help="The stream sequence to replay from.")
    ],
    stream: Annotated[
        str | None, typer.Option(help="The stream, for a read model that reads several.")
    ] = None,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
) -> None:
    """Apply a read model's messages again from a stream sequence up to its checkpoint; what it
    applied before is recognised by its stream version and passed over, so nothing doubles."""
    named = _named(projection)
    sources = {source.stream: source for source in named.projection.sources}
    if stream is None and len(sources) == 1:
        stream = next(iter(sources))
    if stream not in sources:
        raise fail(f"{named.name} reads {', '.join(sources)}: name one with --stream", 2)
    source = sources[stream]

    async def go() -> ReplayReport:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            with _progress() as bar:
                task = bar.add_task(f"replaying {named.name} from #{from_sequence}", total=None)
                report = await replay(
                    await system.pool(named.service),
                    system.nats,
                    named.projection,
                    source,
                    from_sequence,
                    progress=lambda read: bar.advance(task, read),
                )
                bar.update(task, total=max(report.read, 1), completed=max(report.read, 1))
            return report

    try:
        report = run(go())
    except NotReachable as error:
        raise fail(str(error)) from None
    if from_sequence > report.until:
        raise fail(
            f"nothing replayed: {named.name} has applied {stream} up to #{report.until} only; "
            f"give --from {report.until} or less",
            2,
        )
    console.print(
        f"tvers: replayed {report.read} messages of {stream} (#{from_sequence} to "
        f"#{report.until}): {report.applied} applied, {report.passed_over} passed over "
        f"(applied before, skipped or not handled), {report.dead_lettered} dead-lettered, "
        f"{report.parked} parked."
    )


def register(app: typer.Typer) -> None:
    """Add ``rebuild`` and ``replay`` to the ``tvers`` command."""
    app.command("rebuild")(rebuild_command)
    app.command("replay")(replay_command)
