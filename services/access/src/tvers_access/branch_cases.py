"""Use cases of branches: registration, schedules and their dated exceptions, status and
published hours, doors, access rules and retention."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from tvers_access.access_cases import AccessCases
from tvers_access.domain import branch, door, hours, retention, rules
from tvers_access.domain.branch import Branch
from tvers_access.domain.retention import Retention
from tvers_access.domain.rules import AccessRules
from tvers_access.domain.streams import (
    branch_stream,
    door_stream,
)
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    DayPeriod,
    SchedulePeriod,
)
from tvers_runtime.application import CommandContext, Outcome


class BranchCases(AccessCases):
    """Branches, their schedules and rules, and their doors."""

    async def register_branch(
        self, context: CommandContext, *, branch_id: str, name: str, meirope_min_age: int
    ) -> Outcome:
        """Register a branch."""
        return await self._change_branch(
            context,
            branch_id,
            lambda state: branch.register(
                state, branch_id=branch_id, name=name, meirope_min_age=meirope_min_age
            ),
        )

    async def set_schedule(
        self, context: CommandContext, branch_id: str, periods: Sequence[SchedulePeriod]
    ) -> Outcome:
        """Replace a branch's weekly schedule."""
        return await self._change_branch(
            context,
            branch_id,
            lambda state: branch.set_schedule(state, periods),
        )

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
        return await self._change_branch(
            context,
            branch_id,
            lambda state: branch.set_exception(
                state, day=day, periods=periods, label=label, today=today
            ),
        )

    async def remove_exception(
        self, context: CommandContext, branch_id: str, *, day: date, now: datetime
    ) -> Outcome:
        """Let a date follow the weekly schedule again."""
        today = now.astimezone(self._zone).date()
        return await self._change_branch(
            context,
            branch_id,
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
        return await self._change_branch(
            context,
            branch_id,
            lambda state: rules.set_rules(state.branch_id, new_rules),
        )

    async def set_retention(
        self, context: CommandContext, branch_id: str, new_retention: Retention
    ) -> Outcome:
        """Set how long the branch keeps each kind of door log."""
        return await self._change_branch(
            context,
            branch_id,
            lambda state: retention.set_retention(state.branch_id, new_retention),
        )

    async def _change_branch(
        self, context: CommandContext, branch_id: str, decide: Callable[[Branch], list[DomainEvent]]
    ) -> Outcome:
        return await self.execute(
            context, branch_stream(branch_id), branch.NO_BRANCH, branch.evolve, decide
        )
