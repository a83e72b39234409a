"""The access service's use cases: each loads what it needs, lets the domain decide, and
stores the outcome. No HTTP here, and no SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.domain import agreement, branch, door, hours
from tvers_access.domain.branch import Branch
from tvers_access.domain.entry import decide_entry
from tvers_access.domain.streams import (
    agreement_stream,
    branch_stream,
    door_stream,
    presentations_stream,
)
from tvers_contracts import EventRegistry
from tvers_contracts.events.access import DayPeriod, EntryDenied, EntryGranted, SchedulePeriod
from tvers_runtime.application import CommandContext, Outcome, UseCases
from tvers_runtime.domain import NotFound, RuleViolated
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class EntryDecision:
    """What the door panel is told."""

    granted: bool
    opening: str
    reason: str | None


class AccessApplication(UseCases):
    """Use cases of meirope access."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        patrons: PatronReferences,
        *,
        timezone: str,
        backfill: timedelta,
        keys: IdempotencyKeys | None = None,
    ) -> None:
        super().__init__(store, registry, keys=keys)
        self._patrons = patrons
        self._zone = ZoneInfo(timezone)
        self._backfill = backfill

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

    async def branch_status(self, branch_id: str, *, now: datetime) -> hours.BranchStatus:
        """A branch's mode now and its next change."""
        return hours.status(await self._registered(branch_id), self._zone, now)

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

    async def sign_agreement(
        self, context: CommandContext, *, card_number: str, guardian_consent: bool
    ) -> Outcome:
        """A patron signs the meirope agreement."""
        patron_ref = self._patrons.of(card_number)
        return await self.execute(
            context,
            agreement_stream(patron_ref),
            agreement.NO_AGREEMENT,
            agreement.evolve,
            lambda state: agreement.sign(
                state, patron_ref=patron_ref, guardian_consent=guardian_consent
            ),
        )

    async def present_card(
        self,
        context: CommandContext,
        *,
        door_id: str,
        card_number: str,
        presented_at: datetime,
        now: datetime,
    ) -> EntryDecision:
        """A card (and PIN) at a door: decide, record, and tell the panel."""
        if presented_at > now + CLOCK_SKEW:
            raise RuleViolated("presented_at lies in the future")
        if presented_at < now - self._backfill:
            raise RuleViolated(f"presented_at is older than {self._backfill.days} days")
        at_door = (await self.load(door_stream(door_id), door.NO_DOOR, door.evolve)).state
        if at_door.branch_id is None:
            raise NotFound(f"no door {door_id!r}")
        at_branch = await self.branch(at_door.branch_id)
        patron_ref = self._patrons.of(card_number)
        signed = await self.load(
            agreement_stream(patron_ref), agreement.NO_AGREEMENT, agreement.evolve
        )
        local = presented_at.astimezone(self._zone)
        decision = decide_entry(
            door_id=door_id,
            branch=at_branch,
            agreement=signed.state,
            patron_ref=patron_ref,
            local_time=local,
        )
        outcome = await self.execute(
            context,
            presentations_stream(door_id, local.date()),
            None,
            lambda state, _: state,
            lambda _: [decision],
            check_version=False,
            occurred_at=presented_at,
        )
        return _as_decision(outcome)


def _as_decision(outcome: Outcome) -> EntryDecision:
    event = outcome.events[0]
    if isinstance(event, EntryGranted):
        return EntryDecision(True, event.opening.value, None)
    assert isinstance(event, EntryDenied)
    return EntryDecision(False, event.opening.value, event.reason.value)
