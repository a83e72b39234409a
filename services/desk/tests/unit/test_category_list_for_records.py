"""A record is checked against the category list this process read only just now (the hot path:
twenty desks at once), so a change made through another replica reaches its records within
seconds, and one made through this replica at once."""

import asyncio
from uuid import uuid4

import pytest

from tvers_contracts import REGISTRY
from tvers_contracts.events.desk import Channel, Department, Duration
from tvers_desk.application import CATEGORIES_FRESH_FOR_SECONDS, DeskCases
from tvers_desk.domain import categories
from tvers_desk.domain.errors import CategoryNotOffered
from tvers_desk.domain.help_record import NewHelp
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_runtime.application import CommandContext
from tvers_runtime.eventstore import InMemoryEventStore, StoredEvent

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


class HeldCategoryReads(InMemoryEventStore):
    """An event store that counts the reads of the category list and can hold the next one:
    read, its answer kept back until ``release`` (a read under way while desks record)."""

    def __init__(self) -> None:
        super().__init__()
        self.category_reads = 0
        self.holding = False
        self.release = asyncio.Event()
        self._held = asyncio.Event()

    async def held(self) -> None:
        """Wait until the read to hold has begun (and is held)."""
        await self._held.wait()

    async def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        events = await super().read_stream(stream_id, after_version=after_version)
        if stream_id == categories.stream(TENANT):
            self.category_reads += 1
            if self.holding:
                self.holding = False
                self._held.set()
                await self.release.wait()
        return events


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


async def held_replica() -> tuple[DeskCases, HeldCategoryReads, Seconds]:
    store = HeldCategoryReads()
    seconds = Seconds()
    here = DeskCases(store, REGISTRY, sites=DEFAULT_SITES, monotonic=seconds)
    await here.start_categories(TENANT)
    await here.give_help(context(), PRINTING)
    seconds.now += CATEGORIES_FRESH_FOR_SECONDS + 0.1  # the list kept here is stale now
    store.category_reads = 0
    return here, store, seconds


async def test_twenty_desks_recording_on_a_stale_list_read_it_once_between_them() -> None:
    here, store, _ = await held_replica()
    store.holding = True
    records = [asyncio.create_task(here.give_help(context(), PRINTING)) for _ in range(20)]
    await store.held()
    store.release.set()
    given = await asyncio.gather(*records)
    assert len({record.help_id for record in given}) == 20
    assert store.category_reads == 1


async def test_a_record_after_a_change_here_does_not_go_by_a_read_begun_before_it() -> None:
    here, store, _ = await held_replica()
    store.holding = True
    early = asyncio.create_task(here.give_help(context(), PRINTING))
    await store.held()  # its read of the list (still offering printing) is under way
    await here.retire_category(context(), "printing-scanning")
    store.release.set()
    await early  # began before the retirement: goes by the list as it was
    with pytest.raises(CategoryNotOffered):
        await here.give_help(context(), PRINTING)


async def test_a_desk_that_gives_up_does_not_cancel_the_read_the_others_wait_for() -> None:
    here, store, _ = await held_replica()
    store.holding = True
    leaving = asyncio.create_task(here.give_help(context(), PRINTING))
    staying = asyncio.create_task(here.give_help(context(), PRINTING))
    await store.held()
    leaving.cancel()
    store.release.set()
    assert (await staying).category_id == "printing-scanning"
    assert leaving.cancelled()
    assert store.category_reads == 1
