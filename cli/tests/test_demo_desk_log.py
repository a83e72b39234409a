"""The demo's year at the innbyggartorg desks: weekdays in opening hours at the five sites,
records the desk takes, more overlap and more referrals at Skodje and Harøy, a few undone within
the undo window, the same records under the same keys for the same day, and the id the desk gives
a record known beforehand (so a second fill sees the year is there and sends nothing)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from tvers_cli.demo.client import desk_subject
from tvers_cli.demo.desk_log import SITES, DeskRecord, record_now, year_of_records
from tvers_cli.demo.fill_desk import help_id_of
from tvers_cli.demo.places import ZONE
from tvers_cli.demo.simulated import desk_settings_of
from tvers_contracts.events.desk import HelpGiven
from tvers_desk.bootstrap import build_app
from tvers_desk.domain.categories import DEFAULT_CATEGORIES
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_desk.settings import DeskSettings
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer, service_settings
from tvers_runtime.testing.servers import NatsUnderTest

DAY = date(2026, 11, 30)
CO_LOCATED = {"skodje", "haroy"}


@pytest.fixture(scope="module")
def year() -> list[DeskRecord]:
    return year_of_records(DAY)


def test_the_year_is_weekdays_in_opening_hours_at_the_five_sites(year: list[DeskRecord]) -> None:
    assert {r.site for r in year} == set(DEFAULT_SITES)
    local = [r.at.astimezone(ZONE) for r in year]
    assert DAY - timedelta(days=365) <= min(local).date()
    assert max(local).date() < DAY
    assert all(at.weekday() < 5 and time(9) <= at.time() < time(18) for at in local)
    assert not [at for at in local if (at.month, at.day) in ((12, 25), (5, 17))]
    assert 3000 < len(year) < 6000, "a believable year, and a quick fill"


def test_every_record_is_one_the_desk_takes_and_an_undo_falls_in_the_window(
    year: list[DeskRecord],
) -> None:
    categories = {category_id for category_id, _, _ in DEFAULT_CATEGORIES}
    for record in year:
        assert record.category_id in categories
        HelpGiven.model_validate({"help_id": UUID(int=0), "given_at": record.at, **record.body()})
        if record.undone_at is not None:
            assert timedelta(0) < record.undone_at - record.at < timedelta(minutes=5)
    undone = sum(r.undone_at is not None for r in year)
    assert 0.005 * len(year) < undone < 0.03 * len(year)


def test_skodje_and_haroy_share_more_work_and_send_more_citizens_across(
    year: list[DeskRecord],
) -> None:
    departments: dict[tuple[str, str], set[str]] = defaultdict(set)
    referred: dict[str, list[bool]] = defaultdict(list)
    for record in year:
        departments[record.site, record.category_id].add(record.department)
        referred[record.site].append(record.referred_to is not None)
    overlap = {
        site: sum(len(d) > 1 for (s, _), d in departments.items() if s == site)
        for site in DEFAULT_SITES
    }
    assert all(overlap[site] >= 4 for site in CO_LOCATED)
    assert all(overlap[site] <= 1 for site in set(DEFAULT_SITES) - CO_LOCATED)
    share = {site: sum(flags) / len(flags) for site, flags in referred.items()}
    assert min(share[s] for s in CO_LOCATED) > max(
        share[s] for s in set(DEFAULT_SITES) - CO_LOCATED
    )
    assert 0.05 < sum(sum(f) for f in referred.values()) / len(year) < 0.2


def test_the_same_day_makes_the_same_records_under_keys_of_their_own(
    year: list[DeskRecord],
) -> None:
    assert year_of_records(DAY) == year
    keys = [r.key for r in year] + [f"{r.key}-undo" for r in year if r.undone_at]
    assert len(set(keys)) == len(keys)


def test_the_simulated_desk_runs_with_its_processs_settings() -> None:
    settings = desk_settings_of(
        {"TVERS_DATABASE_URL": "postgresql://desk@127.0.0.1:1/desk", "TVERS_HTTP_PORT": "8104"}
    )
    assert settings.database_url.get_secret_value().endswith("/desk")
    assert settings.http_port == 8104


@pytest.fixture
def app(database_url: str, nats_server: NatsUnderTest, year: list[DeskRecord]) -> FastAPI:
    moment = year[0].at.astimezone(UTC)
    settings = service_settings(DeskSettings, database_url, nats_server.url)
    return build_app(settings, clock=lambda: moment)


@pytest.mark.servers
async def test_the_desk_gives_a_record_the_id_the_fill_expects_and_keeps_its_time(
    client: httpx.AsyncClient, year: list[DeskRecord]
) -> None:
    first = year[0]
    token = bearer(Role.DESK, site_id=first.site, subject=desk_subject(first.site))
    headers = {**token, "Idempotency-Key": first.key}
    for _ in range(2):  # the second fill repeats it: the same record
        answer = await client.post("/help", json=first.body(), headers=headers)
        assert answer.status_code == 201, answer.text
        assert answer.json()["help_id"] == str(help_id_of("1508", first))
        assert datetime.fromisoformat(answer.json()["given_at"]) == first.at


def test_a_live_record_is_one_the_desk_takes_at_the_site_it_is_for() -> None:
    rng = random.Random(7)
    for site in SITES:
        record = record_now(site, f"demo-live-x-desk-{site.site_id}", rng)
        assert record.site == site.site_id
        assert record.undone_at is None
        HelpGiven.model_validate({"help_id": UUID(int=0), "given_at": record.at, **record.body()})
