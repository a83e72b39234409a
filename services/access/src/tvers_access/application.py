"""The access service's use cases: each loads what it needs, lets the domain decide, and
stores the outcome. No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import structlog

from tvers_access.adapters.pseudonyms import (
    MonthKeyDestroyed,
    MonthKeys,
    PatronReferences,
    door_reference,
    month_of,
)
from tvers_access.domain import agreement, branch, door, hours, retention, rules
from tvers_access.domain.agreement import Agreement
from tvers_access.domain.branch import Branch
from tvers_access.domain.entry import (
    UNREACHABLE,
    Decision,
    LibraryAnswer,
    decide_entry,
    needs_library_check,
)
from tvers_access.domain.hosts import CheckedInHosts
from tvers_access.domain.patron import LibrarySystem, LibrarySystemUnreachable
from tvers_access.domain.retention import DayLog, DayLogs, Retention, day_log
from tvers_access.domain.rules import AccessRules
from tvers_access.domain.streams import (
    agreement_stream,
    branch_stream,
    door_stream,
    presentations_stream,
    retention_stream,
)
from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.access import (
    DayPeriod,
    EntryDenied,
    EntryGranted,
    PatronKeyDestroyed,
    SchedulePeriod,
    SuspensionReason,
)
from tvers_runtime.application import CommandContext, Outcome, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound, RuleViolated
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys

CLOCK_SKEW = timedelta(minutes=5)
log = structlog.get_logger(__name__)


class AccessApplication(UseCases):
    """Use cases of meirope access."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        patrons: PatronReferences,
        month_keys: MonthKeys,
        library: LibrarySystem,
        *,
        hosts: CheckedInHosts,
        timezone: str,
        backfill: timedelta,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
        day_logs: DayLogs | None = None,
    ) -> None:
        super().__init__(store, registry, keys=keys)
        self._patrons = patrons
        self._month_keys = month_keys
        self._library = library
        self._hosts = hosts
        self._zone = ZoneInfo(timezone)
        self._backfill = backfill
        self._clock = clock
        self._day_logs = day_logs

    async def register_branch(
        self, context: CommandContext, *, branch_id: str, name: str, meirope_min_age: int
    ) -> Outcome:
        """Register a branch."""
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: branch.register(
                state, branch_id=branch_id, name=name, meirope_min_age=meirope_min_age
            ),
        )

    async def set_schedule(
        self, context: CommandContext, branch_id: str, periods: Sequence[SchedulePeriod]
    ) -> Outcome:
        """Replace a branch's weekly schedule."""
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: branch.set_schedule(state, periods),
        )

    async def branch(self, branch_id: str) -> branch.Branch:
        """A branch as it stands (or ``NO_BRANCH``)."""
        return (await self.load(branch_stream(branch_id), branch.NO_BRANCH, branch.evolve)).state

    # The schedule's dated exceptions, the branch status and the published hours (0013).

    async def set_exception(
        self,
        context: CommandContext,
        branch_id: str,
        *,
        day: date,
        periods: Sequence[DayPeriod],
        label: str | None,
        now: datetime,
    ) -> Outcome:
        """Set the hours of one date apart from the weekly schedule."""
        today = now.astimezone(self._zone).date()
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: branch.set_exception(
                state, day=day, periods=periods, label=label, today=today
            ),
        )

    async def remove_exception(
        self, context: CommandContext, branch_id: str, *, day: date, now: datetime
    ) -> Outcome:
        """Let a date follow the weekly schedule again."""
        today = now.astimezone(self._zone).date()
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: branch.remove_exception(state, day=day, today=today),
        )

    async def branch_status(
        self, branch_id: str, *, tenant: str, now: datetime
    ) -> hours.BranchStatus:
        """A branch's mode now, its next change, and the volunteer hosts checked in there."""
        found = await self._registered(branch_id)
        hosts_here = await self._hosts.at_branch(tenant, branch_id)
        return hours.status(found, self._zone, now, hosts_here)

    async def published_hours(
        self, branch_id: str, *, first: date, last: date
    ) -> hours.PublishedHours:
        """A branch's staffed and meirope periods over a range of dates (see
        :func:`tvers_access.domain.hours.date_range` for the range)."""
        return hours.publish(await self._registered(branch_id), self._zone, first, last)

    async def _registered(self, branch_id: str) -> Branch:
        found = await self.branch(branch_id)
        if not found.registered:
            raise NotFound(f"no branch {branch_id!r}")
        return found

    @property
    def zone(self) -> ZoneInfo:
        """The municipality's time zone, which every schedule is read in."""
        return self._zone

    async def register_door(
        self, context: CommandContext, *, door_id: str, branch_id: str, name: str
    ) -> Outcome:
        """Register a door panel at a branch."""
        at_branch = await self.branch(branch_id)
        return await self.execute(
            context,
            door_stream(door_id),
            door.NO_DOOR,
            door.evolve,
            lambda state: door.register(state, at_branch, door_id=door_id, name=name),
        )

    async def set_access_rules(
        self, context: CommandContext, branch_id: str, new_rules: AccessRules
    ) -> Outcome:
        """Set a branch's ages, guardian window and fallback for an unreachable ILS."""
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: rules.set_rules(state.branch_id, new_rules),
        )

    async def set_retention(
        self, context: CommandContext, branch_id: str, new_retention: Retention
    ) -> Outcome:
        """Set how long the branch keeps each kind of door log."""
        return await self.execute(
            context,
            branch_stream(branch_id),
            branch.NO_BRANCH,
            branch.evolve,
            lambda state: retention.set_retention(state.branch_id, new_retention),
        )

    async def destroy_expired_keys(self, tenant: str) -> list[tuple[str, date]]:
        """Destroy every month key whose month lies wholly beyond its branch's retention for
        door decisions. Each destruction is first recorded as ``PatronKeyDestroyed`` under an
        id derived from branch and month (so two replicas, or a retry after a crash, record it
        once), then carried out. Returns what was destroyed now."""
        today = self._clock().astimezone(self._zone).date()
        destroyed = []
        for branch_id, months in sorted((await self._month_keys.live_months()).items()):
            rules = (await self.branch(branch_id)).retention
            for month in retention.keys_due(months, today, rules):
                context = CommandContext(
                    tenant=tenant,
                    correlation_id=uuid4(),
                    idempotency_key=f"patron-key-destroyed/{branch_id}/{month:%Y-%m}",
                    principal="system:retention",
                )
                event = PatronKeyDestroyed(
                    branch_id=branch_id, month=month, retention_days=rules.door_decisions_days
                )
                await self.execute(
                    context,
                    retention_stream(branch_id),
                    None,
                    lambda state, _: state,
                    _always([event]),
                    check_version=False,
                )
                await self._month_keys.destroy(branch_id, month)
                log.info("patron_key_destroyed", branch_id=branch_id, month=f"{month:%Y-%m}")
                destroyed.append((branch_id, month))
        return destroyed

    async def remove_expired_day_logs(self) -> int:
        """Remove the day logs (presentations, counter readings, alarms) whose day lies beyond
        their branch's retention for their kind; how many events went."""
        if self._day_logs is None:
            return 0
        today = self._clock().astimezone(self._zone).date()
        day_logs = [found for s in await self._day_logs.streams() if (found := day_log(s))]
        doors = {
            entry.owner: (await self.load(door_stream(entry.owner), door.NO_DOOR, door.evolve))
            for entry in day_logs
            if entry.kind == "presentations"
        }

        def branch_of(entry: DayLog) -> str | None:
            return (
                doors[entry.owner].state.branch_id if entry.kind == "presentations" else entry.owner
            )

        owners = {branch_id for entry in day_logs if (branch_id := branch_of(entry)) is not None}
        kept = {branch_id: (await self.branch(branch_id)).retention for branch_id in owners}
        due = retention.logs_due(day_logs, today, branch_of, kept.__getitem__)
        removed = await self._day_logs.remove_published([entry.stream_id for entry in due])
        if removed:
            log.info("door_logs_removed", streams=len(due), events=removed)
        return removed

    async def sign_agreement(
        self,
        context: CommandContext,
        *,
        card_number: str,
        guardian_consent: bool,
        birth_date: date | None = None,
        guardian_card_number: str | None = None,
    ) -> Outcome:
        """A patron signs the meirope agreement; a child's names the guardian by card."""
        patron_ref = self._patrons.of(card_number)
        guardian_ref = None
        if guardian_card_number is not None:
            guardian_ref = self._patrons.of(guardian_card_number)
            guardian = await self.agreement_of(guardian_ref)
            if guardian_consent and not guardian.signed:
                raise RuleViolated("the guardian has no meirope agreement of their own")
        today = self._clock().astimezone(self._zone).date()
        return await self.execute(
            context,
            agreement_stream(patron_ref),
            agreement.NO_AGREEMENT,
            agreement.evolve,
            lambda state: agreement.sign(
                state,
                patron_ref=patron_ref,
                guardian_consent=guardian_consent,
                birth_date=birth_date,
                guardian_ref=guardian_ref,
                today=today,
            ),
        )

    async def suspend_agreement(
        self, context: CommandContext, *, card_number: str, reason: SuspensionReason
    ) -> Outcome:
        """Staff suspend a patron's meirope access."""
        patron_ref = self._patrons.of(card_number)
        return await self._change_agreement(
            context,
            patron_ref,
            lambda state: agreement.suspend(state, patron_ref=patron_ref, reason=reason),
        )

    async def restore_agreement(self, context: CommandContext, *, card_number: str) -> Outcome:
        """Staff lift a suspension."""
        patron_ref = self._patrons.of(card_number)
        return await self._change_agreement(
            context, patron_ref, lambda state: agreement.restore(state, patron_ref=patron_ref)
        )

    async def withdraw_agreement(self, context: CommandContext, *, card_number: str) -> Outcome:
        """The agreement ends."""
        patron_ref = self._patrons.of(card_number)
        return await self._change_agreement(
            context, patron_ref, lambda state: agreement.withdraw(state, patron_ref=patron_ref)
        )

    async def _change_agreement(
        self,
        context: CommandContext,
        patron_ref: str,
        decide: Callable[[Agreement], list[DomainEvent]],
    ) -> Outcome:
        return await self.execute(
            context, agreement_stream(patron_ref), agreement.NO_AGREEMENT, agreement.evolve, decide
        )

    async def agreement_of(self, patron_ref: str) -> Agreement:
        """A patron's agreement as it stands."""
        loaded = await self.load(
            agreement_stream(patron_ref), agreement.NO_AGREEMENT, agreement.evolve
        )
        return loaded.state

    async def agreement_of_card(self, card_number: str) -> Agreement:
        """The agreement of the patron holding a card."""
        return await self.agreement_of(self._patrons.of(card_number))

    async def present_card(
        self,
        context: CommandContext,
        *,
        door_id: str,
        card_number: str,
        pin: str,
        presented_at: datetime | None = None,
    ) -> Decision:
        """A card and PIN at a door (now, or when a panel that was offline says): decide,
        record, and tell the panel."""
        now = self._clock()
        presented_at = presented_at or now
        if presented_at > now + CLOCK_SKEW:
            raise RuleViolated("presented_at lies in the future")
        if presented_at < now - self._backfill:
            raise RuleViolated(f"presented_at is older than {self._backfill.days} days")
        at_door = (await self.load(door_stream(door_id), door.NO_DOOR, door.evolve)).state
        if at_door.branch_id is None:
            raise NotFound(f"no door {door_id!r}")
        at_branch = await self.branch(at_door.branch_id)
        local = presented_at.astimezone(self._zone)
        today = now.astimezone(self._zone).date()
        days = at_branch.retention.door_decisions_days
        retention.check_kept(local.date(), today, days, "presented_at")
        agreement_ref = self._patrons.of(card_number)
        try:
            month_key = await self._month_keys.key_for(at_door.branch_id, month_of(local))
        except MonthKeyDestroyed as gone:
            raise RuleViolated(
                "presented_at lies beyond the branch's retention of door logs"
            ) from gone
        signed = await self.agreement_of(agreement_ref)
        library: LibraryAnswer = None
        if needs_library_check(at_branch, local):
            library = await self._ask_library(card_number, pin)
        decision = decide_entry(
            door_id=door_id,
            branch=at_branch,
            agreement=signed,
            patron_ref=door_reference(month_key, agreement_ref),
            local_time=local,
            library=library,
            guardian_entries=await self._guardian_entries(at_branch, door_id, signed, local),
        )
        outcome = await self.execute(
            context,
            presentations_stream(door_id, local.date()),
            None,
            lambda state, _: state,
            lambda _: [decision.event],
            check_version=False,
            occurred_at=presented_at,
        )
        recorded = outcome.events[0]
        if recorded != decision.event:  # a repeated request: what was decided the first time
            assert isinstance(recorded, EntryGranted | EntryDenied)
            return Decision(recorded)
        return decision

    async def _ask_library(self, card_number: str, pin: str) -> LibraryAnswer:
        try:
            return await self._library.patron_status(card_number, pin)
        except LibrarySystemUnreachable:
            log.warning("library_system_unreachable")
            return UNREACHABLE

    async def _guardian_entries(
        self, at_branch: Branch, door_id: str, child: Agreement, local: datetime
    ) -> list[datetime]:
        """When the child's guardian was let in at this door within the guardian window before
        ``local`` (the window may reach into yesterday, and into last month)."""
        if child.guardian_ref is None or at_branch.branch_id is None:
            return []
        earliest = local - at_branch.rules.guardian_window
        guardian_refs = set()
        for month in {month_of(earliest), month_of(local)}:
            key = await self._month_keys.existing_key(at_branch.branch_id, month)
            if key is not None:
                guardian_refs.add(door_reference(key, child.guardian_ref))
        entries = []
        for day in sorted({earliest.date(), local.date()}):
            for stored in await self._store.read_stream(presentations_stream(door_id, day)):
                if stored.event_type != EntryGranted.event_type():
                    continue
                event = stored.decode(self._registry).payload
                if isinstance(event, EntryGranted) and event.patron_ref in guardian_refs:
                    entries.append(stored.occurred_at)
        return entries


def _always(events: list[DomainEvent]) -> Callable[[object], list[DomainEvent]]:
    """A decision that records ``events`` whatever the stream holds (a log-like stream)."""
    return lambda _: events
