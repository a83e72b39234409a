"""A restore takes only the keys the backup's data was written with, and a key folder never has
one key overwritten by another (decision 0050)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tvers_cli.ops.backup_keys import KEY_FILES, copy_keys, fingerprints, keys_for_restore
from tvers_cli.ops.postgres_tools import OperationRefused


def key_folder(folder: Path, generation: str) -> Path:
    folder.mkdir()
    for name in KEY_FILES:
        (folder / name).write_text(f"{name}-{generation}\n")
    return folder


def test_the_backups_own_keys_are_taken_and_another_generation_is_refused(tmp_path: Path) -> None:
    old, new = key_folder(tmp_path / "old", "1"), key_folder(tmp_path / "new", "2")
    expected = fingerprints(old)
    secrets = tmp_path / "secrets"

    assert keys_for_restore(expected, secrets, old, without_keys=False) == {
        name: old / name for name in KEY_FILES
    }
    with pytest.raises(OperationRefused, match="not the key this backup was made with"):
        keys_for_restore(expected, secrets, new, without_keys=False)
    with pytest.raises(OperationRefused, match="are missing"):
        keys_for_restore(expected, secrets, None, without_keys=False)
    assert keys_for_restore(expected, secrets, None, without_keys=True) == {}


def test_a_key_folder_keeps_its_keys_and_refuses_another_generation(tmp_path: Path) -> None:
    old, new = key_folder(tmp_path / "old", "1"), key_folder(tmp_path / "new", "2")
    target = tmp_path / "kept"
    copy_keys(old, target, list(KEY_FILES))
    copy_keys(old, target, list(KEY_FILES))  # the same keys again: nothing to do
    with pytest.raises(OperationRefused, match="holds another key"):
        copy_keys(new, target, ["patron.key"])
    assert fingerprints(target) == fingerprints(old)
    assert all((target / name).stat().st_mode & 0o777 == 0o600 for name in KEY_FILES)
