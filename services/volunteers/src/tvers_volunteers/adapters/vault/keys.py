"""The vault's master keys: they wrap the per-person data keys, and are never stored with them.

A master key is 32 random bytes (AES-256), written in base64 on a line of a secret file
(``TVERS_VAULT_MASTER_KEY_FILE``) or in ``TVERS_VAULT_MASTER_KEY``. The first key is the
**current** one, which wraps every new data key; keys on later lines are **retired**: still
trusted to unwrap the data keys they wrapped until the vault has re-wrapped those under the
current key (at start-up), after which they can be deleted (decision 0020). Lines starting with
``#`` are comments.

Each key is known by an id derived from it (a hash, which says nothing of the key), stored beside
every wrapped data key, so the vault knows which master key opens which row, and rotation needs
no names.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
_ID_LABEL = b"tvers-vault-master-key-id\x00"


class UnknownMasterKey(Exception):
    """A data key was wrapped by a master key this process was not given."""


@dataclass(frozen=True, repr=False)
class MasterKey:
    """One master key and its id."""

    key_id: str
    secret: bytes

    @classmethod
    def of(cls, secret: bytes) -> MasterKey:
        """The key with its derived id."""
        if len(secret) != KEY_BYTES:
            raise ValueError(f"a vault master key is {KEY_BYTES} bytes")
        return cls(hashlib.sha256(_ID_LABEL + secret).hexdigest()[:16], secret)

    def __repr__(self) -> str:
        return f"MasterKey({self.key_id})"


class MasterKeys:
    """The current master key and the retired ones still trusted for unwrapping."""

    def __init__(self, current: MasterKey, retired: Sequence[MasterKey] = ()) -> None:
        self.current = current
        self._by_id = {key.key_id: key for key in (*reversed(retired), current)}

    @classmethod
    def parse(cls, text: str) -> MasterKeys:
        """Keys as written in the secret file or the variable: base64, one a line (or separated
        by spaces or commas), the current first. The error never quotes a key."""
        words = [
            word
            for line in text.splitlines()
            for word in line.split("#", 1)[0].replace(",", " ").split()
        ]
        if not words:
            raise ValueError("no vault master key given")
        keys = [MasterKey.of(_decoded(number, word)) for number, word in enumerate(words, 1)]
        return cls(keys[0], keys[1:])

    @property
    def retired_ids(self) -> list[str]:
        """The ids of the retired keys."""
        return [key_id for key_id in self._by_id if key_id != self.current.key_id]

    def get(self, key_id: str) -> MasterKey:
        """The key of an id; :class:`UnknownMasterKey` if this process does not have it."""
        try:
            return self._by_id[key_id]
        except KeyError:
            raise UnknownMasterKey(
                f"a data key is wrapped by master key {key_id}, which is not configured"
            ) from None


def _decoded(number: int, word: str) -> bytes:
    standard = word.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        secret = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise ValueError(
            f"vault master key {number} is not {KEY_BYTES} bytes in base64 "
            "(make one with: python -c 'import base64, os; "
            "print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
        )
    return secret


def new_master_key() -> str:
    """A fresh master key, as written in the secret file."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def ensure_master_key_file(path: Path) -> Path:
    """Create the secret file with a fresh master key (readable by its owner only) unless it
    exists; ``tvers up`` calls this on every start, so the key is made once."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_master_key() + "\n", encoding="utf-8")
    return path
