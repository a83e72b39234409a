"""A library branch: registered once, with a weekly schedule of staffed and meirope periods."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tvers_access.domain import rules
from tvers_access.domain.rules import AccessRules
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    BranchAccessRulesSet,
    BranchRegistered,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated


@dataclass(frozen=True)
class Branch:
    """What the rules need to know of a branch."""

    branch_id: str | None = None
    name: str = ""
    rules: AccessRules = field(default_factory=AccessRules)
    periods: tuple[SchedulePeriod, ...] = ()

    @property
    def meirope_min_age(self) -> int:
        """Below this age the agreement needs a guardian's consent."""
        return self.rules.meirope_min_age

    @property
    def registered(self) -> bool:
        """Whether the branch exists."""
        return self.branch_id is not None

    def opening_at(self, local: datetime) -> OpeningKind:
        """Staffed, meirope or closed at a local (Europe/Oslo) moment."""
        moment = local.time()
        for period in self.periods:
            if period.weekday == local.isoweekday() and period.starts <= moment < period.ends:
                return period.kind
        return OpeningKind.CLOSED


NO_BRANCH = Branch()


def evolve(branch: Branch, event: DomainEvent) -> Branch:
    """The branch after an event."""
    if isinstance(event, BranchRegistered):
        return replace(
            branch,
            branch_id=event.branch_id,
            name=event.name,
            rules=replace(branch.rules, meirope_min_age=event.meirope_min_age),
        )
    if isinstance(event, BranchAccessRulesSet):
        return replace(branch, rules=rules.from_event(event))
    if isinstance(event, WeeklyScheduleSet):
        return replace(branch, periods=tuple(event.periods))
    return branch


def register(
    branch: Branch, *, branch_id: str, name: str, meirope_min_age: int
) -> list[DomainEvent]:
    """Register a new branch."""
    if branch.registered:
        raise Conflict(f"branch {branch_id!r} is already registered")
    return [BranchRegistered(branch_id=branch_id, name=name, meirope_min_age=meirope_min_age)]


def set_schedule(branch: Branch, periods: Sequence[SchedulePeriod]) -> list[DomainEvent]:
    """Replace the weekly schedule. Periods of one day may not overlap."""
    if not branch.registered or branch.branch_id is None:
        raise NotFound("no such branch")
    for weekday in range(1, 8):
        day = sorted((p for p in periods if p.weekday == weekday), key=lambda p: p.starts)
        for before, after in itertools.pairwise(day):
            if after.starts < before.ends:
                raise RuleViolated(
                    f"periods overlap on weekday {weekday}: "
                    f"{before.starts:%H:%M}-{before.ends:%H:%M} and "
                    f"{after.starts:%H:%M}-{after.ends:%H:%M}"
                )
    return [WeeklyScheduleSet(branch_id=branch.branch_id, periods=list(periods))]
