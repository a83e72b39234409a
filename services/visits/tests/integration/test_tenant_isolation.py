"""One deployment may serve several municipalities: each has its own register of schools, and
one's staff neither see nor block another's schools."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
ALESUND = bearer(Role.STAFF, tenant="1508")
GISKE = bearer(Role.STAFF, tenant="1532")


def school(branch: str) -> dict[str, object]:
    return {
        "school_id": "vigra-skule",
        "name": "Vigra skule",
        "school_type": "primary",
        "nearest_branch_id": branch,
    }


async def test_each_municipality_has_its_own_school_register(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await learn_branches(app, "alesund-sentrum", tenant="1508")
    await learn_branches(app, "giske", tenant="1532")
    ours = await client.post("/schools", json=school("alesund-sentrum"), headers=ALESUND)
    assert ours.status_code == 201, ours.text
    listed = await client.get("/schools", headers=GISKE)
    theirs = await client.post("/schools", json=school("giske"), headers=GISKE)
    assert (listed.json(), theirs.status_code) == ([], 201)


async def test_each_municipality_has_its_own_school_year(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await learn_branches(app, "alesund-sentrum", tenant="1508")
    await learn_branches(app, "giske", tenant="1532")
    assert (
        await client.post("/schools", json=school("alesund-sentrum"), headers=ALESUND)
    ).is_success
    classes = {"classes": [{"grade": 2, "class_label": "2A", "pupils": 20}]}
    url = "/school-years/2026-2027/schools/vigra-skule/classes"
    assert (await client.put(url, json=classes, headers=ALESUND)).is_success
    theirs = await client.get(url, headers=GISKE)
    assert theirs.json() == []
    refused = await client.put(url, json=classes, headers=GISKE)
    assert refused.status_code == 404, refused.text
    waiting = await client.get("/school-years/2026-2027/not-yet-visited", headers=GISKE)
    assert waiting.json() == []
