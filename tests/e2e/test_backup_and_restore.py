"""A backup is the service databases (and the data folder's keys) alone: restored into a fresh
data folder and started on an empty JetStream, the relays republish every stream from the event
stores, and the dashboard's API shows the same figures as before (decision 0050)."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tvers_cli.layout import DataDir
from tvers_cli.ops.postgres_tools import running_embedded_url
from tvers_cli.ops.restore import burn_transaction_ids
from tvers_runtime.aio import run
from tvers_runtime.auth import Role
from tvers_volunteers.testing.people import REGISTRATION

from .test_walking_skeleton import (
    CARD,
    EXPECTED,
    PIN,
    eventually_totals,
    ok,
    one_of_each,
    totals,
)

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]
DOOR = "skodje-hovuddor"


def tvers_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tvers_cli", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"COLUMNS": "200", "TERM": "dumb", "PATH": "/usr/bin:/bin"},
    )


def figures(tvers: Any) -> dict[str, Any]:
    """What the dashboard's API shows: the daily totals and the unique visitors per month."""
    with tvers.client() as http:
        visitors = ok(
            http.get(
                f"{tvers.url('reporting')}/api/meirope/visitors", headers=tvers.token(Role.VIEWER)
            )
        )
    return {"daily": totals(tvers), "visitors": visitors}


def eventually(tvers: Any, expected: dict[str, Any], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while (current := figures(tvers)) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"reporting shows {current}, expected {expected}")
        time.sleep(0.3)


@pytest.mark.timeout(300)  # two starts of the whole system, slow on a loaded machine
def test_a_backup_restored_into_a_fresh_folder_shows_the_same_figures_and_keeps_keys_and_tokens(
    tmp_path: Path, make_tvers: Any
) -> None:
    before = make_tvers(tmp_path / "before")
    before.start("up")
    before.wait_ready()
    # A system that has run for a while: its transaction ids lie far beyond a fresh cluster's.
    data = DataDir(before.data_dir)
    run(burn_transaction_ids(running_embedded_url(data, data.secret("postgres.password")), 100_000))
    one_of_each(before)
    staff, door = before.token(Role.STAFF), before.token(Role.DOOR, door_id=DOOR)
    with before.client() as http:
        person = {**REGISTRATION, "email": "backup.restore@example.no"}
        volunteer = UUID(
            ok(http.post(f"{before.url('volunteers')}/volunteers", headers=staff, json=person))[
                "volunteer_id"
            ]
        )
    eventually_totals(before, EXPECTED)
    shown = figures(before)

    backup, keys = tmp_path / "backup", tmp_path / "keys"
    made = tvers_command(
        "backup", str(backup), "--data-dir", str(before.data_dir), "--keys-to", str(keys)
    )  # while it runs
    assert made.returncode == 0, made.stdout + made.stderr
    before.stop()

    manifest = json.loads((backup / "manifest.json").read_text())
    assert {d["database"] for d in manifest["databases"]} == {
        f"tvers_{s}" for s in ("access", "volunteers", "visits", "desk", "reporting")
    }
    assert manifest["postgres_version"].startswith("18")
    assert sorted(manifest["keys"]) == ["auth-signing.key", "patron.key", "vault-master.key"]
    secrets = [p.read_text().strip() for p in (before.data_dir / "secrets").glob("*")]
    assert not any(secret in (backup / "manifest.json").read_text() for secret in secrets)
    assert sorted(p.name for p in keys.iterdir()) == sorted(manifest["keys"])
    for path in [backup, keys, *backup.iterdir(), *keys.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path

    after = make_tvers(tmp_path / "after")
    keyless = tvers_command("restore", str(backup), "--data-dir", str(after.data_dir))
    assert keyless.returncode == 1
    assert "keys auth-signing.key, patron.key, vault-master.key are missing" in keyless.stdout
    restored = tvers_command(
        "restore", str(backup), "--data-dir", str(after.data_dir), "--keys-from", str(keys)
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    again = tvers_command(
        "restore", str(backup), "--data-dir", str(after.data_dir), "--keys-from", str(keys)
    )
    assert again.returncode == 1
    assert "already holds tvers_access" in again.stdout

    after.start("up")  # a fresh NATS: every stream is empty until the relays republish it
    after.wait_ready()
    eventually(after, shown)

    with after.client() as http:
        # Tokens signed before the backup still open doors; the patron key still finds the
        # card's agreement; this month's door reference still counts the same person once.
        entry = ok(
            http.post(
                f"{after.url('access')}/doors/{DOOR}/presentations",
                json={"card_number": CARD, "pin": PIN},
                headers=door,
            )
        )
        assert entry["entry"] == "granted", entry
        data = ok(
            http.get(
                f"{after.url('volunteers')}/volunteers/{volunteer}/personal-data", headers=staff
            )
        )
        assert data["name"] == REGISTRATION["name"]  # the vault's master key came along
    daily = {**shown["daily"], "entries_meirope": shown["daily"]["entries_meirope"] + 1}
    eventually(after, {"daily": daily, "visitors": shown["visitors"]}, timeout=20)
    after.stop()
