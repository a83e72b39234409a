"""The dashboard's periods follow the Europe/Oslo date of the service's clock, pinned here just
after local midnight, when the UTC date is still the day before."""

from datetime import UTC, datetime

import httpx
import pytest

from tvers_reporting.testing.dashboard import sign_in
from tvers_runtime.clock import Clock, fixed_clock

pytestmark = pytest.mark.servers


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(datetime(2026, 6, 14, 22, 30, tzinfo=UTC))  # 00:30 on 15 June in Oslo


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("last-30-days", "2026-05-17", "2026-06-15"),
        ("last-12-months", "2025-06-16", "2026-06-15"),
        ("this-year", "2026-01-01", "2026-06-15"),
    ],
)
async def test_a_named_period_ends_on_the_local_date(
    client: httpx.AsyncClient, period: str, first: str, last: str
) -> None:
    await sign_in(client)
    page = await client.get(f"/?period={period}")
    assert page.status_code == 200
    assert f'name="from" value="{first}"' in page.text
    assert f'name="to" value="{last}"' in page.text


async def test_the_school_year_by_default_is_that_of_the_local_date(
    client: httpx.AsyncClient,
) -> None:
    await sign_in(client)
    page = (await client.get("/")).text
    assert '<option value="2025-2026" selected>' in page
