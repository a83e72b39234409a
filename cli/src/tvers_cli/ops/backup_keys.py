"""The data folder's keys and backups (decision 0050).

A restored system needs the keys its data was written with: the token signing key (tokens already
out), the patron key (access finds agreements by a keyed hash of the card number) and the
volunteers' vault master key (every volunteer's personal data). They are not put beside the dumps:
a backup then holds no key to its own personal data, and rotating the vault key after erasures
makes old backups unreadable for the erased (0020). ``--keys-to`` copies them into a folder kept
apart; the manifest names each key by a fingerprint, so a restore can tell the right keys."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from tvers_cli.ops.postgres_tools import OperationRefused

#: The keys a restored system needs to read its own data.
KEY_FILES = ("auth-signing.key", "patron.key", "vault-master.key")


def fingerprint(path: Path) -> str:
    """A key's public name: 16 hex digits of a hash over a label and the key."""
    return hashlib.sha256(b"tvers backup key\x00" + path.read_bytes()).hexdigest()[:16]


def fingerprints(folder: Path) -> dict[str, str]:
    """The fingerprint of each key ``folder`` holds."""
    return {name: fingerprint(folder / name) for name in KEY_FILES if (folder / name).is_file()}


def private_file(path: Path) -> None:
    """Make an empty file only its owner may read."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def copy_keys(source: Path, target: Path, names: list[str]) -> None:
    """Copy the keys ``names`` from ``source`` into ``target`` (private); a key file already
    there must be the same key, as keys of two generations go to two folders."""
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)
    for name in names:
        if (target / name).exists():
            if fingerprint(target / name) != fingerprint(source / name):
                raise OperationRefused(
                    f"{target / name} holds another key: keep keys of each generation in a "
                    "folder of their own"
                )
            continue
        private_file(target / name)
        shutil.copyfile(source / name, target / name)


def keys_for_restore(
    expected: dict[str, str], secrets: Path, keys_from: Path | None, *, without_keys: bool
) -> dict[str, Path]:
    """Where each key the backup's data needs comes from (``keys_from``, or already in the data
    folder's ``secrets``), each checked against the backup's fingerprint. Refuses when one is
    missing, unless ``without_keys`` (the keys come from a secret store of their own)."""
    found: dict[str, Path] = {}
    for name, wanted in expected.items():
        for source in [*([keys_from / name] if keys_from else []), secrets / name]:
            if source.is_file():
                if fingerprint(source) != wanted:
                    raise OperationRefused(f"{source} is not the key this backup was made with")
                found[name] = source
                break
    missing = sorted(set(expected) - set(found))
    if missing and not without_keys:
        raise OperationRefused(
            f"the keys {', '.join(missing)} are missing: give --keys-from with the folder "
            "tvers backup --keys-to wrote, or --without-keys if they come from your secret store"
        )
    return found
