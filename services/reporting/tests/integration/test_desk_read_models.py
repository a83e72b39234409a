"""The desk log's read model on a real PostgreSQL and NATS: help records and category events
published as the desk service's relay would, read back through ``/api/desk/...`` with the right
numbers; the same again after duplicates, a rename, and a rebuild.

The story is set in March 2026. Monday 23 March begins at 23:00 UTC on the 22nd (CET); Oslo
moves to summer time on Sunday 29 March, so Monday 30 March begins at 22:00 UTC.
"""

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.desk import (
    CategoryAdded,
    CategoryRenamed,
    Channel,
    Department,
    Duration,
    HelpGiven,
    HelpUndone,
    UndoReason,
)
from tvers_reporting.testing.story import TENANT, Story, publish
from tvers_runtime.auth import Role
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
STAFF = bearer(Role.STAFF)
PERIOD = "?from=2026-03-01&to=2026-04-30"
ROUTES = ("demand", "overlap", "referrals")
LIBRARY, CITIZEN, VOLUNTEER = (
    Department.LIBRARY,
    Department.CITIZEN_SERVICE,
    Department.VOLUNTEER_CENTRE,
)
CATEGORIES = f"desk-categories-{TENANT}"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


class DeskStory(Story):
    """Events of the desk service."""

    def category(self, category_id: str, name: str, name_en: str) -> None:
        payload = CategoryAdded(category_id=category_id, name=name, name_en=name_en)
        self.add(CATEGORIES, utc(1, 8), payload)

    def help(
        self,
        site: str,
        department: Department,
        category_id: str,
        at: datetime,
        referred_to: Department | None = None,
    ) -> UUID:
        help_id = uuid4()
        payload = HelpGiven(
            help_id=help_id,
            site=site,
            department=department,
            category_id=category_id,
            channel=Channel.IN_PERSON,
            duration=Duration.FROM_5_TO_15_MINUTES,
            referred_to=referred_to,
            given_at=at,
        )
        self.add(f"help-{help_id}", at, payload)
        return help_id

    def undo(self, help_id: UUID, at: datetime) -> None:
        payload = HelpUndone(help_id=help_id, reason=UndoReason.RECORDED_BY_MISTAKE)
        self.add(f"help-{help_id}", at, payload)


def desk_month() -> tuple[DeskStory, UUID]:
    story = DeskStory()
    story.category("digital-help", "Digital hjelp", "Digital help")
    story.category("printing-scanning", "Utskrift og skanning", "Printing and scanning")
    story.category("forms-applications", "Skjema og søknader", "Forms and applications")
    # 23:59 on Sunday 22 March (CET), and midnight: the next ISO week.
    story.help("skodje", LIBRARY, "digital-help", utc(22, 22, 59))
    story.help("skodje", CITIZEN, "digital-help", utc(22, 23), referred_to=LIBRARY)
    # The night the clocks go forward: 23:30 CEST on Sunday 29 March, then 00:30 on Monday.
    story.help("skodje", VOLUNTEER, "printing-scanning", utc(29, 21, 30))
    story.help("skodje", LIBRARY, "printing-scanning", utc(29, 22, 30), referred_to=CITIZEN)
    story.help("haroy", LIBRARY, "forms-applications", utc(25, 10), referred_to=CITIZEN)
    # Undone records count nothing, not even for the overlap.
    story.undo(story.help("haroy", CITIZEN, "forms-applications", utc(25, 11)), utc(25, 11, 2))
    undone = story.help("skodje", LIBRARY, "digital-help", utc(24, 9), referred_to=VOLUNTEER)
    story.undo(undone, utc(24, 9, 3))
    return story, undone


def demand(
    site: str, department: Department, category: str, week: str, referred: int = 0
) -> dict[str, Any]:
    names = {
        "digital-help": ("Digital hjelp", "Digital help"),
        "printing-scanning": ("Utskrift og skanning", "Printing and scanning"),
        "forms-applications": ("Skjema og søknader", "Forms and applications"),
    }[category]
    return {
        "site": site,
        "department": department.value,
        "category_id": category,
        "category_name": names[0],
        "category_name_en": names[1],
        "week": week,
        "helped": 1,
        "referred": referred,
    }


