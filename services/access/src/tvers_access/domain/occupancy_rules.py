"""A branch's rules for closing and the counter: when a meirope closing is announced, when the
building-empty check runs, and the tailgating window (decision 0015). They live on the branch's
stream, in an event of their own beside the access rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from tvers_access.domain import branch
from tvers_access.domain.branch import Branch
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import OccupancyRulesSet
from tvers_runtime.domain import NotFound, RuleViolated

LONGEST_ANNOUNCEMENT = 120
MOST_ANNOUNCEMENTS = 6


@dataclass(frozen=True)
class OccupancyRules:
    """Without rules of its own a branch announces its meirope closings 15, 10 and 5 minutes
    ahead, checks the building two minutes after, and expects a counted entry within ten
    seconds of a granted one."""

    #: Minutes before a meirope closing, largest first.
    announce_minutes_before: tuple[int, ...] = (15, 10, 5)
    check_after: timedelta = timedelta(minutes=2)
    tailgating_window: timedelta = timedelta(seconds=10)


@dataclass(frozen=True)
class BranchWithRules:
    """A branch as the occupancy use cases need it: the branch and its occupancy rules."""

    branch: Branch = field(default_factory=Branch)
    rules: OccupancyRules = field(default_factory=OccupancyRules)


NO_BRANCH = BranchWithRules()


def evolve(state: BranchWithRules, event: DomainEvent) -> BranchWithRules:
    """The branch and its rules after an event of the branch's stream."""
    if isinstance(event, OccupancyRulesSet):
        return replace(
            state,
            rules=OccupancyRules(
                announce_minutes_before=tuple(event.announce_minutes_before),
                check_after=timedelta(minutes=event.check_after_minutes),
                tailgating_window=timedelta(seconds=event.tailgating_window_seconds),
            ),
        )
    return replace(state, branch=branch.evolve(state.branch, event))


def set_rules(
    state: BranchWithRules,
    *,
    announce_minutes_before: Sequence[int],
    check_after_minutes: int,
    tailgating_window_seconds: int,
) -> list[DomainEvent]:
    """Replace a branch's occupancy rules; the minutes may come in any order, but once each."""
    branch_id = state.branch.branch_id
    if branch_id is None:
        raise NotFound("no such branch")
    minutes = sorted(set(announce_minutes_before), reverse=True)
    if len(minutes) != len(announce_minutes_before):
        raise RuleViolated("each announcement minute may be given once")
    if len(minutes) > MOST_ANNOUNCEMENTS:
        raise RuleViolated(f"at most {MOST_ANNOUNCEMENTS} announcements")
    if any(not 1 <= m <= LONGEST_ANNOUNCEMENT for m in minutes):
        raise RuleViolated(f"announcements are from 1 to {LONGEST_ANNOUNCEMENT} minutes ahead")
    return [
        OccupancyRulesSet(
            branch_id=branch_id,
            announce_minutes_before=minutes,
            check_after_minutes=check_after_minutes,
            tailgating_window_seconds=tailgating_window_seconds,
        )
    ]
