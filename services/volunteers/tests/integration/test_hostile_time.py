"""Hostile tests of the clock, through the API on the service's injected clock: claims, release,
check-in and check-out, corrections, hours and certificates at Oslo midnight on New Year's Eve
and on both daylight-saving nights of 2027. What is counted is the time that passed, and where it
counts is the Oslo date of the check-in.

These held (the scheduler's rules on the same nights are in ``test_shift_scheduler.py``)."""

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.domain import oslo
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
SECOND = timedelta(seconds=1)


def at(day: date, clock: str, fold: int = 0) -> datetime:
    """A moment on Oslo's wall clock, as the service's clock tells it (UTC)."""
    return oslo(day, clock, fold).astimezone(UTC)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def holder_of(
    client: httpx.AsyncClient, clock: SteppedClock, starts: datetime, ends: datetime
) -> tuple[str, str, dict[str, str]]:
    """A shift published and claimed a week before it; its id, its holder and their token."""
    clock.now = starts - timedelta(days=7)
    hours = (ends - starts) / timedelta(hours=1)
    shift_id = await publish_shift(client, starts, hours=hours)
    volunteer_id, token = await eligible_volunteer(client, today=clock.now.astimezone(OSLO).date())
    claimed = await client.post(f"/shifts/{shift_id}/claims", headers=token)
    assert claimed.status_code == 201, claimed.text
    return shift_id, str(volunteer_id), token


async def act(
    client: httpx.AsyncClient,
    clock: SteppedClock,
    moment: datetime,
    path: str,
    token: dict[str, str],
) -> httpx.Response:
    clock.now = moment
    return await client.post(path, headers=token)


async def minutes(
    client: httpx.AsyncClient, volunteer_id: str, first: date, last: date
) -> tuple[int, list[dict[str, object]]]:
    hours = await client.get(
        f"/volunteers/{volunteer_id}/hours",
        params={"from": first.isoformat(), "to": last.isoformat()},
        headers=STAFF,
    )
    assert hours.status_code == 200, hours.text
    return hours.json()["minutes"], hours.json()["by_month"]


async def certificate(
    client: httpx.AsyncClient, volunteer_id: str, first: date, last: date
) -> httpx.Response:
    return await client.post(
        f"/volunteers/{volunteer_id}/certificates",
        json={"period_from": first.isoformat(), "period_to": last.isoformat()},
        headers=STAFF,
    )


async def test_a_shift_over_new_years_midnight_counts_whole_on_new_years_eve(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    eve, new_year = date(2026, 12, 31), date(2027, 1, 1)
    starts, ends = at(eve, "23:00"), at(new_year, "01:00")
    shift_id, volunteer_id, token = await holder_of(client, clock, starts, ends)
    base = f"/shifts/{shift_id}"
    early = await act(client, clock, at(eve, "22:30") - SECOND, f"{base}/check-in", token)
    assert early.status_code == 409
    assert "opens at" in early.json()["detail"]
    assert (await act(client, clock, at(eve, "22:30"), f"{base}/check-in", token)).is_success
    assert (await act(client, clock, at(new_year, "00:30"), f"{base}/check-out", token)).is_success
    clock.now = at(new_year, "12:00")
    assert await minutes(client, volunteer_id, eve, eve) == (
        120,
        [{"month": "2026-12", "minutes": 120}],
    )
    assert (await minutes(client, volunteer_id, new_year, new_year))[0] == 0
    issued = await certificate(client, volunteer_id, eve, eve)
    assert (issued.status_code, issued.json()["minutes_served"]) == (201, 120), issued.text
    none = await certificate(client, volunteer_id, new_year, new_year)
    assert none.status_code == 409, none.text


async def test_the_spring_forward_night_counts_the_two_hours_that_passed(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    night = date(2027, 3, 28)  # 02:00 becomes 03:00
    starts, ends = at(night, "01:00"), at(night, "04:00")
    shift_id, volunteer_id, token = await holder_of(client, clock, starts, ends)
    base = f"/shifts/{shift_id}"
    clock.now = starts - SECOND
    assert (await client.get(base, headers=token)).json()["mine"] is True
    released_late = await act(client, clock, starts, f"{base}/release", token)
    assert released_late.status_code == 409, released_late.text
    assert (
        await act(client, clock, at(night, "00:30"), f"{base}/check-in", token)
    ).status_code == 200
    out = await act(client, clock, at(night, "03:30"), f"{base}/check-out", token)
    assert out.status_code == 200, out.text
    clock.now = at(night, "12:00")
    assert (await minutes(client, volunteer_id, night, night))[0] == 120
    issued = await certificate(client, volunteer_id, night, night)
    assert (issued.status_code, issued.json()["minutes_served"]) == (201, 120), issued.text


async def test_the_fall_back_night_counts_a_check_out_at_an_earlier_wall_clock_as_time_passed(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    night = date(2027, 10, 31)  # 03:00 becomes 02:00
    starts, ends = at(night, "01:00"), at(night, "04:00")  # four hours
    shift_id, volunteer_id, token = await holder_of(client, clock, starts, ends)
    base = f"/shifts/{shift_id}"
    assert (await act(client, clock, at(night, "02:30"), f"{base}/check-in", token)).is_success
    # 02:15 the second time round is 45 minutes after the first 02:30.
    out = await act(client, clock, at(night, "02:15", fold=1), f"{base}/check-out", token)
    assert out.status_code == 200, out.text
    clock.now = at(night, "12:00")
    assert (await minutes(client, volunteer_id, night, night))[0] == 45
    # Staff correct it to the whole shift, written with the offsets of either side of the change.
    corrected = await client.post(
        f"{base}/corrections",
        json={
            "volunteer_id": volunteer_id,
            "checked_in_at": "2027-10-31T01:00:00+02:00",
            "checked_out_at": "2027-10-31T04:00:00+01:00",
            "reason": "forgot_check_out",
        },
        headers=STAFF,
    )
    assert corrected.status_code == 200, corrected.text
    assert (await minutes(client, volunteer_id, night, night))[0] == 240
    issued = await certificate(client, volunteer_id, night, night)
    assert (issued.status_code, issued.json()["minutes_served"]) == (201, 240), issued.text
