"""A branch's hosting rule as staff set it (stream ``hosting-rule-<tenant>-<branch_id>``: two
municipalities may name a branch alike); until they do, the default
(:data:`~tvers_volunteers.domain.proposals.DEFAULT_RULE`). Pure, no I/O."""

from __future__ import annotations

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import HostingRuleSet
from tvers_runtime.domain import UnknownReference
from tvers_volunteers.domain.proposals import DEFAULT_RULE, HostingRule


def stream(tenant: str, branch_id: str) -> str:
    """The tenant's branch's hosting-rule stream id."""
    return f"hosting-rule-{tenant}-{branch_id}"


def evolve(rule: HostingRule, event: DomainEvent) -> HostingRule:
    """The rule after an event."""
    if isinstance(event, HostingRuleSet):
        return HostingRule(event.last_minutes, event.hosts, event.minimum_hosts)
    return rule


def set_rule(
    current: HostingRule,
    *,
    branch_id: str,
    branch_known: bool,
    rule: HostingRule,
    staff_id: str,
) -> list[DomainEvent]:
    """Set a known branch's rule; the rule it has already changes nothing."""
    if not branch_known:
        raise UnknownReference(
            f"no branch {branch_id!r} is known here; a branch registered in access a moment ago "
            "is known within seconds, so try again shortly"
        )
    if rule == current:
        return []
    return [
        HostingRuleSet(
            branch_id=branch_id,
            last_minutes=rule.last_minutes,
            hosts=rule.hosts,
            minimum_hosts=rule.minimum_hosts,
            staff_id=staff_id,
        )
    ]


__all__ = ["DEFAULT_RULE", "evolve", "set_rule", "stream"]
