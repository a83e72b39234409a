"""The vault's master keys are read from a secret file or a variable (the current first, then
retired ones), known by ids derived from them, and made once by ``tvers up``."""

import base64
import os
from pathlib import Path

import pytest

from tvers_volunteers.adapters.vault import (
    MasterKeys,
    UnknownMasterKey,
    ensure_master_key_file,
    new_master_key,
)
from tvers_volunteers.settings import VolunteersSettings


def test_the_first_key_is_current_and_later_ones_are_retired() -> None:
    current, retired = new_master_key(), new_master_key()
    keys = MasterKeys.parse(f"# rotated 2026-11-28\n{current}\n\n{retired}  # the old one\n")
    assert keys.current == MasterKeys.parse(current).current
    assert keys.retired_ids == [MasterKeys.parse(retired).current.key_id]
    assert keys.get(keys.retired_ids[0]).secret == base64.urlsafe_b64decode(retired)


def test_keys_may_be_given_on_one_line_in_either_base64_alphabet() -> None:
    secret = bytes(range(250, 256)) * 5 + b"\xfb\xff"  # encodes with + and / (or - and _)
    standard, url_safe = (
        base64.b64encode(secret).decode(),
        base64.urlsafe_b64encode(secret).decode(),
    )
    assert standard != url_safe
    keys = MasterKeys.parse(f"{standard}, {new_master_key()}")
    assert keys.current.secret == secret
    assert MasterKeys.parse(url_safe.rstrip("=")).current.secret == secret


def test_a_key_id_is_the_same_for_the_same_key_and_says_nothing_of_it() -> None:
    written = new_master_key()
    first, again = MasterKeys.parse(written).current, MasterKeys.parse(written).current
    assert first.key_id == again.key_id
    assert first.key_id != MasterKeys.parse(new_master_key()).current.key_id
    assert first.key_id not in written
    assert first.key_id not in first.secret.hex()


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("", id="nothing"),
        pytest.param("# only a comment", id="comment"),
        pytest.param(base64.b64encode(b"sixteen bytes!!!").decode(), id="16-bytes"),
        pytest.param("not-a-key-at-all", id="not-base64"),
        pytest.param(new_master_key()[:-4] + "!!!!", id="bad-characters"),
    ],
)
def test_what_is_not_a_32_byte_key_is_refused_without_quoting_it(written: str) -> None:
    with pytest.raises(ValueError, match="vault master key") as refused:
        MasterKeys.parse(written)
    for word in written.split():
        assert len(word) < 8 or word not in str(refused.value)


def test_a_key_id_it_was_not_given_is_unknown() -> None:
    with pytest.raises(UnknownMasterKey, match="0123456789abcdef"):
        MasterKeys.parse(new_master_key()).get("0123456789abcdef")


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = ensure_master_key_file(tmp_path / "secrets" / "vault-master.key")
    written = path.read_text(encoding="utf-8")
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert ensure_master_key_file(path).read_text(encoding="utf-8") == written
    assert len(base64.urlsafe_b64decode(written.strip())) == 32
    MasterKeys.parse(written)


def test_the_service_takes_its_master_keys_from_the_file_before_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TVERS_DATABASE_URL", "postgresql://nowhere/volunteers")
    for name in ("TVERS_VAULT_MASTER_KEY", "TVERS_VAULT_MASTER_KEY_FILE", "TVERS_SECRETS_DIR"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="TVERS_VAULT_MASTER_KEY_FILE"):
        VolunteersSettings().vault_master_key_text()
    variable = new_master_key()
    monkeypatch.setenv("TVERS_VAULT_MASTER_KEY", variable)
    assert VolunteersSettings().vault_master_key_text() == variable
    path = ensure_master_key_file(tmp_path / "vault-master.key")
    monkeypatch.setenv("TVERS_VAULT_MASTER_KEY_FILE", str(path))
    assert VolunteersSettings().vault_master_key_text() == path.read_text(encoding="utf-8")
    assert variable not in repr(VolunteersSettings())
