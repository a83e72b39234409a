"""A dated exception changes what the door decides, on a real PostgreSQL and NATS: today
closed all day keeps the door shut, today in meirope hours needs an agreement, and once the
exception is removed the weekly schedule holds again."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tvers_access.testing.door_setup import CARD, DOOR, PIN, STAFF, set_up_door

pytestmark = pytest.mark.servers
STAFFED_ALL_WEEK = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "staffed"} for d in range(1, 8)
]


async def test_an_exception_for_today_changes_the_door_s_decision(
    client: httpx.AsyncClient,
) -> None:
    await set_up_door(client, STAFFED_ALL_WEEK, with_agreement=False)
    # One moment for every presentation, so the test means the same whenever it runs.
    moment = datetime.now(UTC)
    today = f"/branches/skodje/exceptions/{moment.astimezone(ZoneInfo('Europe/Oslo')).date()}"

    async def present() -> dict[str, object]:
        response = await client.post(
            "/doors/skodje-hovuddor/presentations",
            json={"card_number": CARD, "pin": PIN, "presented_at": moment.isoformat()},
            headers=DOOR,
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return {key: body[key] for key in ("entry", "opening", "reason")}

    assert await present() == {"entry": "granted", "opening": "staffed", "reason": None}
    closed = await client.put(today, json={"periods": [], "label": "Stengt"}, headers=STAFF)
    assert closed.status_code == 200, closed.text
    assert await present() == {
        "entry": "denied",
        "opening": "closed",
        "reason": "outside_meirope_hours",
    }
    all_day_meirope = {"periods": [{"starts": "00:00", "ends": "00:00", "kind": "meirope"}]}
    meirope = await client.put(today, json=all_day_meirope, headers=STAFF)
    assert meirope.status_code == 200, meirope.text
    assert await present() == {"entry": "denied", "opening": "meirope", "reason": "no_agreement"}
    removed = await client.delete(today, headers=STAFF)
    assert removed.status_code == 200, removed.text
    assert await present() == {"entry": "granted", "opening": "staffed", "reason": None}
