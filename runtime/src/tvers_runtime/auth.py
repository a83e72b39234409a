"""Signed tokens for every service: who may call what, and where.

Tokens are JWTs (HS256, PyJWT) carrying a role, the services they are for (``aud``) and, where it
applies, what the holder is bound to: a volunteer id, a school, a door, an innbyggartorg site (a
desk's). One signing key per deployment, from a secret file or the environment; ``tvers up``
creates one in its data folder on first start.

Every claim is checked against :class:`Claims` (strict types, as the JSON it arrived as): a token
whose claims are of the wrong type or shape is as invalid as one with a bad signature.
"""

from __future__ import annotations

import contextlib
import functools
import json
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from uuid import UUID

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tvers_contracts.values import Slug

ISSUER = "tvers"
ALGORITHM = "HS256"
#: How many verified tokens a service remembers (one per door panel, staff member, volunteer).
VERIFIED_TOKENS_KEPT = 4096
MIN_KEY_BYTES = 32

#: The services a token can be for (its ``aud``), by the names their hosts run under.
SERVICES = ("access", "volunteers", "visits", "reporting", "desk")


class Role(StrEnum):
    """What a token holder is, and so which routes it may call."""

    DOOR = "door"
    STAFF = "staff"
    VOLUNTEER = "volunteer"
    TEACHER = "teacher"
    #: The librarian of one school: orders book deposits for it, edits the resource bank.
    SCHOOL_LIBRARIAN = "school_librarian"
    VIEWER = "viewer"
    DESK = "desk"


#: The services a role's token is for unless the issuer names others: each role works with one
#: service, staff with all of them.
DEFAULT_AUDIENCE: dict[Role, tuple[str, ...]] = {
    Role.DOOR: ("access",),
    Role.VOLUNTEER: ("volunteers",),
    Role.TEACHER: ("visits",),
    Role.SCHOOL_LIBRARIAN: ("visits",),
    Role.VIEWER: ("reporting",),
    Role.STAFF: SERVICES,
    Role.DESK: ("desk",),
}


class InvalidToken(Exception):
    """The token is missing, malformed, expired, for another service or not signed with our key."""


class DeskTokenWithoutSite(ValueError):
    """A desk token must name the one innbyggartorg site it records at."""

    def __init__(self) -> None:
        super().__init__("a desk token must name its site (site_id)")


class DoorTokenWithoutDoor(ValueError):
    """A door token must name the one door it may open."""

    def __init__(self) -> None:
        super().__init__("a door token must name its door (door_id)")


@dataclass(frozen=True)
class Principal:
    """The verified holder of a token."""

    subject: str
    role: Role
    tenant: str
    volunteer_id: UUID | None = None
    school_id: str | None = None
    #: The one door a door token may present cards at.
    door_id: str | None = None
    #: The one innbyggartorg site a desk token records help at.
    site_id: str | None = None


Text = Annotated[str, Field(min_length=1, max_length=200)]


