"""A branch's rules for meirope entry: the ages, the guardian window, and what its doors do
while the library system cannot be asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import BranchAccessRulesSet, UnreachablePolicy
from tvers_runtime.domain import NotFound, RuleViolated

#: Without a rule of its own a branch lets a child follow the guardian within a minute.
DEFAULT_GUARDIAN_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class AccessRules:
    """Who may come in during meirope hours, by age, and the fallback for an unreachable ILS."""

    #: Below this age the agreement needs a guardian's consent.
    meirope_min_age: int = 0
    #: Below this age a patron comes in only just after the guardian's entry at the same door.
    unaccompanied_min_age: int = 0
    guardian_window: timedelta = DEFAULT_GUARDIAN_WINDOW
    #: Fail closed unless the branch chose otherwise.
    when_unreachable: UnreachablePolicy = UnreachablePolicy.FAIL_CLOSED


def from_event(event: BranchAccessRulesSet) -> AccessRules:
    """The rules an event sets."""
    return AccessRules(
        meirope_min_age=event.meirope_min_age,
        unaccompanied_min_age=event.unaccompanied_min_age,
        guardian_window=timedelta(seconds=event.guardian_window_seconds),
        when_unreachable=event.when_unreachable,
    )


def set_rules(branch_id: str | None, rules: AccessRules) -> list[DomainEvent]:
    """Replace a branch's access rules."""
    if branch_id is None:
        raise NotFound("no such branch")
    if rules.unaccompanied_min_age > rules.meirope_min_age:
        raise RuleViolated("unaccompanied_min_age cannot be above meirope_min_age")
    return [
        BranchAccessRulesSet(
            branch_id=branch_id,
            meirope_min_age=rules.meirope_min_age,
            unaccompanied_min_age=rules.unaccompanied_min_age,
            guardian_window_seconds=int(rules.guardian_window.total_seconds()),
            when_unreachable=rules.when_unreachable,
        )
    ]
