"""``tvers dead-letters list|show|retry|skip``: the messages read models and subscribers could not
take, through the runtime's own retry and skip.

Ids: ``<service>.<projection>:<stream>:<sequence>`` for a read model's dead letter
(``reporting.branches:ACCESS:12``), ``<durable>:<sequence>`` for a subscriber's
(``access-check-ins:40``). ``show`` prints the stored reason and the event's metadata (its
envelope without the payload, and the message headers), never the payload; and it masks long
runs of digits in the reason (a decoding error quotes what it could not read, and a card number
must not reach a terminal or a ticket).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import typer
from rich.table import Table

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
from tvers_runtime.projection import (
    UnknownDeadLetter,
    dead_letters,
    live_schema,
    retry_stream,
    skip_dead_letter,
)
from tvers_runtime.subscriber.dead_letters import (
    UnknownSubscriberDeadLetter,
    retry_subscriber_dead_letter,
    skip_subscriber_dead_letter,
    subscriber_dead_letters,
)

app = typer.Typer(
    help="The messages read models and subscribers could not take: list, show, retry, skip.",
    no_args_is_help=True,
)
IdArgument = Annotated[
    str,
    typer.Argument(
        help="reporting.<projection>:<stream>:<sequence> or <subscriber>:<sequence> (see list)."
    ),
]
_LONG_DIGITS = re.compile(r"\d{9,}")
#: The envelope's fields ``show`` prints: everything but the payload.
ENVELOPE_METADATA = (
    "event_id",
    "event_type",
    "schema_version",
    "tenant",
    "stream_id",
    "stream_version",
    "occurred_at",
    "recorded_at",
    "correlation_id",
    "causation_id",
)


def masked(text: str) -> str:
    """``text`` with every run of nine digits or more masked (card and personal numbers)."""
    return _LONG_DIGITS.sub("[masked]", text)


@dataclass(frozen=True)
class Listed:
    """One dead letter as ``list`` shows it."""

    id: str
    kind: str  # "projection" or "subscriber"
    owner: str  # <service>.<projection> or the subscriber's durable name
    sequence: int
    stream_id: str | None
    event_type: str | None
    reason: str
    failed_at: datetime


@dataclass(frozen=True)
class _Id:
    owner: str
    stream: str | None  # a read model's source stream; None for a subscriber
    sequence: int


def _parse(identifier: str) -> _Id:
    parts = identifier.split(":")
    try:
        if len(parts) == 3:
            return _Id(parts[0], parts[1], int(parts[2]))
        if len(parts) == 2:
            return _Id(parts[0], None, int(parts[1]))
    except ValueError:
        pass
    raise fail(
        f"{identifier!r} is not a dead letter's id: <service>.<projection>:<stream>:<sequence> "
        "or <subscriber>:<sequence>",
        2,
    )


def _subscriber(name: str) -> tuple[str, Any]:
    known = catalog.subscribers()
    if name not in known:
        raise fail(f"no subscriber called {name!r}; the known ones are: {', '.join(known)}", 2)
    return known[name]


def _projection(name: str) -> catalog.NamedProjection:
    try:
        return catalog.projection(name)
    except catalog.UnknownName as error:
        raise fail(str(error), 2) from None


async def listed(system: System, owner: str | None = None) -> list[Listed]:
    """Every dead letter (of one read model or subscriber, if named), with its id."""
    found: list[Listed] = []
    for name, named in catalog.projections().items():
        if owner not in (None, name):
            continue
        pool = await system.pool(named.service)
        try:
            letters = await dead_letters(pool, named.projection)
        except asyncpg.UndefinedTableError:  # no read model yet: the service never started
            continue
        found += [
            Listed(
                f"{name}:{d.source}:{d.sequence}",
                "projection",
                name,
                d.sequence,
                d.stream_id,
                d.event_type,
                masked(d.reason),
                d.failed_at,
            )
            for d in letters
        ]
    for durable, (service, _) in catalog.subscribers().items():
        if owner not in (None, durable):
            continue
        try:
            kept = await subscriber_dead_letters(await system.pool(service), durable)
        except asyncpg.UndefinedTableError:  # no subscriber tables yet
            continue
        found += [
            Listed(
                f"{durable}:{d.sequence}",
                "subscriber",
                durable,
                d.sequence,
                None,
                d.subject,
                masked(d.reason),
                d.failed_at,
            )
            for d in kept
        ]
    return found


def _run(work: Any) -> Any:
    try:
        return run(work)
    except NotReachable as error:
        raise fail(str(error)) from None
    except (UnknownDeadLetter, UnknownSubscriberDeadLetter) as error:
        raise fail(f"no such dead letter: {error}", 2) from None


@app.command("list")
def list_command(
    owner: Annotated[
        str | None,
        typer.Option("--of", help="Only those of this read model or subscriber."),
    ] = None,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
    as_json: JsonOption = False,
) -> None:
    """List the dead letters, with their ids."""
    known = [*catalog.projections(), *catalog.subscribers()]
    if owner is not None and owner not in known:
        raise fail(
            f"no read model or subscriber called {owner!r}; the known ones are: {', '.join(known)}",
            2,
        )

    async def go() -> list[Listed]:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            return await listed(system, owner)

    found: list[Listed] = _run(go())
    if as_json:
        print(json.dumps([asdict(f) for f in found], default=str, indent=2))  # noqa: T201
        return
    if not found:
        console.print("tvers: no dead letters.")
        return
    table = Table(title="Dead letters")
    for column in ("id", "stream id", "event", "reason", "failed at"):
        table.add_column(column, overflow="fold")
    for f in found:
        table.add_row(
            f.id, f.stream_id or "", f.event_type or "", f.reason, f"{f.failed_at:%Y-%m-%d %H:%M}"
        )
    console.print(table)


async def shown(system: System, identifier: str) -> dict[str, Any]:
    """What ``show`` prints: the stored reason and the metadata, never the payload."""
    parsed = _parse(identifier)
    if parsed.stream is not None:
        named = _projection(parsed.owner)
        row = await (await system.pool(named.service)).fetchrow(
            f"""
            SELECT subject, stream_id, event_type, headers::text, data, reason, parked_behind,
                   failed_at
            FROM "{live_schema(named.projection)}"._dead_letters
            WHERE source = $1 AND sequence = $2
            """,  # noqa: S608 - our own identifier
            parsed.stream,
            parsed.sequence,
        )
        if row is None:
            raise UnknownDeadLetter(identifier)
        data: bytes | str = row["data"]
        extra = {
            "stream_id": row["stream_id"],
            "parked_behind": row["parked_behind"],
            "headers": json.loads(row["headers"]),
        }
    else:
        service, _ = _subscriber(parsed.owner)
        row = await (await system.pool(service)).fetchrow(
            """
            SELECT subject, attempts, data, reason, failed_at FROM subscriber_dead_letters
            WHERE subscriber = $1 AND stream_sequence = $2
            """,
            parsed.owner,
            parsed.sequence,
        )
        if row is None:
            raise UnknownSubscriberDeadLetter(identifier)
        data = row["data"]
        extra = {"attempts": row["attempts"]}
    return {
        "id": identifier,
        "sequence": parsed.sequence,
        "subject": row["subject"],
        "reason": masked(row["reason"]),
        "failed_at": row["failed_at"],
        **extra,
        "envelope": _metadata(data),
    }


def _metadata(data: bytes | str) -> dict[str, Any] | str:
    """The envelope's fields but the payload, or why there are none."""
    try:
        document = json.loads(data)
    except ValueError:
        return "not JSON (the reason says what it was)"
    if not isinstance(document, dict):
        return "not an envelope"
    return {key: document[key] for key in ENVELOPE_METADATA if key in document}


