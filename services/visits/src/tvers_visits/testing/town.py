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
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly

STAFF = bearer(Role.STAFF)
#: A class as registered: grade, label and pupils.
Class = tuple[int, str, int]
#: Two 2nd-grade classes, as the API tests' schools have them.
TWO_SECOND_GRADES: Sequence[Class] = ((2, "2A", 24), (2, "2B", 21))


async def learn_week(app: FastAPI, branch_id: str, *, tenant: str = "1508") -> None:
    """The branch's hours as access would set them: staffed 09-15 on weekdays, meirope after."""
    event = WeeklyScheduleSet(
        branch_id=branch_id,
        periods=[
            p
            for d in range(1, 6)
            for p in (weekly(d, "09:00", "15:00", "staffed"), weekly(d, "15:00", "22:00"))
        ],
    )
    async with app.state.infrastructure.pool.acquire() as connection:
        await learn(connection, tenant, event)


async def settle_town(
    app: FastAPI,
    client: httpx.AsyncClient,
    *,
    school_year: str,
    schools: Mapping[str, Sequence[Class]],
    branch_id: str = "alesund-sentrum",
    other_branches: Sequence[str] = ("spjelkavik",),
    school_type: str = "primary",
) -> None:
    """Schools (named after their slugs) nearest to one branch with hours, each with its classes
    of ``school_year``; other branches known, without hours."""
    await learn_branches(app, branch_id, *other_branches)
    await learn_week(app, branch_id)
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
