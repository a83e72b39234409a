"""`tvers token` prints a token the services accept; the demo data is the same for a day."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from tvers_cli.demo.data import build
from tvers_cli.layout import DataDir
from tvers_runtime.auth import Role, Tokens


def test_a_token_from_the_command_is_signed_with_the_data_folders_key(tmp_path: Path) -> None:
    volunteer = uuid4()
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tvers_cli",
            "token",
            "--role",
            "volunteer",
            "--volunteer-id",
            str(volunteer),
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    principal = Tokens(DataDir(tmp_path).signing_key()).verify(printed)
    assert (principal.role, principal.volunteer_id, principal.tenant) == (
        Role.VOLUNTEER,
        volunteer,
        "1508",
    )


def test_the_demo_data_is_the_same_for_the_same_day() -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    first, second = build(date(2026, 11, 28), now), build(date(2026, 11, 28), now)
    assert first == second
    assert len(first.presentations) > 1000
    assert len({p.key for p in first.presentations}) == len(first.presentations)
    assert all(p.presented_at < now for p in first.presentations)
    assert all(v.cards <= v.pupils and v.held_on <= date(2026, 11, 28) for v in first.visits)


def test_the_demo_data_keeps_within_the_services_rules() -> None:
    now = datetime(2026, 8, 19, 12, tzinfo=UTC)  # the day before a school year starts
    data = build(date(2026, 8, 19), now)
    branches = {b.branch_id for b in data.branches}
    schools = {s.school_id for s in data.schools}
    assert {s.nearest_branch_id for s in data.schools} <= branches
    assert {v.school_id for v in data.visits} <= schools
    assert {v.branch_id for v in data.visits} | {s.branch_id for s in data.shifts} <= branches
    assert all(date(2025, 8, 19) <= v.held_on <= date(2026, 8, 19) for v in data.visits)
    assert all(
        now < s.starts_at < s.ends_at <= s.starts_at + timedelta(hours=12) for s in data.shifts
    )
