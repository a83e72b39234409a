"""Signed tokens for every service: who may call what.

Tokens are JWTs (HS256, PyJWT) carrying a role and, where it applies, what the holder is bound to:
a volunteer id, a school, a site (branch or door). One signing key per deployment, from a secret
file or the environment; ``tvers up`` creates one in its data folder on first start.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from uuid import UUID

import jwt

ISSUER = "tvers"
ALGORITHM = "HS256"
MIN_KEY_BYTES = 32


class Role(StrEnum):
    """What a token holder is, and so which routes it may call."""

    DOOR = "door"
    STAFF = "staff"
    VOLUNTEER = "volunteer"
    TEACHER = "teacher"
    VIEWER = "viewer"
    DESK = "desk"


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not signed with our key."""


@dataclass(frozen=True)
class Principal:
    """The verified holder of a token."""

    subject: str
    role: Role
    tenant: str
    volunteer_id: UUID | None = None
    school_id: str | None = None
    site: str | None = None


def new_signing_key() -> str:
    """A fresh random key, URL-safe text."""
    return secrets.token_urlsafe(48)


def read_signing_key(path: Path) -> bytes:
    """A key from a secret file (whitespace around it is ignored)."""
    key = path.read_text(encoding="utf-8").strip().encode()
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"signing key in {path} is shorter than {MIN_KEY_BYTES} bytes")
    return key


def ensure_signing_key(path: Path) -> bytes:
    """Read the key file, creating it (readable by its owner only) if it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_signing_key() + "\n", encoding="utf-8")
    return read_signing_key(path)


class Tokens:
    """Issues and verifies tokens with one deployment key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"signing key is shorter than {MIN_KEY_BYTES} bytes")
        self._key = key

    def issue(
        self,
        role: Role,
        *,
        tenant: str,
        subject: str | None = None,
        volunteer_id: UUID | None = None,
        school_id: str | None = None,
        site: str | None = None,
        lifetime_seconds: int = 30 * 24 * 3600,
    ) -> str:
        """A signed token for ``role``, bound as given, valid for ``lifetime_seconds``."""
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": ISSUER,
            "sub": subject or f"{role.value}:{secrets.token_hex(4)}",
            "role": role.value,
            "tenant": tenant,
            "iat": now,
            "exp": now + lifetime_seconds,
        }
        if volunteer_id is not None:
            claims["volunteer_id"] = str(volunteer_id)
        if school_id is not None:
            claims["school_id"] = school_id
        if site is not None:
            claims["site"] = site
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; :class:`InvalidToken` otherwise."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "iss", "sub", "role", "tenant"]},
            )
            volunteer = claims.get("volunteer_id")
            return Principal(
                subject=str(claims["sub"]),
                role=Role(claims["role"]),
                tenant=str(claims["tenant"]),
                volunteer_id=UUID(volunteer) if volunteer else None,
                school_id=claims.get("school_id"),
                site=claims.get("site"),
            )
        except (jwt.PyJWTError, ValueError, KeyError) as error:
            raise InvalidToken(str(error)) from error
