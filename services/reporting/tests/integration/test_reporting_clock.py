"""The dashboard's default period follows the Europe/Oslo date of the service's clock, pinned
here just after local midnight, when the UTC date is still the day before."""

from datetime import UTC, datetime

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock, fixed_clock
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(datetime(2026, 6, 14, 22, 30, tzinfo=UTC))  # 00:30 on 15 June in Oslo


async def test_the_default_period_ends_two_weeks_after_the_local_date(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/", headers=bearer(Role.VIEWER))
    assert page.status_code == 200
    assert "2026-04-17 \u2013 2026-06-29" in page.text  # 15 June - 59 days .. 15 June + 14 days
