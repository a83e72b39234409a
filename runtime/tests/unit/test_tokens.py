"""Signed tokens: a role, a tenant and what the holder is bound to; nothing else is accepted."""

import time
from pathlib import Path
from uuid import uuid4

import jwt
import pytest

from tvers_runtime.auth import InvalidToken, Role, Tokens, ensure_signing_key

KEY = b"a" * 40


def test_a_token_carries_its_role_tenant_and_binding() -> None:
    volunteer = uuid4()
    token = Tokens(KEY).issue(Role.VOLUNTEER, tenant="1508", volunteer_id=volunteer)
    principal = Tokens(KEY).verify(token)
    assert (principal.role, principal.tenant, principal.volunteer_id) == (
        Role.VOLUNTEER,
        "1508",
        volunteer,
    )


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = Tokens(b"b" * 40).issue(Role.STAFF, tenant="1508")
    with pytest.raises(InvalidToken, match="Signature"):
        Tokens(KEY).verify(token)


def test_an_expired_token_is_refused() -> None:
    token = Tokens(KEY).issue(Role.STAFF, tenant="1508", lifetime_seconds=-10)
    with pytest.raises(InvalidToken, match="expired"):
        Tokens(KEY).verify(token)


def test_an_unsigned_token_is_refused() -> None:
    claims = {
        "iss": "tvers",
        "sub": "x",
        "role": "staff",
        "tenant": "1508",
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
    }
    forged = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(InvalidToken):
        Tokens(KEY).verify(forged)


def test_an_unknown_role_is_refused() -> None:
    claims = {
        "iss": "tvers",
        "sub": "x",
        "role": "mayor",
        "tenant": "1508",
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
    }
    with pytest.raises(InvalidToken):
        Tokens(KEY).verify(jwt.encode(claims, KEY, algorithm="HS256"))


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="shorter"):
        Tokens(b"short")


def test_the_signing_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "auth.key"
    first = ensure_signing_key(path)
    assert ensure_signing_key(path) == first
    assert path.stat().st_mode & 0o077 == 0
