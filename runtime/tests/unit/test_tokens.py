"""Signed tokens: a role, a tenant, the services they are for and what the holder is bound to;
nothing else is accepted, and a malformed claim makes a token invalid, never a crash."""

import json
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import jwt
import pytest

from tvers_runtime.auth import (
    DEFAULT_AUDIENCE,
    SERVICES,
    DeskTokenWithoutSite,
    DoorTokenWithoutDoor,
    InvalidToken,
    Role,
    Tokens,
    ensure_signing_key,
)

KEY = b"a" * 40


def signed(**changes: Any) -> str:
    """A token signed with the right key whose claims are valid but for ``changes``
    (a value of ``...`` leaves the claim out)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "tvers",
        "sub": "someone",
        "aud": ["access"],
        "iat": now,
        "exp": now + 60,
        "role": "staff",
        "tenant": "1508",
    }
    claims.update(changes)
    payload = json.dumps({k: v for k, v in claims.items() if v is not ...}).encode()
    return jwt.api_jws.encode(payload, KEY, algorithm="HS256")


def test_a_token_carries_its_role_tenant_and_binding() -> None:
    volunteer = uuid4()
    token = Tokens(KEY).issue(Role.VOLUNTEER, tenant="1508", volunteer_id=volunteer)
    principal = Tokens(KEY).verify(token, audience="volunteers")
    assert (principal.role, principal.tenant, principal.volunteer_id) == (
        Role.VOLUNTEER,
        "1508",
        volunteer,
    )


def test_the_hand_made_token_of_these_tests_is_valid() -> None:
    assert Tokens(KEY).verify(signed(), audience="access").role is Role.STAFF


def test_a_door_token_names_its_door() -> None:
    token = Tokens(KEY).issue(Role.DOOR, tenant="1508", door_id="skodje-hovuddor")
    assert Tokens(KEY).verify(token, audience="access").door_id == "skodje-hovuddor"


def test_a_door_token_without_a_door_is_not_issued() -> None:
    with pytest.raises(DoorTokenWithoutDoor):
        Tokens(KEY).issue(Role.DOOR, tenant="1508")


def test_a_door_token_without_a_door_is_invalid() -> None:
    with pytest.raises(InvalidToken, match="door"):
        Tokens(KEY).verify(signed(role="door"), audience="access")


def test_a_desk_token_names_its_site() -> None:
    token = Tokens(KEY).issue(Role.DESK, tenant="1508", site_id="haroy")
    assert Tokens(KEY).verify(token, audience="desk").site_id == "haroy"


def test_a_desk_token_without_a_site_is_not_issued() -> None:
    with pytest.raises(DeskTokenWithoutSite):
        Tokens(KEY).issue(Role.DESK, tenant="1508")


def test_a_desk_token_without_a_site_is_invalid() -> None:
    with pytest.raises(InvalidToken, match="site"):
        Tokens(KEY).verify(signed(role="desk", aud=["desk"]), audience="desk")


@pytest.mark.parametrize(
    ("role", "services"),
    [
        (Role.DOOR, {"access"}),
        (Role.VOLUNTEER, {"volunteers"}),
        (Role.TEACHER, {"visits"}),
        (Role.VIEWER, {"reporting"}),
        (Role.DESK, {"desk"}),
        (Role.STAFF, {"access", "volunteers", "visits", "reporting", "desk"}),
    ],
)
def test_each_role_is_for_its_own_services_by_default(role: Role, services: set[str]) -> None:
    assert set(DEFAULT_AUDIENCE[role]) == services
    token = Tokens(KEY).issue(role, tenant="1508", door_id="d", site_id="s")
    for service in SERVICES:
        if service in services:
            assert Tokens(KEY).verify(token, audience=service).role is role
        else:
            with pytest.raises(InvalidToken, match="Audience"):
                Tokens(KEY).verify(token, audience=service)


def test_a_token_can_be_narrowed_to_named_services() -> None:
    token = Tokens(KEY).issue(Role.STAFF, tenant="1508", audience=["visits"])
    assert Tokens(KEY).verify(token, audience="visits").role is Role.STAFF
    with pytest.raises(InvalidToken, match="Audience"):
        Tokens(KEY).verify(token, audience="access")


def test_a_token_for_no_service_is_not_issued() -> None:
    with pytest.raises(ValueError, match="aud"):
        Tokens(KEY).issue(Role.STAFF, tenant="1508", audience=[])


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = Tokens(b"b" * 40).issue(Role.STAFF, tenant="1508")
    with pytest.raises(InvalidToken, match="Signature"):
        Tokens(KEY).verify(token, audience="access")


def test_an_expired_token_is_refused() -> None:
    token = Tokens(KEY).issue(Role.STAFF, tenant="1508", lifetime_seconds=-10)
    with pytest.raises(InvalidToken, match="expired"):
        Tokens(KEY).verify(token, audience="access")


def test_a_token_verified_before_is_refused_once_it_has_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tokens = Tokens(KEY)
    token = signed(exp=int(time.time()) + 60)
    assert tokens.verify(token, audience="access").subject == "someone"
    later = time.time() + 61
    monkeypatch.setattr("tvers_runtime.auth.time.time", lambda: later)
    with pytest.raises(InvalidToken, match="expired"):
        tokens.verify(token, audience="access")


def test_a_valid_token_says_how_long_it_stays_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = Tokens(KEY)
    now = time.time()
    token = signed(iat=int(now), exp=int(now) + 3600)
    monkeypatch.setattr("tvers_runtime.auth.time.time", lambda: int(now) + 600)
    principal, seconds = tokens.valid_for(token, audience="access")
    assert (principal.subject, seconds) == ("someone", 3000)
    with pytest.raises(InvalidToken):
        tokens.valid_for(token, audience="visits")


def test_a_token_verified_for_one_service_is_still_refused_by_another() -> None:
    tokens = Tokens(KEY)
    token = signed(aud=["access"])
    tokens.verify(token, audience="access")
    with pytest.raises(InvalidToken, match=r"[Aa]udience"):
        tokens.verify(token, audience="visits")


def test_an_unsigned_token_is_refused() -> None:
    now = int(time.time())
    claims = {"iss": "tvers", "sub": "x", "aud": ["access"], "role": "staff", "tenant": "1508"}
    forged = jwt.encode({**claims, "iat": now, "exp": now + 60}, key="", algorithm="none")
    with pytest.raises(InvalidToken):
        Tokens(KEY).verify(forged, audience="access")


@pytest.mark.parametrize(
    "malformed",
    [
        pytest.param({"volunteer_id": 123}, id="volunteer_id-a-number"),
        pytest.param({"volunteer_id": ["a"]}, id="volunteer_id-a-list"),
        pytest.param({"volunteer_id": "not-a-uuid"}, id="volunteer_id-not-a-uuid"),
        pytest.param({"volunteer_id": ""}, id="volunteer_id-empty"),
        pytest.param({"volunteer_id": {"a": 1}}, id="volunteer_id-an-object"),
        pytest.param({"role": "mayor"}, id="role-unknown"),
        pytest.param({"role": 1}, id="role-a-number"),
        pytest.param({"role": ["staff"]}, id="role-a-list"),
        pytest.param({"role": ...}, id="role-missing"),
        pytest.param({"tenant": 1508}, id="tenant-a-number"),
        pytest.param({"tenant": "Ålesund"}, id="tenant-not-a-municipality-number"),
        # Digits, but not ASCII ones: the JSON Schemas' \d (ECMA 262) would refuse the events.
        pytest.param({"tenant": "\u0661\u0665\u0660\u0668"}, id="tenant-arabic-indic-digits"),
        pytest.param({"tenant": ...}, id="tenant-missing"),
        pytest.param({"sub": 5}, id="sub-a-number"),
        pytest.param({"sub": ""}, id="sub-empty"),
        pytest.param({"sub": {"x": 1}}, id="sub-an-object"),
        pytest.param({"school_id": 7}, id="school_id-a-number"),
        pytest.param({"school_id": "Not A Slug"}, id="school_id-not-a-slug"),
        pytest.param({"door_id": ["a"]}, id="door_id-a-list"),
        pytest.param({"door_id": "../etc"}, id="door_id-not-a-slug"),
        pytest.param({"iss": "someone-else"}, id="iss-another"),
        pytest.param({"iss": 1}, id="iss-a-number"),
        pytest.param({"iat": "yesterday"}, id="iat-text"),
        pytest.param({"iat": ...}, id="iat-missing"),
        pytest.param({"exp": "tomorrow"}, id="exp-text"),
        pytest.param({"exp": ...}, id="exp-missing"),
        pytest.param({"aud": 5}, id="aud-a-number"),
        pytest.param({"aud": [5]}, id="aud-a-list-of-numbers"),
        pytest.param({"aud": ...}, id="aud-missing"),
        pytest.param({"aud": ["volunteers"]}, id="aud-another-service"),
    ],
)
def test_a_token_with_a_malformed_claim_is_invalid(malformed: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        Tokens(KEY).verify(signed(**malformed), audience="access")


def test_an_invalid_claim_is_named_but_its_value_is_not_echoed() -> None:
    with pytest.raises(InvalidToken, match="volunteer_id") as refused:
        Tokens(KEY).verify(signed(volunteer_id="secret-value-123"), audience="access")
    assert "secret-value-123" not in str(refused.value)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="shorter"):
        Tokens(b"short")


def test_the_signing_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "auth.key"
    first = ensure_signing_key(path)
    assert ensure_signing_key(path) == first
    assert path.stat().st_mode & 0o077 == 0
