"""The root patron key rotated on a real PostgreSQL, through the door API (decision 0051):
replicas started with the new key and the previous key's file let in a card whose agreement was
signed under the old key, carry the agreement over once even when two doors race, and refuse a
card unknown under both keys as before."""

import asyncio
from pathlib import Path

import pytest

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_access.testing.door_setup import CARD, DOOR, PIN, PRESENTATIONS, set_up_meirope_door
from tvers_runtime.testing.http import running

pytestmark = pytest.mark.servers

OLD_KEY = "patron-key-for-the-tests-0123456789abcdef"  # the fixture's
NEW_KEY = "the-rotated-patron-key-for-the-tests-0123456789"


def rotated(settings: AccessSettings, folder: Path) -> AccessSettings:
    """The settings ``tvers up`` gives access after ``tvers keys rotate --which patron``."""
    previous = folder / "patron.previous.key"
    previous.write_text(OLD_KEY + "\n", encoding="utf-8")
    current = folder / "patron.key"
    current.write_text(NEW_KEY + "\n", encoding="utf-8")
    return settings.model_copy(
        update={
            "patron_key": None,
            "patron_key_file": current,
            "patron_previous_key_file": previous,
        }
    )


async def test_a_card_signed_under_the_old_key_comes_in_through_racing_doors_rekeyed_once(
    access_settings: AccessSettings, tmp_path: Path
) -> None:
    before = build_app(access_settings)
    async with running(before) as client:
        await set_up_meirope_door(client)  # signs CARD's agreement under the old key
    new_settings = rotated(access_settings, tmp_path)
    one, other = build_app(new_settings), build_app(new_settings)
    body = {"card_number": CARD, "pin": PIN}
    async with running(one) as a, running(other) as b:
        racing = await asyncio.gather(
            a.post(PRESENTATIONS, json=body, headers=DOOR),
            b.post(PRESENTATIONS, json=body, headers=DOOR),
        )
        again = await a.post(PRESENTATIONS, json=body, headers=DOOR)
        stranger = await b.post(
            PRESENTATIONS, json={"card_number": "1508999999", "pin": PIN}, headers=DOOR
        )
        rows = await one.state.infrastructure.pool.fetch(
            "SELECT stream_id, event_type FROM events WHERE stream_id LIKE 'agreement-%' "
            "ORDER BY global_position"
        )
    assert [response.json()["entry"] for response in racing] == ["granted", "granted"], [
        response.text for response in racing
    ]
    assert again.json()["entry"] == "granted"
    assert stranger.json()["entry"] == "denied"
    old_ref = PatronReferences(OLD_KEY.encode()).of(CARD)
    new_ref = PatronReferences(NEW_KEY.encode()).of(CARD)
    assert [(row["stream_id"], row["event_type"]) for row in rows] == [
        (f"agreement-{old_ref}", "AgreementSigned"),
        (f"agreement-{old_ref}", "AgreementMoved"),
        (f"agreement-{new_ref}", "AgreementRekeyed"),
    ]


def test_a_missing_previous_key_file_means_no_previous_key(
    access_settings: AccessSettings, tmp_path: Path
) -> None:
    settings = access_settings.model_copy(
        update={"patron_previous_key_file": tmp_path / "patron.previous.key"}
    )

    assert settings.patron_previous_key_bytes() is None
