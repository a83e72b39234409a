"""``tvers keys rotate`` and ``tvers keys retire-previous``: the token signing key (decision 0051).

A rotation writes a new signing key and keeps the one before as the *previous* key: services
verify a token with the current key, then with the previous one, so tokens already out (door
panels, desks, staff) stay valid until they expire or the previous key is retired, while every
new token is signed with the new key. ``--retire-previous`` (for a key that has leaked) keeps no
previous key: every token signed before is refused at once. Services read the keys when they
start: restart them after either command.

The patron keys are not rotated here: the door references already use a key per branch and
month, which access destroys when the branch's retention ends; the root patron key names each
patron's agreement stream, and a new one would orphan every agreement (see the decision).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from tvers_cli.layout import DataDir
from tvers_cli.ops.target import DataDirOption, console, fail
from tvers_runtime.auth import new_signing_key, read_signing_key

app = typer.Typer(help="The system's keys: rotate the token signing key.", no_args_is_help=True)
KeyFile = Annotated[
    Path | None,
    typer.Option(help="The signing key file (by default the data folder's).", envvar=None),
]
PreviousFile = Annotated[
    Path | None,
    typer.Option(help="Where the previous key is kept (by default in the data folder)."),
]
RESTART = (
    "Restart the services to take it (tvers up: Ctrl-C and start it again; Kubernetes: "
    "kubectl rollout restart)."
)


def _files(data_dir: Path, key_file: Path | None, previous_file: Path | None) -> tuple[Path, Path]:
    data = DataDir(data_dir)
    return key_file or data.auth_key_file, previous_file or data.auth_previous_key_file


def _write_secret(path: Path, text: str) -> None:
    """Write a key readable by its owner only, replacing the file in one step."""
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    fresh.replace(path)


@app.command("rotate")
def rotate(
    data_dir: DataDirOption = Path("data"),
    key_file: KeyFile = None,
    previous_file: PreviousFile = None,
    retire_previous: Annotated[
        bool,
        typer.Option(
            "--retire-previous",
            help="Keep no previous key: every token signed before is refused at once (a leak).",
        ),
    ] = False,
) -> None:
    """Write a new token signing key; the old one stays valid for the tokens it signed, until
    they expire or it is retired (unless --retire-previous)."""
    current, previous = _files(data_dir, key_file, previous_file)
    if not current.exists():
        raise fail(f"no signing key at {current}: start the system once, or give --key-file")
    try:
        old = read_signing_key(current).decode()
    except (OSError, ValueError) as error:  # a folder, unreadable, not text, too short
        raise fail(f"{current} is no signing key ({error}); nothing was changed") from None
    if len(old.split()) != 1:
        raise fail(f"{current} is no signing key (a key is one word); nothing was changed")
    if retire_previous:
        previous.unlink(missing_ok=True)
    else:
        if previous.exists():
            console.print(
                f"tvers: the key before the last rotation ({previous}) is retired now: tokens it "
                "signed are refused."
            )
        _write_secret(previous, old)
    _write_secret(current, new_signing_key())
    console.print(f"tvers: a new token signing key is in {current}. {RESTART}")
    if retire_previous:
        console.print("tvers: no previous key is kept: every token signed before is refused.")
    else:
        console.print(
            "tvers: tokens signed before stay valid until they expire (at most 366 days; `tvers "
            "token --days`), or until `tvers keys retire-previous`. Issue new ones with "
            "`tvers token` meanwhile."
        )


@app.command("retire-previous")
def retire_previous_command(
    data_dir: DataDirOption = Path("data"),
    previous_file: PreviousFile = None,
) -> None:
    """Stop accepting tokens signed with the key before the last rotation."""
    _, previous = _files(data_dir, None, previous_file)
    if not previous.exists():
        console.print("tvers: no previous signing key is kept; nothing to retire.")
        return
    previous.unlink()
    console.print(f"tvers: the previous signing key is retired. {RESTART}")
