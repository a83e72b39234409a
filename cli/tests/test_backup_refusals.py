"""A backup or restore that cannot be done says so in one line and leaves nothing behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tvers_cli.main import app
from tvers_cli.ops.backup import MANIFEST, DumpedDatabase, Manifest, sha256
from tvers_cli.ops.postgres_tools import OperationRefused
from tvers_cli.ops.restore import read_manifest
from tvers_runtime.embedded import free_port


def _backup(folder: Path, entries: list[tuple[str, str, str]]) -> None:
    """A backup folder whose dumps match the manifest's checksums."""
    folder.mkdir()
    dumped = []
    for service, database, file in entries:
        (folder / file).write_bytes(b"PGDMP not really")
        path = folder / file
        dumped.append(
            DumpedDatabase(
                service=service, database=database, file=file, bytes=16, sha256=sha256(path)
            )
        )
    manifest = Manifest(
        made_at=datetime(2026, 11, 30, tzinfo=UTC),
        tenant="1508",
        postgres_version="18.6",
        pg_dump="pg_dump (PostgreSQL) 18.6",
        databases=dumped,
        keys={},
    )
    (folder / MANIFEST).write_text(manifest.model_dump_json(), encoding="utf-8")


@pytest.mark.parametrize(
    "entry",
    [
        ("nope", "tvers_nope", "tvers_nope.dump"),
        ("visits", "tvers_access", "tvers_access.dump"),
        ("visits", "tvers_visits", "../tvers_visits.dump"),
    ],
)
def test_an_edited_manifest_is_refused_before_anything_is_restored(
    tmp_path: Path, entry: tuple[str, str, str]
) -> None:
    if entry[2].startswith(".."):
        (tmp_path / "tvers_visits.dump").write_bytes(b"x")
    _backup(tmp_path / "backup", [("desk", "tvers_desk", "tvers_desk.dump")])
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text(encoding="utf-8"))
    manifest["databases"].append(
        {
            "service": entry[0],
            "database": entry[1],
            "file": entry[2],
            "bytes": 1,
            "sha256": sha256(tmp_path / "backup" / entry[2])
            if (tmp_path / "backup" / entry[2]).exists()
            else "0",
        }
    )
    (tmp_path / "backup" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OperationRefused, match="not as tvers backup wrote it"):
        read_manifest(tmp_path / "backup")


def test_a_restore_to_an_unreachable_server_says_so_and_leaves_no_data_folder(
    tmp_path: Path,
) -> None:
    _backup(tmp_path / "backup", [("desk", "tvers_desk", "tvers_desk.dump")])
    data = tmp_path / "restored"
    result = CliRunner().invoke(
        app,
        [
            "restore",
            str(tmp_path / "backup"),
            "--data-dir",
            str(data),
            "--without-keys",
            "--postgres-url",
            f"postgresql://postgres:wrong@127.0.0.1:{free_port()}/postgres",
        ],
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "cannot reach PostgreSQL" in result.stdout
    assert not data.exists() or [p.name for p in data.iterdir()] == ["tvers.lock"]


def test_a_backup_of_an_unreachable_server_says_so_and_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "backup",
            str(tmp_path / "backup"),
            "--postgres-url",
            f"postgresql://postgres:wrong@127.0.0.1:{free_port()}/postgres",
        ],
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "cannot reach PostgreSQL" in result.stdout
    assert not (tmp_path / "backup").exists()