@app.command("show")
def show_command(
    identifier: IdArgument,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
) -> None:
    """Print a dead letter's stored error and its event's metadata (never its payload)."""

    async def go() -> dict[str, Any]:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            return await shown(system, identifier)

    print(json.dumps(_run(go()), default=str, indent=2, ensure_ascii=False))  # noqa: T201


@app.command("retry")
def retry_command(
    identifier: IdArgument,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
) -> None:
    """Try a dead letter again (after a fix): for a read model, its stream's dead-lettered and
    parked messages in order; what still fails stays."""
    parsed = _parse(identifier)

    async def go() -> str:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            if parsed.stream is None:
                service, subscriber = _subscriber(parsed.owner)
                taken = await retry_subscriber_dead_letter(
                    await system.pool(service), subscriber, parsed.sequence
                )
                return f"{identifier}: {taken.value}"
            named = _projection(parsed.owner)
            pool = await system.pool(named.service)
            stream_id = await pool.fetchval(
                f"""SELECT stream_id FROM "{live_schema(named.projection)}"._dead_letters
                WHERE source = $1 AND sequence = $2""",  # noqa: S608 - our own identifier
                parsed.stream,
                parsed.sequence,
            )
            if stream_id is None and not await _exists(system, named, parsed):
                raise UnknownDeadLetter(identifier)
            report = await retry_stream(
                pool,
                named.projection,
                parsed.stream,
                stream_id,
                only_sequence=parsed.sequence if stream_id is None else None,
            )
            return (
                f"{identifier}: {report.applied} applied, {report.dead_lettered} dead-lettered "
                f"again, {report.parked} parked"
            )

    try:
        console.print(f"tvers: {_run(go())}")
    except typer.Exit:
        raise
    except Exception as error:
        raise fail(f"{identifier} failed again and stays: {masked(str(error))}") from None


async def _exists(system: System, named: catalog.NamedProjection, parsed: _Id) -> bool:
    pool = await system.pool(named.service)
    found = await pool.fetchval(
        f"""SELECT true FROM "{live_schema(named.projection)}"._dead_letters
        WHERE source = $1 AND sequence = $2""",  # noqa: S608 - our own identifier
        parsed.stream,
        parsed.sequence,
    )
    return bool(found)


@app.command("skip")
def skip_command(
    identifier: IdArgument,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    nats_url: NatsUrl = None,
) -> None:
    """Pass a dead letter over for good (a rebuild honours it too) and retry what was parked
    behind it."""
    parsed = _parse(identifier)

    async def go() -> str:
        async with connect(Where(data_dir, postgres_url, nats_url)) as system:
            if parsed.stream is None:
                service, _ = _subscriber(parsed.owner)
                await skip_subscriber_dead_letter(
                    await system.pool(service), parsed.owner, parsed.sequence
                )
                return f"{identifier} skipped"
            named = _projection(parsed.owner)
            report = await skip_dead_letter(
                await system.pool(named.service), named.projection, parsed.stream, parsed.sequence
            )
            return f"{identifier} skipped; behind it {report.applied} applied"

    console.print(f"tvers: {_run(go())}")
