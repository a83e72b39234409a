"""``tvers compose-secrets DIR``: the secret files of the compose deployment, made once and kept,
with what is derived from them written again to match."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from typer.testing import CliRunner

from tvers_cli.compose_secrets import (
    NATS_AUTHORIZATION,
    database_password,
    database_url,
    nats_password,
    nats_url,
    write_compose_secrets,
)
from tvers_cli.layout import SERVICES
from tvers_cli.main import app
from tvers_cli.nats_accounts import users


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8").strip()


def test_the_command_makes_the_folder_private_and_its_files_readable_by_containers(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "secrets"
    result = CliRunner().invoke(app, ["compose-secrets", str(folder)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()}
    assert set(modes.values()) == {0o644}
    assert f"{len(modes)} secret files" in result.output


def test_each_url_carries_the_password_of_its_role_and_user(tmp_path: Path) -> None:
    write_compose_secrets(tmp_path)
    authorization = read(tmp_path, NATS_AUTHORIZATION)
    for service in SERVICES:
        database = urlsplit(read(tmp_path, database_url(service)))
        assert (database.hostname, database.port, database.path) == (
            "postgres",
            5432,
            f"/tvers_{service}",
        )
        assert database.username == f"tvers_{service}"
        assert unquote(database.password or "") == read(tmp_path, database_password(service))
        broker = urlsplit(read(tmp_path, nats_url(service)))
        assert (broker.hostname, broker.username) == ("nats", service)
        assert unquote(broker.password or "") == read(tmp_path, nats_password(service))
    for user in users():
        assert f'"password": "{read(tmp_path, nats_password(user))}"' in authorization


def test_running_it_again_keeps_every_password_and_key(tmp_path: Path) -> None:
    first = write_compose_secrets(tmp_path)
    before = {name: read(tmp_path, name) for name in first}
    (tmp_path / NATS_AUTHORIZATION).unlink()  # a derived file is made again
    second = write_compose_secrets(tmp_path)
    assert second == first
    assert {name: read(tmp_path, name) for name in second} == before


def test_a_folder_that_cannot_be_made_is_one_line_and_exit_1(tmp_path: Path) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["compose-secrets", str(taken)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "cannot write the secrets" in result.stderr
