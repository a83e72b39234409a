"""A person's data sealed by the vault opens only with its own data key, wrapped by a master key
the process has, for the volunteer it was sealed for; and nothing of it shows in the bytes kept
or in any repr."""

import base64
from dataclasses import replace
from uuid import uuid4

import pytest

from tvers_volunteers.adapters.vault import (
    CannotOpen,
    MasterKey,
    MasterKeys,
    Sealed,
    UnknownMasterKey,
    new_master_key,
)
from tvers_volunteers.adapters.vault.sealing import PADDED_TO, rewrap, seal, unseal
from tvers_volunteers.domain.person import PersonalData

PERSON = PersonalData(
    name="Åse Øvrebø-Ærøy", email="aase.ovrebo@example.no", phone="+47 912 34 567", birth_year=1961
)


def keys_of(*written: str) -> MasterKeys:
    return MasterKeys.parse("\n".join(written))


KEYS = keys_of(new_master_key())


def test_sealed_data_opens_for_its_volunteer_with_the_same_keys() -> None:
    volunteer_id = uuid4()
    sealed = seal(PERSON, volunteer_id=volunteer_id, keys=KEYS)
    assert unseal(sealed, volunteer_id=volunteer_id, keys=KEYS) == PERSON
    assert sealed.master_key_id == KEYS.current.key_id


def test_the_sealed_bytes_hold_nothing_of_the_person() -> None:
    sealed = seal(PERSON, volunteer_id=uuid4(), keys=KEYS)
    kept = sealed.wrapped_key + sealed.ciphertext
    for text in (PERSON.name, "Åse", "aase.ovrebo", "example.no", "912 34 567", "1961", "name"):
        assert text.encode() not in kept


def test_each_sealing_takes_a_new_data_key_and_new_nonces() -> None:
    volunteer_id = uuid4()
    first, second = (seal(PERSON, volunteer_id=volunteer_id, keys=KEYS) for _ in range(2))
    assert first.wrapped_key != second.wrapped_key
    assert first.ciphertext != second.ciphertext


def test_the_ciphertext_length_does_not_tell_the_length_of_a_name() -> None:
    short = seal(replace(PERSON, name="Bo"), volunteer_id=uuid4(), keys=KEYS)
    longer = seal(replace(PERSON, name="Bo Bergersen"), volunteer_id=uuid4(), keys=KEYS)
    assert len(short.ciphertext) == len(longer.ciphertext)
    assert (len(short.ciphertext) - 12 - 16) % PADDED_TO == 0


def test_a_ciphertext_moved_to_another_volunteer_does_not_open() -> None:
    ola, kari = uuid4(), uuid4()
    olas, karis = (
        seal(PERSON, volunteer_id=ola, keys=KEYS),
        seal(PERSON, volunteer_id=kari, keys=KEYS),
    )
    with pytest.raises(CannotOpen):
        unseal(olas, volunteer_id=kari, keys=KEYS)
    with pytest.raises(CannotOpen):  # kari's own key, ola's data
        unseal(replace(karis, ciphertext=olas.ciphertext), volunteer_id=kari, keys=KEYS)


def test_a_changed_byte_does_not_open() -> None:
    volunteer_id = uuid4()
    sealed = seal(PERSON, volunteer_id=volunteer_id, keys=KEYS)
    flipped = bytearray(sealed.ciphertext)
    flipped[-1] ^= 1
    with pytest.raises(CannotOpen):
        unseal(replace(sealed, ciphertext=bytes(flipped)), volunteer_id=volunteer_id, keys=KEYS)


def test_another_master_key_cannot_open() -> None:
    volunteer_id = uuid4()
    sealed = seal(PERSON, volunteer_id=volunteer_id, keys=KEYS)
    with pytest.raises(UnknownMasterKey):
        unseal(sealed, volunteer_id=volunteer_id, keys=keys_of(new_master_key()))
    # Another secret under the very same id (a key file mixed up with another installation's).
    other_secret = base64.urlsafe_b64decode(new_master_key())
    impostor = MasterKeys(MasterKey(KEYS.current.key_id, other_secret))
    with pytest.raises(CannotOpen):
        unseal(sealed, volunteer_id=volunteer_id, keys=impostor)


def test_a_rotated_master_key_wraps_again_and_the_retired_one_can_then_go() -> None:
    old, new = new_master_key(), new_master_key()
    volunteer_id = uuid4()
    sealed = seal(PERSON, volunteer_id=volunteer_id, keys=keys_of(old))
    rotated = keys_of(new, old)
    new_id, wrapped = rewrap(
        sealed.wrapped_key,
        master_key_id=sealed.master_key_id,
        volunteer_id=volunteer_id,
        keys=rotated,
    )
    assert new_id == rotated.current.key_id != sealed.master_key_id
    again = Sealed(new_id, wrapped, sealed.ciphertext)
    assert unseal(again, volunteer_id=volunteer_id, keys=keys_of(new)) == PERSON
    with pytest.raises(UnknownMasterKey):
        unseal(sealed, volunteer_id=volunteer_id, keys=keys_of(new))


def test_no_repr_shows_personal_data_or_a_key() -> None:
    sealed = seal(PERSON, volunteer_id=uuid4(), keys=KEYS)
    shown = repr(PERSON) + repr(sealed) + repr(KEYS.current) + str(PERSON) + str(sealed)
    assert "Åse" not in shown
    assert "example" not in shown
    assert KEYS.current.secret.hex() not in shown
    assert repr(KEYS.current.secret) not in shown
