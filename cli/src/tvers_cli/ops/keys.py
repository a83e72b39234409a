"""``tvers keys rotate`` and ``tvers keys retire-previous``: the token signing key and the root
patron key (decision 0051).

A rotation writes a new key and keeps the one before as the *previous* key.

- *Signing key:* services verify a token with the current key, then with the previous one, so
  tokens already out (door panels, desks, staff) stay valid until they expire or the previous
  key is retired, while every new token is signed with the new key. ``--retire-previous`` (for
  a key that has leaked) keeps no previous key: every token signed before is refused at once.
- *Patron key* (``--which patron``): access looks an agreement up under the current key's
  reference, then under the previous key's, and carries one it finds there over to the current
  reference. Retiring the previous key orphans every agreement not carried over by then (its
  patron signs again). The door references use their own key per branch and month.

Services read the keys when they start: restart them after either command.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tvers_cli.layout import DataDir
from tvers_cli.ops.target import DataDirOption, console, fail
from tvers_runtime.auth import new_signing_key, read_signing_key


class Which(StrEnum):
    """Which key a command is about."""

    SIGNING = "signing"
    PATRON = "patron"
    ALL = "all"


app = typer.Typer(
    help="The system's keys: rotate the token signing key and the patron key.",
    no_args_is_help=True,
)
KeyFile = Annotated[
    Path | None,
    typer.Option(help="The key file (by default the data folder's).", envvar=None),
]
PreviousFile = Annotated[
    Path | None,
    typer.Option(help="Where the previous key is kept (by default in the data folder)."),
]
WhichOption = Annotated[
    Which,
    typer.Option(
        "--which",
        help="signing: the token signing key; patron: the root patron key; all: both.",
    ),
]
RESTART = (
    "Restart the services to take it (tvers up: Ctrl-C and start it again; Kubernetes: "
    "kubectl rollout restart)."
)
ORPHANED = (
    "agreements not yet carried over to the current patron key (patrons who have not come "
    "to a door or desk since the rotation) are orphaned: those patrons must sign again."
)


def _files(
    data_dir: Path, which: Which, key_file: Path | None, previous_file: Path | None
) -> tuple[Path, Path]:
    data = DataDir(data_dir)
    if which is Which.PATRON:
        defaults = (data.secrets / "patron.key", data.patron_previous_key_file)  # made by up
    else:
        defaults = (data.auth_key_file, data.auth_previous_key_file)
    return key_file or defaults[0], previous_file or defaults[1]


def _kinds(which: Which, key_file: Path | None, previous_file: Path | None) -> list[Which]:
    if which is not Which.ALL:
        return [which]
    if key_file is not None or previous_file is not None:
        raise fail("--key-file and --previous-file name one key: give --which signing or patron")
    return [Which.SIGNING, Which.PATRON]


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
    which: WhichOption = Which.SIGNING,
    retire_previous: Annotated[
        bool,
        typer.Option(
            "--retire-previous",
            help="Keep no previous key: every token signed before is refused at once (a leak); "
            "for the patron key, every agreement made before is orphaned.",
        ),
    ] = False,
) -> None:
    """Write a new key; the old one stays as the previous key (unless --retire-previous):
    tokens it signed stay valid, agreements made under it are carried over on the next visit."""
    for kind in _kinds(which, key_file, previous_file):
        current, previous = _files(data_dir, kind, key_file, previous_file)
        if kind is Which.PATRON:
            _rotate_patron(current, previous, retire_previous=retire_previous)
        else:
            _rotate_signing(current, previous, retire_previous=retire_previous)


def _rotate_signing(current: Path, previous: Path, *, retire_previous: bool) -> None:
    if not current.exists():
        raise fail(f"no signing key at {current}: start the system once, or give --key-file")
    _replace(
        current,
        _old_key(current, "signing"),
        previous,
        retire_previous=retire_previous,
        retired=f"tvers: the key before the last rotation ({previous}) is retired now: tokens "
        "it signed are refused.",
    )
    console.print(f"tvers: a new token signing key is in {current}. {RESTART}")
    if retire_previous:
        console.print("tvers: no previous key is kept: every token signed before is refused.")
    else:
        console.print(
            "tvers: tokens signed before stay valid until they expire (at most 366 days; `tvers "
            "token --days`), or until `tvers keys retire-previous`. Issue new ones with "
            "`tvers token` meanwhile."
        )


def _rotate_patron(current: Path, previous: Path, *, retire_previous: bool) -> None:
    if not current.exists():
        raise fail(f"no patron key at {current}: start the system once, or give --key-file")
    _replace(
        current,
        _old_key(current, "patron"),
        previous,
        retire_previous=retire_previous,
        retired=f"tvers: the patron key before the last rotation ({previous}) is retired now: "
        + ORPHANED,
    )
    console.print(f"tvers: a new patron key is in {current}. {RESTART}")
    if retire_previous:
        console.print("tvers: no previous patron key is kept: " + ORPHANED)
    else:
        console.print(
            "tvers: access carries each agreement over to the new key when its patron next "
            "comes to a door (or staff change the agreement). Once `tvers keys retire-previous "
            "--which patron` has run, " + ORPHANED
        )


def _old_key(current: Path, name: str) -> str:
    """The key in ``current``, refused (nothing changed) unless it is one: a folder, an
    unreadable or binary file, a short one or a configuration file given by mistake."""
    try:
        old = read_signing_key(current).decode()
    except (OSError, ValueError) as error:  # a folder, unreadable, not text, too short
        raise fail(f"{current} is no {name} key ({error}); nothing was changed") from None
    if len(old.split()) != 1:
        raise fail(f"{current} is no {name} key (a key is one word); nothing was changed")
    return old


def _replace(
    current: Path, old: str, previous: Path, *, retire_previous: bool, retired: str
) -> None:
    if retire_previous:
        previous.unlink(missing_ok=True)
    else:
        if previous.exists():
            console.print(retired)
        _write_secret(previous, old)
    _write_secret(current, new_signing_key())


@app.command("retire-previous")
def retire_previous_command(
    data_dir: DataDirOption = Path("data"),
    previous_file: PreviousFile = None,
    which: WhichOption = Which.SIGNING,
) -> None:
    """Drop the key before the last rotation: tokens it signed are refused (signing), or
    agreements not carried over yet are orphaned (patron)."""
    for kind in _kinds(which, None, previous_file):
        _, previous = _files(data_dir, kind, None, previous_file)
        name = "patron" if kind is Which.PATRON else "signing"
        if not previous.exists():
            console.print(f"tvers: no previous {name} key is kept; nothing to retire.")
            continue
        previous.unlink()
        console.print(f"tvers: the previous {name} key is retired. {RESTART}")
        if kind is Which.PATRON:
            console.print("tvers: " + ORPHANED)