EXPECTED: dict[str, Any] = {
    "demand": [
        demand("skodje", LIBRARY, "digital-help", "2026-03-16"),
        demand("haroy", LIBRARY, "forms-applications", "2026-03-23", referred=1),
        demand("skodje", CITIZEN, "digital-help", "2026-03-23", referred=1),
        demand("skodje", VOLUNTEER, "printing-scanning", "2026-03-23"),
        demand("skodje", LIBRARY, "printing-scanning", "2026-03-30", referred=1),
    ],
    "overlap": [
        {
            "site": "skodje",
            "category_id": "digital-help",
            "category_name": "Digital hjelp",
            "category_name_en": "Digital help",
            "by_department": {"citizen_service": 1, "library": 1},
            "helped": 2,
        },
        {
            "site": "skodje",
            "category_id": "printing-scanning",
            "category_name": "Utskrift og skanning",
            "category_name_en": "Printing and scanning",
            "by_department": {"library": 1, "volunteer_centre": 1},
            "helped": 2,
        },
    ],
    "referrals": [
        {"from_department": "citizen_service", "to_department": "library", "referrals": 1},
        {"from_department": "library", "to_department": "citizen_service", "referrals": 2},
    ],
}


def renamed(expected: dict[str, Any]) -> dict[str, Any]:
    """The figures once digital help is renamed: the same counts under the new names."""
    names = {"category_name": "Digital kvardagshjelp", "category_name_en": "Everyday digital help"}

    def rename(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, **names} if row["category_id"] == "digital-help" else row

    return {
        "demand": [rename(row) for row in expected["demand"]],
        "overlap": [rename(row) for row in expected["overlap"]],
        "referrals": expected["referrals"],
    }


async def answers(client: httpx.AsyncClient, query: str = PERIOD) -> dict[str, Any]:
    return {
        name: (await client.get(f"/api/desk/{name}{query}", headers=VIEWER)).json()
        for name in ROUTES
    }


async def eventually_answers(client: httpx.AsyncClient, expected: dict[str, Any]) -> None:
    got: dict[str, Any] = {}
    for _ in range(200):
        got = await answers(client)
        if got == expected:
            return
        await asyncio.sleep(0.1)
    assert got == expected


async def test_the_desk_read_model_counts_demand_overlap_and_referrals_and_rebuilds_the_same(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story, undone = desk_month()
    await publish(nats_server.url, story.envelopes)
    await eventually_answers(client, EXPECTED)

    # Every event again (a republish outside the dedupe window), the undone record's undo once
    # more, and then a rename: once the new name shows, the repeats have been passed over.
    later = DeskStory()
    later.versions = dict(story.versions)
    later.undo(undone, utc(24, 9, 4))
    later.add(
        CATEGORIES,
        utc(31, 12),
        CategoryRenamed(
            category_id="digital-help",
            name="Digital kvardagshjelp",
            name_en="Everyday digital help",
        ),
    )
    await publish(nats_server.url, [*story.envelopes, *later.envelopes])
    expected = renamed(EXPECTED)
    await eventually_answers(client, expected)

    infra = app.state.infrastructure
    report = await rebuild(infra.pool, infra.nats, app.state.desk_help)
    assert report.events == len(story.envelopes) * 2 + len(later.envelopes)
    assert await answers(client) == expected


async def test_the_desk_figures_of_one_site_and_period_are_for_staff_too(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    story, _ = desk_month()
    await publish(nats_server.url, story.envelopes)
    await eventually_answers(client, EXPECTED)
    haroy = await answers(client, f"{PERIOD}&site=haroy")
    assert haroy == {
        "demand": [EXPECTED["demand"][1]],
        "overlap": [],
        "referrals": [
            {"from_department": "library", "to_department": "citizen_service", "referrals": 1}
        ],
    }
    # The week of 23 March only: the records of the 22nd (a Sunday) and the 30th are outside.
    week = await client.get("/api/desk/demand?from=2026-03-23&to=2026-03-29", headers=STAFF)
    assert week.status_code == 200
    assert week.json() == EXPECTED["demand"][1:4]
