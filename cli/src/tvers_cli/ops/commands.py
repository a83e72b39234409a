"""The ``tvers backup`` and ``tvers restore`` commands (decision 0050)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import asyncpg
import typer
from rich.console import Console

from tvers_cli.layout import DataDir
from tvers_cli.ops.backup import backup
from tvers_cli.ops.backup_keys import keys_for_restore
from tvers_cli.ops.postgres_tools import OperationRefused, admin_url
from tvers_cli.ops.restore import fresh_server, read_manifest, restore
from tvers_cli.system import AlreadyRunning
from tvers_runtime.embedded.process import ServerFailedToStart

console = Console()
Folder = Annotated[Path, typer.Argument(help="The backup's folder.")]
DataDirOption = Annotated[
    Path, typer.Option("--data-dir", envvar="TVERS_DATA_DIR", help="Databases, logs, secrets.")
]
PostgresUrl = Annotated[
    str | None,
    typer.Option(help="Use this PostgreSQL (an admin URL) instead of the embedded one."),
]


def backup_command(
    folder: Folder,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    tenant: Annotated[
        str, typer.Option(envvar="TVERS_TENANT", help="The municipality, for the manifest.")
    ] = "1508",
    keys_to: Annotated[
        Path | None,
        typer.Option(help="Copy the data folder's keys here too: a folder kept apart."),
    ] = None,
) -> None:
    """Dump every service database (pg_dump) into FOLDER; the keys apart with --keys-to."""
    data = DataDir(data_dir)
    try:
        with admin_url(data, postgres_url) as url:
            manifest = backup(
                folder.resolve(),
                url,
                data,
                tenant=tenant,
                keys_to=keys_to.resolve() if keys_to else None,
                embedded=postgres_url is None,
            )
    except (OperationRefused, ServerFailedToStart) as error:
        console.print(f"[red]tvers backup:[/red] {error}")
        raise typer.Exit(1) from None
    except (OSError, asyncpg.PostgresError) as error:
        console.print(f"[red]tvers backup:[/red] {_unreachable(error, postgres_url)}")
        raise typer.Exit(1) from None
    names = ", ".join(d.database for d in manifest.databases)
    console.print(f"tvers: backed up {names} into {folder.resolve()}")
    console.print(
        "  The files hold personal data and are readable by their owner only (mode 0600): "
        "keep them so, and encrypted wherever they are stored."
    )
    if keys_to is not None:
        console.print(f"  The keys are in {keys_to.resolve()}: keep them apart from the backup.")
    else:
        console.print(
            "  The keys are not in it (see --keys-to): without the token, patron and vault keys "
            "a restore loses tokens, agreements and volunteers' personal data."
        )


def restore_command(
    folder: Folder,
    data_dir: DataDirOption = Path("data"),
    postgres_url: PostgresUrl = None,
    keys_from: Annotated[
        Path | None, typer.Option(help="The keys, as tvers backup --keys-to wrote them.")
    ] = None,
    without_keys: Annotated[
        bool, typer.Option(help="Restore without the keys (they come from a secret store).")
    ] = False,
) -> None:
    """Restore a backup into a fresh data folder (or a server without tvers' databases)."""
    data = DataDir(data_dir)
    try:
        manifest = read_manifest(folder.resolve())
        keys = keys_for_restore(manifest.keys, data.secrets, keys_from, without_keys=without_keys)
        with fresh_server(data, postgres_url) as server:
            restore(folder.resolve(), manifest, data, keys, server, postgres_url)
    except BaseException as error:
        if isinstance(error, OperationRefused | AlreadyRunning | ServerFailedToStart):
            console.print(f"[red]tvers restore:[/red] {error}")
        elif isinstance(error, OSError | asyncpg.PostgresError):
            console.print(f"[red]tvers restore:[/red] {_unreachable(error, postgres_url)}")
        else:
            raise
        raise typer.Exit(1) from None
    console.print(
        f"tvers: restored {', '.join(d.database for d in manifest.databases)} "
        f"(backup of {manifest.made_at:%Y-%m-%d %H:%M} UTC) into {data.root}"
    )
    if set(keys) != set(manifest.keys):
        console.print(
            f"  [yellow]Without keys:[/yellow] give the services the token, patron and vault "
            f"keys of the backup (fingerprints {manifest.keys}) before the first start."
        )
    console.print(
        "  Start it on an empty JetStream (tvers up does with a fresh data folder): the relays "
        "publish every stream again from the event stores, and the read models follow."
    )


def _unreachable(error: Exception, postgres_url: str | None) -> str:
    where = "check --postgres-url" if postgres_url else "is the data folder's PostgreSQL running?"
    return f"cannot reach PostgreSQL ({error}); {where}"


def register(app: typer.Typer) -> None:
    """Add the commands to ``tvers``."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
