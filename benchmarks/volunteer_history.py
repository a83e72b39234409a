"""A volunteer's year of served shifts, for the benchmark of the volunteer's own view.

The service refuses a shift that starts in the past, and takes check-in and check-out only near
the shift's time: the API cannot write last year today. So the history is made by the service
itself, in this process (``build_app`` with a clock the builder moves), on the database the
measured ``python -m tvers_volunteers`` then runs on: every shift is published, claimed, checked
in and checked out through the same routes, rules and events as in life, a year back. Events
written by hand would have to copy the event shapes and could drift from what the service
writes; these cannot (decision 0028).

Two volunteers serve each shift (capacity two, as a meirope evening's hosts): the one measured
and a companion, so each shift's stream is as long as a real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

import httpx

from tvers_contracts.schedule import OSLO
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import running
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.settings import volunteers_settings
from tvers_volunteers.testing.shifts import publish_shift

#: The evenings served each week (ISO weekday) and when: the last two hours of a meirope evening.
SERVED_ON = (2, 4)
STARTS = time(18, 0)
HOURS = 2


@dataclass(frozen=True)
class History:
    """Who served, and what: the volunteer measured and the shifts they served, by start."""

    volunteer_id: UUID
    served: list[str]
    first: date
    last: date


def evenings(last: date, weeks: int) -> list[datetime]:
    """The starts of the evenings served in the ``weeks`` weeks up to and including ``last``."""
    first = last - timedelta(weeks=weeks) + timedelta(days=1)
    days = (first + timedelta(days=d) for d in range((last - first).days + 1))
    return [datetime.combine(day, STARTS, OSLO) for day in days if day.isoweekday() in SERVED_ON]


async def serve(
    client: httpx.AsyncClient,
    clock: SteppedClock,
    starts: datetime,
    branch_id: str,
    volunteers: list[dict[str, str]],
) -> str:
    """One shift, a day ahead of ``starts``: published, claimed by ``volunteers``, checked in
    ten minutes before and out five minutes after; its id."""
    clock.now = (starts - timedelta(days=1)).astimezone(UTC)
    shift_id = await publish_shift(client, starts, branch_id=branch_id, hours=HOURS)
    steps = [
        (starts - timedelta(days=1), "claims"),
        (starts - timedelta(minutes=10), "check-in"),
        (starts + timedelta(hours=HOURS, minutes=5), "check-out"),
    ]
    for moment, action in steps:
        clock.now = moment.astimezone(UTC)
        for token in volunteers:
            response = await client.post(f"/shifts/{shift_id}/{action}", headers=token)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{action}: {response.status_code} {response.text}")
    return shift_id


async def served_year(
    database_url: str, nats_url: str, branch_ids: list[str], *, last: date, weeks: int = 52
) -> History:
    """Build ``weeks`` weeks of served shifts up to ``last`` (Oslo dates), spread over
    ``branch_ids``, with the service run in this process on a clock moved from a day before the
    first shift to after the last; the service stops afterwards."""
    starts = evenings(last, weeks)
    clock = SteppedClock((starts[0] - timedelta(days=2)).astimezone(UTC))
    settings = volunteers_settings(database_url, nats_url, log_level="WARNING")
    app = build_app(settings, clock=clock)
    async with running(app) as client:
        await learn_branches(app, *branch_ids)
        today = clock.now.astimezone(OSLO).date()
        volunteer_id, token = await eligible_volunteer(client, today=today)
        _, companion = await eligible_volunteer(client, today=today)
        served = [
            await serve(client, clock, start, branch_ids[i % len(branch_ids)], [token, companion])
            for i, start in enumerate(starts)
        ]
    return History(volunteer_id, served, starts[0].date(), starts[-1].date())
