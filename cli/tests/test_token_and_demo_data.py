"""`tvers token` prints a token the services accept; the demo data is the same for a day."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from tvers_cli.demo.data import build
from tvers_cli.demo.patrons import demo_patrons
from tvers_cli.demo.places import ZONE
from tvers_cli.demo.until import fill_until
from tvers_cli.layout import DataDir
from tvers_runtime.auth import InvalidToken, Role, Tokens


def tvers_token(data_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tvers_cli", "token", *options, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_token_from_the_command_is_signed_with_the_data_folders_key(tmp_path: Path) -> None:
    volunteer = uuid4()
    printed = tvers_token(tmp_path, "--role", "volunteer", "--volunteer-id", str(volunteer))
    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    principal = Tokens(DataDir(tmp_path).signing_key()).verify(token, audience="volunteers")
    assert (principal.role, principal.volunteer_id, principal.tenant) == (
        Role.VOLUNTEER,
        volunteer,
        "1508",
    )


def test_a_door_token_names_its_door(tmp_path: Path) -> None:
    refused = tvers_token(tmp_path, "--role", "door")
    assert refused.returncode == 2
    assert "door" in refused.stderr
    assert refused.stdout == ""
    printed = tvers_token(tmp_path, "--role", "door", "--door", "skodje-hovuddor")
    principal = Tokens(DataDir(tmp_path).signing_key()).verify(
        printed.stdout.strip(), audience="access"
    )
    assert (principal.role, principal.door_id) == (Role.DOOR, "skodje-hovuddor")


def test_a_desk_token_names_its_site(tmp_path: Path) -> None:
    refused = tvers_token(tmp_path, "--role", "desk")
    assert refused.returncode == 2
    assert "site" in refused.stderr
    printed = tvers_token(tmp_path, "--role", "desk", "--site", "haroy")
    principal = Tokens(DataDir(tmp_path).signing_key()).verify(
        printed.stdout.strip(), audience="desk"
    )
    assert (principal.role, principal.site_id) == (Role.DESK, "haroy")


def test_a_token_is_for_the_services_named(tmp_path: Path) -> None:
    printed = tvers_token(tmp_path, "--role", "staff", "--service", "visits")
    tokens = Tokens(DataDir(tmp_path).signing_key())
    assert tokens.verify(printed.stdout.strip(), audience="visits").role is Role.STAFF
    with pytest.raises(InvalidToken):
        tokens.verify(printed.stdout.strip(), audience="access")


def test_the_demo_data_is_the_same_up_to_the_same_moment() -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    first, second = build(now), build(now)
    assert first == second
    shown = [p for arrival in first.presentations for p in arrival]
    assert len(shown) > 1000
    assert len({p.key for p in shown}) == len(shown)
    assert all(p.presented_at < now for p in shown)


def test_the_demo_patrons_include_children_with_guardians_and_blocked_cards() -> None:
    patrons = demo_patrons()
    cards = [p.card for p in patrons]
    assert len(set(cards)) == len(cards)
    children = [p for p in patrons if p.guardian is not None]
    assert children
    assert any(p.blocked for p in patrons)
    assert any(p.birth_date is None for p in patrons)
    # A guardian is an adult listed (and so signed) before the child.
    assert all(cards.index(p.guardian) < cards.index(p.card) for p in children)  # type: ignore[arg-type]
    assert not any(p.guardian in {c.card for c in children} for p in children)


def test_a_child_arrives_right_after_the_guardian_at_the_same_door() -> None:
    data = build(datetime(2026, 11, 28, 12, tzinfo=UTC))
    pairs = [arrival for arrival in data.presentations if len(arrival) == 2]
    assert pairs
    for guardian, child in pairs:
        assert guardian.door_id == child.door_id
        assert timedelta(0) < child.presented_at - guardian.presented_at <= timedelta(seconds=60)


def test_a_second_demo_fill_the_same_day_fills_up_to_the_same_moment(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    first = datetime(2026, 11, 28, 9, 15, tzinfo=ZONE)
    assert fill_until(data, first) == first
    assert fill_until(data, first + timedelta(hours=12)) == first  # 21:15 the same day
    next_day = datetime(2026, 11, 29, 0, 5, tzinfo=ZONE)
    assert fill_until(data, next_day) == next_day
    assert fill_until(data, next_day + timedelta(minutes=3)) == next_day