class Claims(BaseModel):
    """The claims of a valid token, validated strictly as JSON: ``"volunteer_id": 123`` or
    ``"role": "mayor"`` make a token invalid, never a server error."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    iss: Literal["tvers"]
    sub: Text
    aud: list[Text] = Field(min_length=1)
    iat: int
    exp: int
    role: Role
    tenant: str = Field(pattern=r"^[0-9]{4}$")
    volunteer_id: UUID | None = None
    school_id: Slug | None = None
    door_id: Slug | None = None
    site_id: Slug | None = None

    @model_validator(mode="after")
    def _door_tokens_name_their_door(self) -> Self:
        if self.role is Role.DOOR and self.door_id is None:
            raise ValueError(str(DoorTokenWithoutDoor()))
        if self.role is Role.DESK and self.site_id is None:
            raise ValueError(str(DeskTokenWithoutSite()))
        return self

    def principal(self) -> Principal:
        """Who holds the token."""
        return Principal(
            subject=self.sub,
            role=self.role,
            tenant=self.tenant,
            volunteer_id=self.volunteer_id,
            school_id=self.school_id,
            door_id=self.door_id,
            site_id=self.site_id,
        )


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
    """Issues tokens with the deployment's key, and verifies them with it or, during a key
    rotation, with the previous key (tokens issued before the rotation stay valid until they
    expire or the previous key is retired; decision 0051)."""

    def __init__(self, key: bytes, *, previous: Sequence[bytes] = ()) -> None:
        if any(len(k) < MIN_KEY_BYTES for k in (key, *previous)):
            raise ValueError(f"signing key is shorter than {MIN_KEY_BYTES} bytes")
        self._key = key
        self._previous = tuple(previous)
        # A door panel shows the same token with every card: its signature and claims are
        # checked once, its time limits on every call.
        self._checked = functools.lru_cache(maxsize=VERIFIED_TOKENS_KEPT)(self._check)

    def issue(
        self,
        role: Role,
        *,
        tenant: str,
        subject: str | None = None,
        volunteer_id: UUID | None = None,
        school_id: str | None = None,
        door_id: str | None = None,
        site_id: str | None = None,
        audience: Iterable[str] | None = None,
        lifetime_seconds: int = 30 * 24 * 3600,
    ) -> str:
        """A signed token for ``role`` at the services of ``audience`` (by default the role's,
        :data:`DEFAULT_AUDIENCE`), bound as given, valid for ``lifetime_seconds``.

        Raises :class:`DoorTokenWithoutDoor` for a door token without ``door_id``,
        :class:`DeskTokenWithoutSite` for a desk token without ``site_id``, and ``ValueError``
        for claims no service would accept.
        """
        if role is Role.DOOR and door_id is None:
            raise DoorTokenWithoutDoor
        if role is Role.DESK and site_id is None:
            raise DeskTokenWithoutSite
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": subject or f"{role.value}:{secrets.token_hex(4)}",
            "aud": list(DEFAULT_AUDIENCE[role] if audience is None else audience),
            "iat": now,
            "exp": now + lifetime_seconds,
            "role": role.value,
            "tenant": tenant,
            "volunteer_id": None if volunteer_id is None else str(volunteer_id),
            "school_id": school_id,
            "door_id": door_id,
            "site_id": site_id,
        }
        Claims.model_validate_json(json.dumps(claims))  # refuse to sign what verify refuses
        return jwt.encode(
            {k: v for k, v in claims.items() if v is not None}, self._key, algorithm=ALGORITHM
        )

    def verify(self, token: str, *, audience: str) -> Principal:
        """The principal of a valid token for the service ``audience``; :class:`InvalidToken`
        otherwise."""
        principal, not_before, expires = self._checked(token, audience)
        now = time.time()
        if now >= expires:
            raise InvalidToken("Signature has expired")
        if now < not_before:
            raise InvalidToken("The token is not yet valid (iat)")
        return principal

    def valid_for(self, token: str, *, audience: str) -> tuple[Principal, float]:
        """The principal of a valid token for ``audience`` and the seconds it stays valid (by
        the same clock as :meth:`verify`); :class:`InvalidToken` otherwise."""
        principal = self.verify(token, audience=audience)
        _, _, expires = self._checked(token, audience)
        return principal, expires - time.time()

    def _check(self, token: str, audience: str) -> tuple[Principal, float, float]:
        """A token's principal, and from and until when it is valid (when the signature and
        claims are valid now)."""
        try:
            claims = self._decode(token, audience)
            checked = Claims.model_validate_json(json.dumps(claims))
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        except ValidationError as error:
            raise InvalidToken(_claim_problems(error)) from error
        return checked.principal(), float(claims["iat"]), float(claims["exp"])

    def _decode(self, token: str, audience: str) -> dict[str, Any]:
        """The claims, signed by the current key or else by a previous one."""
        try:
            return self._decode_with(token, audience, self._key)
        except jwt.InvalidSignatureError:
            for key in self._previous:
                with contextlib.suppress(jwt.InvalidSignatureError):
                    return self._decode_with(token, audience, key)
            raise

    @staticmethod
    def _decode_with(token: str, audience: str, key: bytes) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=audience,
            options={"require": ["exp", "iat", "iss", "sub", "aud", "role", "tenant"]},
        )
        return claims


def _claim_problems(error: ValidationError) -> str:
    """What was wrong with the claims, without echoing their values."""
    problems = [
        f"{'.'.join(str(part) for part in e['loc']) or 'claims'}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False)
    ]
    return "malformed claims (" + "; ".join(problems) + ")"
