"""A record is checked against the category list this process read only just now (the hot path:
twenty desks at once), so a change made through another replica reaches its records within
seconds, and one made through this replica at once."""

from uuid import uuid4

import pytest

from tvers_contracts import REGISTRY
from tvers_contracts.events.desk import Channel, Department, Duration
from tvers_desk.application import CATEGORIES_FRESH_FOR_SECONDS, DeskCases
from tvers_desk.domain.errors import CategoryNotOffered
from tvers_desk.domain.help_record import NewHelp
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_runtime.application import CommandContext
from tvers_runtime.eventstore import InMemoryEventStore

TENANT = "1508"
PRINTING = NewHelp(
    site="skodje",
    department=Department.LIBRARY,
    category_id="printing-scanning",
    channel=Channel.IN_PERSON,
    duration=Duration.UNDER_5_MINUTES,
)


class Seconds:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def context() -> CommandContext:
    return CommandContext(tenant=TENANT, correlation_id=uuid4(), principal="staff")


async def two_replicas() -> tuple[DeskCases, DeskCases, Seconds]:
    store = InMemoryEventStore()
    seconds = Seconds()
    here = DeskCases(store, REGISTRY, sites=DEFAULT_SITES, monotonic=seconds)
    elsewhere = DeskCases(store, REGISTRY, sites=DEFAULT_SITES)
    await here.start_categories(TENANT)
    await here.give_help(context(), PRINTING)  # the list is read, and kept
    return here, elsewhere, seconds


async def test_a_category_retired_on_another_replica_is_refused_here_once_the_list_is_stale() -> (
    None
):
    here, elsewhere, seconds = await two_replicas()
    await elsewhere.retire_category(context(), "printing-scanning")
    seconds.now += CATEGORIES_FRESH_FOR_SECONDS - 0.1
    await here.give_help(context(), PRINTING)  # within the documented few seconds
    seconds.now += 0.2
    with pytest.raises(CategoryNotOffered):
        await here.give_help(context(), PRINTING)


async def test_a_category_retired_through_this_replica_is_refused_at_once() -> None:
    here, _, _ = await two_replicas()
    await here.retire_category(context(), "printing-scanning")
    with pytest.raises(CategoryNotOffered):
        await here.give_help(context(), PRINTING)


async def test_reading_the_list_shows_a_change_from_another_replica_at_once() -> None:
    here, elsewhere, _ = await two_replicas()
    await elsewhere.retire_category(context(), "printing-scanning")
    assert (await here.categories(TENANT)).get("printing-scanning").retired
