"""Use cases of the shifts the service proposes by itself (decision 0025): a branch's hosting rule,
set by staff; the proposals for the coming weeks, made and withdrawn from the branch's schedule as
this service has learned it; and the hosted hours short of hosts, flagged 48 hours ahead. No HTTP
here, and no SQL: the schedule view and the shift index are ports.

Everything here may run at once in several replicas, and again after a crash: a proposal's id is
worked out from what it is, so both replicas append to the same new stream and one of them finds
it there; a withdrawal finds the proposal withdrawn; the flags of a branch append to one stream
at its expected version, so each hour is flagged once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

import structlog

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.schedule import OSLO
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.branch_schedules import BranchHours, BranchRef
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import BranchDirectory
from tvers_volunteers.adapters.shift_index import IndexedShift
from tvers_volunteers.domain import coverage, hosting_rule, publishing, shift
from tvers_volunteers.domain.coverage import FLAG_AHEAD, NO_COVERAGE, Coverage
from tvers_volunteers.domain.limits import LONGEST
from tvers_volunteers.domain.proposal_plan import NewProposal, Withdrawal, plan
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule
from tvers_volunteers.domain.shift import NO_SHIFT, Shift
from tvers_volunteers.shift_cases import ShiftCases, ShiftIndex, system_context

log = structlog.get_logger(__name__)
#: The most shifts of one branch looked at in the weeks proposed for.
MOST_SHIFTS = 2000
_DAY = timedelta(days=1)


class ScheduleView(Protocol):
    """This service's view of the branches' hours (:mod:`tvers_runtime.branch_schedules`)."""

    async def hours(self, tenant: str, branch_id: str, *, since: date) -> BranchHours: ...

    async def branches(self) -> list[BranchRef]: ...


@dataclass(frozen=True)
class Done:
    """What one pass over a branch stored: proposals made and withdrawn, hours flagged."""

    proposed: int = 0
    withdrawn: int = 0
    flagged: int = 0

    def __add__(self, other: Done) -> Done:
        return Done(
            self.proposed + other.proposed,
            self.withdrawn + other.withdrawn,
            self.flagged + other.flagged,
        )


class ProposalCases(UseCases):
    """Hosting rules, proposals and flags of short hours."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        shifts: ShiftCases,
        index: ShiftIndex,
        schedules: ScheduleView,
        branches: BranchDirectory,
        weeks: int = 4,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, one_tenant_per_stream=True)
        self._shifts = shifts
        self._index = index
        self._schedules = schedules
        self._branches = branches
        self._weeks = weeks
        self._clock = clock

    async def hosting_rule(self, tenant: str, branch_id: str) -> HostingRule:
        """The tenant's branch's rule: as staff last set it, else the default."""
        loaded = await self.load(
            hosting_rule.stream(tenant, branch_id), DEFAULT_RULE, hosting_rule.evolve
        )
        return loaded.state

    async def known_hosting_rule(self, tenant: str, branch_id: str) -> HostingRule:
        """A known branch's rule; :class:`NotFound` for a branch not known here."""
        if not await self._branches.is_known(tenant, branch_id):
            raise NotFound(f"no branch {branch_id!r} is known here")
        return await self.hosting_rule(tenant, branch_id)

    async def set_hosting_rule(
        self, context: CommandContext, *, branch_id: str, rule: HostingRule, staff_id: str
    ) -> HostingRule:
        """Staff set a known branch's rule; the proposals follow at the proposer's next pass."""
        known = await self._branches.is_known(context.tenant, branch_id)

        def decide(current: HostingRule) -> list[DomainEvent]:
            return hosting_rule.set_rule(
                current, branch_id=branch_id, branch_known=known, rule=rule, staff_id=staff_id
            )

        await self.execute(
            context,
            hosting_rule.stream(context.tenant, branch_id),
            DEFAULT_RULE,
            hosting_rule.evolve,
            decide,
        )
        return await self.hosting_rule(context.tenant, branch_id)

    async def branches(self) -> list[BranchRef]:
        """The branches whose hours this service has learned."""
        return await self._schedules.branches()

    async def propose_for(self, tenant: str, branch_id: str) -> Done:
        """Withdraw the branch's proposals the schedule and rule no longer call for, and propose
        what they call for in the coming weeks where no hosting shift lies yet."""
        now = self._clock()
        first = now.astimezone(OSLO).date()
        last = first + timedelta(weeks=self._weeks) - _DAY
        hours = await self._schedules.hours(tenant, branch_id, since=first - _DAY)
        rule = await self.hosting_rule(tenant, branch_id)
        until = datetime.combine(last + 2 * _DAY, time(0), OSLO)
        rows = await self._index.between(tenant, now, until, branch_id=branch_id, limit=MOST_SHIFTS)
        shifts = await self._shifts_of(tenant, rows)
        found = plan(
            tenant, branch_id, hours.schedule(), rule, shifts, first=first, last=last, now=now
        )
        withdrawn = 0
        for withdrawal in found.withdraw:
            withdrawn += await self._withdraw(tenant, withdrawal)
        proposed = 0
        for new in found.propose:
            proposed += await self._propose(tenant, new, now)
        return Done(proposed=proposed, withdrawn=withdrawn)

    async def flag_for(self, tenant: str, branch_id: str) -> Done:
        """Flag the branch's hosted hours within 48 hours that have fewer hosts than its rule's
        minimum, each once."""
        now = self._clock()
        today = now.astimezone(OSLO).date()
        hours = await self._schedules.hours(tenant, branch_id, since=today - _DAY)
        rule = await self.hosting_rule(tenant, branch_id)
        shifts = await self._shifts.shifts_between(
            tenant, now, now + FLAG_AHEAD + LONGEST, branch_id=branch_id, limit=MOST_SHIFTS
        )
        found = coverage.shortfalls(
            hours.schedule(), rule, coverage.hosting_shifts(shifts), now=now
        )
        if not found:
            return Done()
        stream = coverage.stream(tenant, branch_id)
        # What this process knows of the flags: most passes find every short hour flagged.
        known = await self.load(stream, NO_COVERAGE, coverage.evolve, remember=True)
        if not coverage.flag(known.state, branch_id=branch_id, found=found):
            return Done()

        def decide(state: Coverage) -> list[DomainEvent]:
            return coverage.flag(state, branch_id=branch_id, found=found)

        outcome = await self.execute(
            system_context(tenant), stream, NO_COVERAGE, coverage.evolve, decide
        )
        if outcome.events:
            log.info("hosts_below_minimum_flagged", branch_id=branch_id, hours=len(outcome.events))
        return Done(flagged=len(outcome.events))

    async def _shifts_of(self, tenant: str, rows: list[IndexedShift]) -> list[Shift]:
        """The tenant's shifts of index rows, withdrawn proposals included (a plan needs them)."""
        streams = [shift.stream(row.shift_id) for row in rows]
        loaded = await self.load_many(streams, NO_SHIFT, shift.evolve, tenant=tenant)
        return [loaded[s].state for s in streams if loaded[s].state.shift_id is not None]

    async def _withdraw(self, tenant: str, withdrawal: Withdrawal) -> int:
        def decide(state: Shift) -> list[DomainEvent]:
            return publishing.withdraw(state, reason=withdrawal.reason, staff_id=None)

        try:
            await self.execute(
                system_context(tenant),
                shift.stream(withdrawal.shift_id),
                NO_SHIFT,
                shift.evolve,
                decide,
            )
        except (Conflict, NotFound):  # confirmed or withdrawn meanwhile (staff, another replica)
            return 0
        log.info(
            "proposal_withdrawn",
            shift_id=str(withdrawal.shift_id),
            reason=withdrawal.reason.value,
        )
        return 1

    async def _propose(self, tenant: str, new: NewProposal, now: datetime) -> int:
        proposal = new.proposal
        indexed = IndexedShift(
            new.shift_id, proposal.branch_id, proposal.starts_at, proposal.ends_at
        )

        def decide(state: Shift) -> list[DomainEvent]:
            return publishing.propose(state, shift_id=new.shift_id, proposal=proposal, now=now)

        try:
            await self._shifts.create_shift(system_context(tenant), indexed, decide)
        except Conflict:  # proposed meanwhile (by another replica)
            return 0
        except DomainError as refusal:  # e.g. started meanwhile: the next pass sees
            log.warning("proposal_refused", shift_id=str(new.shift_id), reason=str(refusal))
            return 0
        log.info(
            "shift_proposed",
            shift_id=str(new.shift_id),
            branch_id=proposal.branch_id,
            starts_at=proposal.starts_at.isoformat(),
        )
        return 1
