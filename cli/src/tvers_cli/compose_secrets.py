"""``tvers compose-secrets DIR``: the secret files ``deploy/compose.yaml`` mounts.

Passwords and keys are made once and kept (running it again changes none of them); what is
derived from them (each service's database and NATS URL, the NATS server's ``authorization``
block from :func:`tvers_cli.nats_accounts.server_config`) is written again each time, so a user
added to the code reaches the compose files by running it again.

The folder is readable by its owner only. The files in it are readable by all, because compose
bind-mounts each one into a container whose user (the services' 10001, postgres' 999) is not the
owner; the folder is what guards them on the host.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import typer

from tvers_cli.layout import SERVICES
from tvers_cli.nats_accounts import server_config, users
from tvers_runtime.auth import new_signing_key
from tvers_volunteers.adapters.vault import ensure_master_key_file

#: Host names of the backing servers inside the compose network.
POSTGRES_HOST = "postgres"
NATS_HOST = "nats"
#: What the official postgres image's ``POSTGRES_PASSWORD_FILE`` reads.
POSTGRES_PASSWORD = "postgres-password.txt"  # noqa: S105 - a file name
NATS_AUTHORIZATION = "nats-authorization.conf"
AUTH_SIGNING_KEY = "auth-signing-key.txt"
PATRON_KEY = "patron-key.txt"
SIP2_PASSWORD = "sip2-password.txt"  # noqa: S105 - a file name
VAULT_MASTER_KEY = "vault-master-key.txt"


def database_password(service: str) -> str:
    """The file of a service's database role's password (read by the postgres init script)."""
    return f"db-{service}-password.txt"


def nats_password(user: str) -> str:
    """The file of a NATS user's password."""
    return f"nats-{user}-password.txt"


def database_url(service: str) -> str:
    """The file of a service's ``TVERS_DATABASE_URL``."""
    return f"{service}-database-url.txt"


def nats_url(service: str) -> str:
    """The file of a service's ``TVERS_NATS_URL``."""
    return f"{service}-nats-url.txt"


def _write(path: Path, text: str) -> None:
    path.touch(mode=0o644)
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o644)


def _kept(folder: Path, name: str) -> str:
    """A random secret, made on first use and kept."""
    path = folder / name
    if not path.exists():
        _write(path, new_signing_key())
    return path.read_text(encoding="utf-8").strip()


def write_compose_secrets(folder: Path) -> list[str]:
    """Make (or complete) the secrets folder; the names of the files in it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    for name in (POSTGRES_PASSWORD, AUTH_SIGNING_KEY, PATRON_KEY, SIP2_PASSWORD):
        _kept(folder, name)
    ensure_master_key_file(folder / VAULT_MASTER_KEY).chmod(0o644)
    passwords = {user: _kept(folder, nats_password(user)) for user in users()}
    for service in SERVICES:
        role = f"tvers_{service}"
        password = _kept(folder, database_password(service))
        _write(
            folder / database_url(service),
            f"postgresql://{role}:{quote(password, safe='')}@{POSTGRES_HOST}:5432/{role}",
        )
        _write(
            folder / nats_url(service),
            f"nats://{service}:{quote(passwords[service], safe='')}@{NATS_HOST}:4222",
        )
    _write(folder / NATS_AUTHORIZATION, server_config(passwords))
    return sorted(os.listdir(folder))


def command(
    folder: Annotated[
        Path, typer.Argument(help="Where compose finds its secrets (deploy/secrets).")
    ] = Path("deploy/secrets"),
) -> None:
    """Make the secret files deploy/compose.yaml mounts (kept; derived files rewritten)."""
    try:
        names = write_compose_secrets(folder)
    except OSError as error:
        typer.echo(f"tvers: cannot write the secrets into {folder}: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"tvers: {len(names)} secret files in {folder.resolve()}")
