"""``tvers keys rotate``: tokens already out stay valid until the previous key is retired, new
ones are signed with the new key, and a forged one is refused throughout. Verified as a service
verifies: with the keys its settings read (``TVERS_AUTH_KEY_FILE`` and
``TVERS_AUTH_PREVIOUS_KEY_FILE``, as ``tvers up`` sets them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.settings import AccessSettings
from tvers_cli.backing import Backing
from tvers_cli.layout import SERVICES, DataDir, Ports
from tvers_cli.main import app
from tvers_cli.supervisor import Supervisor
from tvers_desk.bootstrap import build_app
from tvers_desk.settings import DeskSettings
from tvers_runtime.auth import InvalidToken, Role, Tokens, new_signing_key
from tvers_runtime.settings import RuntimeSettings
from tvers_runtime.testing.http import running, service_settings
from tvers_runtime.testing.servers import NatsUnderTest


def tvers(*arguments: str) -> str:
    result = CliRunner().invoke(app, list(arguments))
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result.stdout


def service_tokens(data: DataDir) -> Tokens:
    """What a service started now by ``tvers up`` verifies with."""
    settings = RuntimeSettings(
        database_url=SecretStr("postgresql://unused/unused"),
        auth_key_file=data.auth_key_file,
        auth_previous_key_file=data.auth_previous_key_file,
    )
    return Tokens(settings.signing_key(), previous=settings.previous_signing_keys())


def staff_token(data_dir: Path) -> str:
    return tvers("token", "--role", "staff", "--data-dir", str(data_dir)).strip()


def accepted(tokens: Tokens, token: str) -> bool:
    try:
        tokens.verify(token, audience="access")
    except InvalidToken:
        return False
    return True


FORGED = Tokens(new_signing_key().encode()).issue(Role.STAFF, tenant="1508")


def test_a_token_from_before_the_rotation_works_until_the_previous_key_is_retired(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    before = staff_token(tmp_path)
    old_key = data.auth_key_file.read_text()

    printed = tvers("keys", "rotate", "--data-dir", str(tmp_path))

    assert "Restart the services" in printed
    assert data.auth_key_file.read_text() != old_key
    after = staff_token(tmp_path)
    tokens = service_tokens(data)
    assert accepted(tokens, before)
    assert accepted(tokens, after)
    assert not accepted(tokens, FORGED)
    assert not accepted(Tokens(old_key.strip().encode()), after)  # signed with the new key

    tvers("keys", "retire-previous", "--data-dir", str(tmp_path))

    tokens = service_tokens(data)
    assert not accepted(tokens, before)
    assert accepted(tokens, after)
    assert not accepted(tokens, FORGED)


def test_a_rotation_for_a_leaked_key_refuses_every_token_signed_before(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    before = staff_token(tmp_path)

    tvers("keys", "rotate", "--retire-previous", "--data-dir", str(tmp_path))

    tokens = service_tokens(data)
    assert not accepted(tokens, before)
    assert accepted(tokens, staff_token(tmp_path))
    assert not data.auth_previous_key_file.exists()


def test_a_second_rotation_retires_the_key_before_the_previous_one(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    first = staff_token(tmp_path)
    tvers("keys", "rotate", "--data-dir", str(tmp_path))
    second = staff_token(tmp_path)

    printed = tvers("keys", "rotate", "--data-dir", str(tmp_path))

    assert "retired now" in printed
    tokens = service_tokens(data)
    assert not accepted(tokens, first)
    assert accepted(tokens, second)
    assert accepted(tokens, staff_token(tmp_path))


def test_the_rotated_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    staff_token(tmp_path)
    tvers("keys", "rotate", "--data-dir", str(tmp_path))
    for path in (data.auth_key_file, data.auth_previous_key_file):
        assert path.stat().st_mode & 0o777 == 0o600


def test_tvers_up_tells_each_service_where_the_previous_key_is(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    data.create()
    backing = Backing(dict.fromkeys(SERVICES, "postgresql://x/y"), dict.fromkeys(SERVICES, "n"), "")
    for service in SERVICES:
        environment = Supervisor._environment(service, data, Ports(), "127.0.0.1", backing)
        assert environment["TVERS_AUTH_PREVIOUS_KEY_FILE"] == str(data.auth_previous_key_file)


@pytest.mark.servers
async def test_a_service_started_after_the_rotation_takes_old_and_new_tokens_and_no_forged_one(
    tmp_path: Path, database_url: str, nats_server: NatsUnderTest
) -> None:
    data = DataDir(tmp_path)
    before = staff_token(tmp_path)
    tvers("keys", "rotate", "--data-dir", str(tmp_path))
    after = staff_token(tmp_path)
    settings = service_settings(
        DeskSettings,
        database_url,
        nats_server.url,
        auth_key_file=data.auth_key_file,
        auth_previous_key_file=data.auth_previous_key_file,
    )
    async with running(build_app(settings)) as desk:

        async def answer(token: str) -> int:
            headers = {"Authorization": f"Bearer {token}"}
            return (await desk.get("/categories", headers=headers)).status_code

        assert await answer(before) == 200
        assert await answer(after) == 200
        assert await answer(FORGED) == 401


def access_patrons(data: DataDir) -> PatronReferences:
    """What access started now by ``tvers up`` makes patron references with."""
    environment = Supervisor._environment(
        "access",
        data,
        Ports(),
        "127.0.0.1",
        Backing(dict.fromkeys(SERVICES, "postgresql://x/y"), dict.fromkeys(SERVICES, "n"), ""),
    )
    settings = AccessSettings(
        database_url=SecretStr("postgresql://unused/unused"),
        patron_key_file=Path(environment["TVERS_PATRON_KEY_FILE"]),
        patron_previous_key_file=Path(environment["TVERS_PATRON_PREVIOUS_KEY_FILE"]),
    )
    return PatronReferences(
        settings.patron_key_bytes(), previous=settings.patron_previous_key_bytes()
    )


def test_rotating_the_patron_key_keeps_the_old_one_as_previous_until_it_is_retired(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    data.create()
    before = access_patrons(data).of("N00123456")
    signing_key = data.auth_key_file.read_text() if data.auth_key_file.exists() else None

    printed = tvers("keys", "rotate", "--which", "patron", "--data-dir", str(tmp_path))

    assert "Restart the services" in printed
    patrons = access_patrons(data)
    assert patrons.of("N00123456") != before
    assert patrons.previous_of("N00123456") == before
    assert data.patron_previous_key_file.stat().st_mode & 0o777 == 0o600
    assert (data.auth_key_file.read_text() if data.auth_key_file.exists() else None) == (
        signing_key
    )

    retired = tvers("keys", "retire-previous", "--which", "patron", "--data-dir", str(tmp_path))

    assert "orphaned" in retired
    assert access_patrons(data).previous_of("N00123456") is None


def test_rotating_all_keys_rotates_the_signing_and_the_patron_key(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    data.create()
    before = staff_token(tmp_path)
    patron_ref = access_patrons(data).of("N00123456")

    tvers("keys", "rotate", "--which", "all", "--data-dir", str(tmp_path))

    assert accepted(service_tokens(data), before)
    assert not accepted(Tokens(data.signing_key()), before)
    assert access_patrons(data).previous_of("N00123456") == patron_ref


@pytest.mark.parametrize("content", ["short", "port: 4222\nauthorization { users: [] }\n" * 3])
def test_rotating_a_file_that_is_no_signing_key_is_refused_and_changes_nothing(
    tmp_path: Path, content: str
) -> None:
    key_file = tmp_path / "nats.conf"
    key_file.write_text(content, encoding="utf-8")
    previous = tmp_path / "previous.key"
    result = CliRunner().invoke(
        app, ["keys", "rotate", "--key-file", str(key_file), "--previous-file", str(previous)]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "is no signing key" in " ".join(result.stderr.split())
    assert key_file.read_text(encoding="utf-8") == content
    assert not previous.exists()
