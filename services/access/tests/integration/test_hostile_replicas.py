"""Hostile tests of two access replicas on one database."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_access.testing.door_setup import (
    CARD,
    DOOR,
    PIN,
    PRESENTATIONS,
    STAFF,
    set_up_meirope_door,
)
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.testing.http import running

pytestmark = pytest.mark.servers


async def test_a_repeat_racing_the_first_try_on_another_replica_answers_what_was_stored(
    access_settings: AccessSettings,
) -> None:
    # Replica A cannot reach the library system (the doors fail closed); replica B can.
    cut_off = access_settings.model_copy(update={"sip2_port": free_port()})
    replica_a, replica_b = build_app(cut_off), build_app(access_settings)
    key = {"Idempotency-Key": "panel-retry-1"}
    body = {"card_number": CARD, "pin": PIN}
    async with running(replica_a) as a, running(replica_b) as b:
        await set_up_meirope_door(b)
        store: Any = replica_b.state.access._store
        append: Callable[..., Awaitable[Any]] = store.append
        first_try: list[httpx.Response] = []

        async def the_first_try_lands_meanwhile(stream_id: str, *args: Any) -> Any:
            # The panel's first try, on replica A, stores its decision just after replica B's
            # repeat looked for an earlier outcome and just before B appends (a real race, made
            # certain here).
            if stream_id.startswith("presentations-") and not first_try:
                first_try.append(await a.post(PRESENTATIONS, json=body, headers={**DOOR, **key}))
            return await append(stream_id, *args)

        store.append = the_first_try_lands_meanwhile
        repeat = await b.post(PRESENTATIONS, json=body, headers={**DOOR, **key})
        store.append = append
        stored = await replica_b.state.infrastructure.pool.fetch(
            "SELECT event_type FROM events WHERE stream_id LIKE 'presentations-%'"
        )
    assert first_try[0].json()["reason"] == "library_system_unreachable"
    assert [row["event_type"] for row in stored] == ["EntryDenied"]
    assert repeat.json()["entry"] == "denied", "the door opened; the log says it stayed shut"


async def test_a_replica_that_remembers_the_branch_sees_it_closed_by_another_replica(
    access_settings: AccessSettings,
) -> None:
    replica_a, replica_b = build_app(access_settings), build_app(access_settings)
    body = {"card_number": CARD, "pin": PIN}
    async with running(replica_a) as a, running(replica_b) as b:
        await set_up_meirope_door(b)
        before = await a.post(PRESENTATIONS, json=body, headers=DOOR)
        assert before.json()["entry"] == "granted", before.text
        today = datetime.now(ZoneInfo("Europe/Oslo")).date()
        closed = await b.put(
            f"/branches/skodje/exceptions/{today.isoformat()}",
            json={"periods": [], "label": "Stengt"},
            headers=STAFF,
        )
        assert closed.status_code == 200, closed.text
        after = await a.post(PRESENTATIONS, json=body, headers=DOOR)
    assert after.json()["entry"] == "denied", "replica A let a card in by a stale branch"
