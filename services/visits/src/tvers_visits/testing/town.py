"""A small town for tests of class visits against the running service: branches known (as the
subscriber would learn them), a branch's week of hours learned from access's event, and schools
registered with their classes of a school year by staff over HTTP. Slugs and counts only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx
from fastapi import FastAPI

from tvers_contracts.events.access import WeeklyScheduleSet
from tvers_runtime.auth import Role
from tvers_runtime.branch_schedules import learn
from tvers_runtime.db.types import Connection
from tvers_runtime.known_branches import remember_branch
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly

STAFF = bearer(Role.STAFF)
TENANT = "1508"
#: A class as registered: grade, label and pupils.
Class = tuple[int, str, int]
#: Two 2nd-grade classes, as the API tests' schools have them.
TWO_SECOND_GRADES: Sequence[Class] = ((2, "2A", 24), (2, "2B", 21))


async def learn_week(connection: Connection, branch_id: str) -> None:
    """The branch's hours as access would set them: staffed 09-15 on weekdays, meirope after."""
    event = WeeklyScheduleSet(
        branch_id=branch_id,
        periods=[
            p
            for d in range(1, 6)
            for p in (weekly(d, "09:00", "15:00", "staffed"), weekly(d, "15:00", "22:00"))
        ],
    )
    await learn(connection, TENANT, event)


async def learn_branches_and_hours(
    connection: Connection, branch_id: str, other_branches: Sequence[str]
) -> None:
    """The branches known in the service's database (named after their slugs), the first with
    its week of hours."""
    for known in (branch_id, *other_branches):
        name = known.replace("-", " ").title()
        await remember_branch(connection, tenant=TENANT, branch_id=known, name=name)
    await learn_week(connection, branch_id)


async def register_schools(
    client: httpx.AsyncClient,
    *,
    school_year: str,
    schools: Mapping[str, Sequence[Class]],
    branch_id: str,
    school_type: str = "primary",
) -> None:
    """Schools (named after their slugs) nearest to ``branch_id``, each with its classes of
    ``school_year``, registered by staff over HTTP."""
    for school_id, classes in schools.items():
        school = {
            "school_id": school_id,
            "name": school_id.replace("-", " ").title(),
            "school_type": school_type,
            "nearest_branch_id": branch_id,
        }
        registered = await client.post("/schools", json=school, headers=STAFF)
        assert registered.status_code == 201, registered.text
        listed = [{"grade": g, "class_label": label, "pupils": n} for g, label, n in classes]
        path = f"/school-years/{school_year}/schools/{school_id}/classes"
        set_ = await client.put(path, json={"classes": listed}, headers=STAFF)
        assert set_.status_code == 200, set_.text


async def settle_town(
    app: FastAPI,
    client: httpx.AsyncClient,
    *,
    school_year: str,
    schools: Mapping[str, Sequence[Class]],
    branch_id: str = "alesund-sentrum",
    other_branches: Sequence[str] = ("spjelkavik",),
) -> None:
    """:func:`learn_branches_and_hours` and :func:`register_schools` on a service running in the
    test's own event loop."""
    async with app.state.infrastructure.pool.acquire() as connection:
        await learn_branches_and_hours(connection, branch_id, other_branches)
    await register_schools(client, school_year=school_year, schools=schools, branch_id=branch_id)
