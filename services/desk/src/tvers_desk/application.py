"""The desk's use cases: each loads what it needs, lets the domain decide, and stores the
outcome. No HTTP here, and no SQL."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import TypeVar

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.desk import HelpGiven, HelpUndone, UndoReason
from tvers_desk.domain import categories, help_record
from tvers_desk.domain.categories import NO_CATEGORIES, CategoryList
from tvers_desk.domain.errors import HelpNotFound
from tvers_desk.domain.help_record import NO_RECORD, UNDO_WINDOW, HelpRecord, NewHelp
from tvers_runtime.application import CommandContext, Decide, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys

#: How long a record goes by the category list this process last read, before reading the
#: changes again (decision 0043): a category added, renamed or retired through another replica
#: is seen by records here within this time; through this one, at once.
CATEGORIES_FRESH_FOR_SECONDS = 2.0


class DeskCases(UseCases):
    """Help given at the innbyggartorg desks, undone, and the category list it is counted by."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        sites: Mapping[str, str],
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
        undo_window: timedelta = UNDO_WINDOW,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        # Help records are streams by random id: one belongs to the tenant that made it.
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self.sites = sites
        self.undo_window = undo_window
        #: The time the rules go by (the page reads it to offer undo while it may be done).
        self.clock = clock
        self._now = clock
        self._monotonic = monotonic
        #: When each tenant's category list was last read (``monotonic``), for records.
        self._categories_read_at: dict[str, float] = {}
        #: The read of a tenant's list under way for records: the desks recording at the moment
        #: it went stale wait for this one read instead of each reading it (twenty at once).
        self._category_reads: dict[str, asyncio.Future[CategoryList]] = {}
        #: How often each tenant's list was changed through this process: a read that began
        #: before a change does not count as fresh after it.
        self._category_changes: dict[str, int] = {}

    async def categories(self, tenant: str) -> CategoryList:
        """The tenant's category list, retired categories included, as it stands now (kept in
        the process: each read reads only the changes since the last)."""
        read_at, changes = self._monotonic(), self._category_changes.get(tenant, 0)
        loaded = await self.load(
            categories.stream(tenant), NO_CATEGORIES, categories.evolve, remember=True
        )
        if self._category_changes.get(tenant, 0) == changes:
            self._categories_read_at[tenant] = read_at
        return loaded.state

    async def _categories_for_a_record(self, tenant: str) -> CategoryList:
        """The list a record is checked against: as last read, if that was only just now (a
        record is the hot path, twenty desks at once; the list changes a few times a year)."""
        read_at = self._categories_read_at.get(tenant)
        known = self.remembered(categories.stream(tenant), categories.evolve)
        if (
            known is not None
            and read_at is not None
            and self._monotonic() - read_at < CATEGORIES_FRESH_FOR_SECONDS
        ):
            return known
        reading = self._category_reads.get(tenant)
        if reading is None:
            reading = asyncio.ensure_future(self.categories(tenant))
            self._category_reads[tenant] = reading
            reading.add_done_callback(lambda done: self._read_done(tenant, done))
        # Shielded: a desk that gives up (its client went away) does not cancel the others' read.
        return await asyncio.shield(reading)

    def _read_done(self, tenant: str, done: asyncio.Future[CategoryList]) -> None:
        if self._category_reads.get(tenant) is done:
            del self._category_reads[tenant]
        if not done.cancelled():
            done.exception()  # every waiting record has heard it; nobody else needs to

    async def start_categories(self, tenant: str) -> int:
        """Give a list that never had an event the default categories (once, whichever replica
        comes first); how many were added."""
        context = CommandContext(tenant=tenant, correlation_id=uuid.uuid4(), principal="desk")
        outcome = await self.execute(
            context,
            categories.stream(tenant),
            NO_CATEGORIES,
            categories.evolve,
            categories.start_with_defaults,
        )
        return len(outcome.events)

    async def add_category(
        self, context: CommandContext, category_id: str, name: str, name_en: str
    ) -> None:
        """Add a category to the tenant's list."""
        await self._change_categories(
            context, lambda known: categories.add(known, category_id, name, name_en)
        )

    async def rename_category(
        self,
        context: CommandContext,
        category_id: str,
        name: str | None = None,
        name_en: str | None = None,
    ) -> None:
        """Give a category a new name in nynorsk, English or both; its id stays."""
        await self._change_categories(
            context, lambda known: categories.rename(known, category_id, name, name_en)
        )

    async def retire_category(self, context: CommandContext, category_id: str) -> None:
        """Stop offering a category."""
        await self._change_categories(context, lambda known: categories.retire(known, category_id))

    async def _change_categories(
        self, context: CommandContext, decide: Decide[CategoryList]
    ) -> None:
        try:
            await self.execute(
                context,
                categories.stream(context.tenant),
                NO_CATEGORIES,
                categories.evolve,
                decide,
            )
        finally:  # records here read the list again, so they see the change at once
            self._category_changes[context.tenant] = (
                self._category_changes.get(context.tenant, 0) + 1
            )
            self._categories_read_at.pop(context.tenant, None)
            self._category_reads.pop(context.tenant, None)

    async def give_help(self, context: CommandContext, new: NewHelp) -> HelpGiven:
        """Record help given; the same request repeated with its idempotency key gives the
        same record back, stored once."""
        help_id = context.new_id("help")
        known = await self._categories_for_a_record(context.tenant)
        now = self._now()
        outcome = await self.execute(
            context,
            help_record.stream(help_id),
            NO_RECORD,
            help_record.evolve,
            lambda record: help_record.give(
                record, help_id, new, sites=self.sites, categories=known, now=now
            ),
            new_stream=True,
            occurred_at=now,
        )
        return _the(HelpGiven, outcome.events)

    async def undo_help(
        self,
        context: CommandContext,
        help_id: uuid.UUID,
        reason: UndoReason,
        *,
        only_site: str | None = None,
    ) -> HelpUndone:
        """Undo a record within the undo window (``only_site``: a desk's own records only)."""
        now = self._now()
        outcome = await self.execute(
            context,
            help_record.stream(help_id),
            NO_RECORD,
            help_record.evolve,
            lambda record: help_record.undo(
                record, reason, now=now, only_site=only_site, window=self.undo_window
            ),
            occurred_at=now,
        )
        return _the(HelpUndone, outcome.events)

    async def record(
        self, tenant: str, help_id: uuid.UUID, *, only_site: str | None = None
    ) -> HelpRecord:
        """A help record as it stands (:class:`~.errors.HelpNotFound` when there is none for
        the caller)."""
        loaded = await self.load(
            help_record.stream(help_id), NO_RECORD, help_record.evolve, tenant=tenant
        )
        record = loaded.state
        if record.given is None or (only_site is not None and record.given.site != only_site):
            raise HelpNotFound("no such help record")
        return record


E = TypeVar("E", bound=DomainEvent)


def _the(kind: type[E], events: Sequence[DomainEvent]) -> E:
    """The one event of ``kind`` a command stored."""
    found = [event for event in events if isinstance(event, kind)]
    if len(found) != 1:
        raise RuntimeError(f"expected one {kind.__name__}, found {len(found)}")
    return found[0]
