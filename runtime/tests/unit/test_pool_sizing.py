"""A service's database pool is sized from what it runs, and a pool too small to run it is
refused at start rather than left to starve."""

import pytest

from tvers_runtime.service.host import PoolTooSmall, ServiceHost, connections_needed
from tvers_runtime.settings import RuntimeSettings
from tvers_runtime.testing.sample import SampleProjection


def settings(**extra: object) -> RuntimeSettings:
    return RuntimeSettings(database_url="postgresql://unused/x", auth_key="k" * 40, **extra)  # type: ignore[arg-type]


def test_a_publishing_service_needs_its_relay_writers_and_requests() -> None:
    # relay lock + its work, two writers, two for requests
    assert connections_needed(publishes=True, projections=()) == 6


def test_each_projection_source_and_each_upgrade_needs_a_lock_and_a_working_connection() -> None:
    one_source = SampleProjection()
    assert connections_needed(publishes=False, projections=[one_source]) == 2 * 2 + 2
    assert connections_needed(publishes=False, projections=[one_source, one_source]) == 4 * 2 + 2


def test_the_default_pool_leaves_room_for_requests() -> None:
    host = ServiceHost(name="sample", settings=settings(), projections=[SampleProjection()])
    assert host.pool_size > connections_needed(publishes=True, projections=[SampleProjection()])


def test_a_pool_too_small_for_what_the_service_runs_is_refused() -> None:
    with pytest.raises(PoolTooSmall, match="need at least 10"):
        ServiceHost(
            name="sample", settings=settings(db_pool_size=4), projections=[SampleProjection()]
        )
