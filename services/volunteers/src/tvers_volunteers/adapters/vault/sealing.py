"""Envelope encryption of one person's data, with ``cryptography``'s AES-GCM (AES-256).

- A fresh random **data key** per person encrypts their personal data (JSON). The associated
  data binds the ciphertext to the volunteer id, so a ciphertext moved to another row does not
  open.
- The **current master key** wraps the data key, again with AES-GCM and a nonce of its own; the
  associated data binds the wrapped key to the volunteer and to the master key's id.
- Each nonce is 12 random bytes, stored before its ciphertext. A key encrypts once (a data key
  its person's data; a master key each data key once), far below AES-GCM's limits.

Destroying the wrapped data key makes the data unreadable for good, whoever holds the master key.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tvers_volunteers.adapters.vault.keys import MasterKeys
from tvers_volunteers.domain.person import PersonalData

NONCE_BYTES = 12
#: The plaintext is padded with spaces (which JSON ignores) to a multiple of this, so that the
#: length of a ciphertext does not tell the length of a name.
PADDED_TO = 128
_FORMAT = 1


class CannotOpen(Exception):
    """Sealed data that does not open: another key under the same id, a ciphertext moved to
    another volunteer, or changed bytes. Never a message that quotes the data."""


@dataclass(frozen=True, repr=False)
class Sealed:
    """A person's data as the vault keeps it."""

    master_key_id: str
    #: nonce + the data key encrypted under the master key.
    wrapped_key: bytes
    #: nonce + the personal data encrypted under the data key.
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"Sealed(master_key_id={self.master_key_id})"


def seal(person: PersonalData, *, volunteer_id: UUID, keys: MasterKeys) -> Sealed:
    """Encrypt a person's data under a new data key, wrapped by the current master key."""
    data_key = AESGCM.generate_key(bit_length=256)
    ciphertext = _encrypt(data_key, _plaintext(person), _data_label(volunteer_id))
    master_key_id, wrapped_key = wrap(data_key, volunteer_id=volunteer_id, keys=keys)
    return Sealed(master_key_id, wrapped_key, ciphertext)


def unseal(sealed: Sealed, *, volunteer_id: UUID, keys: MasterKeys) -> PersonalData:
    """The person's data; :class:`~.keys.UnknownMasterKey` or :class:`CannotOpen` otherwise."""
    data_key = unwrap(
        sealed.wrapped_key, master_key_id=sealed.master_key_id, volunteer_id=volunteer_id, keys=keys
    )
    return _person(_decrypt(data_key, sealed.ciphertext, _data_label(volunteer_id)))


def wrap(data_key: bytes, *, volunteer_id: UUID, keys: MasterKeys) -> tuple[str, bytes]:
    """The data key wrapped by the current master key, and that key's id."""
    master = keys.current
    return master.key_id, _encrypt(master.secret, data_key, _key_label(volunteer_id, master.key_id))


def unwrap(
    wrapped_key: bytes, *, master_key_id: str, volunteer_id: UUID, keys: MasterKeys
) -> bytes:
    """The data key a master key wrapped."""
    master = keys.get(master_key_id)
    return _decrypt(master.secret, wrapped_key, _key_label(volunteer_id, master_key_id))


def rewrap(
    wrapped_key: bytes, *, master_key_id: str, volunteer_id: UUID, keys: MasterKeys
) -> tuple[str, bytes]:
    """A data key wrapped by a retired master key, wrapped again by the current one."""
    data_key = unwrap(
        wrapped_key, master_key_id=master_key_id, volunteer_id=volunteer_id, keys=keys
    )
    return wrap(data_key, volunteer_id=volunteer_id, keys=keys)


def _data_label(volunteer_id: UUID) -> bytes:
    return f"tvers-vault/v{_FORMAT}/personal-data/{volunteer_id}".encode()


def _key_label(volunteer_id: UUID, master_key_id: str) -> bytes:
    return f"tvers-vault/v{_FORMAT}/data-key/{volunteer_id}/{master_key_id}".encode()


def _encrypt(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _decrypt(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated)
    except InvalidTag:
        raise CannotOpen("sealed data did not open with its key") from None


def _plaintext(person: PersonalData) -> bytes:
    text = json.dumps(
        {
            "format": _FORMAT,
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "birth_year": person.birth_year,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return text + b" " * (-len(text) % PADDED_TO)


def _person(plaintext: bytes) -> PersonalData:
    fields = json.loads(plaintext)
    return PersonalData(
        name=fields["name"],
        email=fields["email"],
        phone=fields["phone"],
        birth_year=fields["birth_year"],
    )
