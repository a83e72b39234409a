"""A shift comes to be: published by staff, or proposed by the service and then confirmed or
withdrawn; and it can be cancelled before it starts, with everyone on it told. Pure, no I/O."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    HostingRuleApplied,
    ShiftCancelled,
    ShiftProposalWithdrawn,
    ShiftProposed,
    ShiftPublished,
    ShiftRole,
    WithdrawalReason,
)
from tvers_runtime.domain import Conflict, RuleViolated, UnknownReference
from tvers_volunteers.domain.limits import FURTHEST_AHEAD, LONGEST, SHORTEST
from tvers_volunteers.domain.proposals import ProposedShift
from tvers_volunteers.domain.shift import Shift, Stage, existing, published


def publish(
    shift: Shift,
    *,
    shift_id: UUID,
    branch_id: str,
    branch_known: bool,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    role: ShiftRole,
    now: datetime,
) -> list[DomainEvent]:
    """Publish a shift at a known branch: it starts between now and about a year ahead, and
    lasts from a quarter of an hour to twelve hours."""
    if shift.shift_id is not None:
        raise Conflict("this shift is already published")
    check_times(starts_at, ends_at, now)
    if not branch_known:
        raise UnknownReference(
            f"no branch {branch_id!r} is known here; a branch registered in access a moment ago "
            "is known within seconds, so try again shortly"
        )
    return [
        ShiftPublished(
            shift_id=shift_id,
            branch_id=branch_id,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            role=role,
        )
    ]


def propose(
    shift: Shift, *, shift_id: UUID, proposal: ProposedShift, now: datetime
) -> list[DomainEvent]:
    """Propose a shift the branch's hosting rule calls for. Proposing it again (the same
    deterministic id, :func:`~tvers_volunteers.domain.proposals.proposal_id`) is a conflict,
    unless the rule withdrew it (its meirope period was gone, or the rule changed) and now calls
    for it again; a proposal staff dismissed stays dismissed."""
    if shift.shift_id is not None and not withdrawn_by_rule(shift):
        raise Conflict(f"this shift was already proposed; it is {shift.stage.value}")
    check_times(proposal.starts_at, proposal.ends_at, now)
    return [
        ShiftProposed(
            shift_id=shift_id,
            branch_id=proposal.branch_id,
            starts_at=proposal.starts_at,
            ends_at=proposal.ends_at,
            capacity=proposal.rule.hosts,
            role=ShiftRole.HOST,
            rule=HostingRuleApplied(
                last_minutes=proposal.rule.last_minutes, hosts=proposal.rule.hosts
            ),
            meirope_starts_at=proposal.meirope_starts_at,
            meirope_ends_at=proposal.meirope_ends_at,
        )
    ]


def withdrawn_by_rule(shift: Shift) -> bool:
    """Whether the shift is a proposal the rule withdrew (not staff)."""
    return shift.stage is Stage.WITHDRAWN and shift.withdrawal is not (
        WithdrawalReason.DISMISSED_BY_STAFF
    )


def confirm(shift: Shift, *, now: datetime) -> list[DomainEvent]:
    """Staff confirm a proposed shift: it is published as proposed, and open for claims."""
    found = existing(shift)
    if shift.stage is not Stage.PROPOSED:
        raise Conflict(f"only a proposed shift can be confirmed; this one is {shift.stage.value}")
    if found.starts_at <= now:
        raise Conflict("this proposed shift has already started")
    return [
        ShiftPublished(
            shift_id=found.shift_id,
            branch_id=shift.branch_id,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
            capacity=shift.capacity,
            role=shift.role,
        )
    ]


def withdraw(shift: Shift, *, reason: WithdrawalReason, staff_id: str | None) -> list[DomainEvent]:
    """Withdraw a proposal: staff dismiss it (with their id), or, by rule, its meirope period is
    gone or the branch's hosting rule calls for another shift."""
    found = existing(shift)
    if shift.stage is not Stage.PROPOSED:
        raise Conflict(f"only a proposed shift can be withdrawn; this one is {shift.stage.value}")
    if (reason is WithdrawalReason.DISMISSED_BY_STAFF) != (staff_id is not None):
        raise RuleViolated("staff who dismiss a proposal say who they are; the rule does not")
    return [
        ShiftProposalWithdrawn(
            shift_id=found.shift_id, branch_id=shift.branch_id, reason=reason, staff_id=staff_id
        )
    ]


def cancel(shift: Shift, *, staff_id: str, now: datetime) -> list[DomainEvent]:
    """Cancel a published shift before it starts; the event names everyone on it."""
    found = published(shift)
    if found.starts_at <= now:
        raise Conflict("this shift has started and can no longer be cancelled")
    if shift.present:
        raise Conflict("volunteers have checked in on this shift; check them out first")
    return [
        ShiftCancelled(
            shift_id=found.shift_id,
            branch_id=shift.branch_id,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
            staff_id=staff_id,
            volunteers=list(shift.volunteers),
            waitlisted=list(shift.waitlist),
        )
    ]


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """A shift starts between now and :data:`FURTHEST_AHEAD`, and lasts from :data:`SHORTEST`
    to :data:`LONGEST`."""
    if ends_at <= starts_at:
        raise RuleViolated("a shift must end after it starts")
    if starts_at < now:
        raise RuleViolated("a shift cannot start in the past")
    if starts_at > now + FURTHEST_AHEAD:
        raise RuleViolated(
            f"a shift may start at most {FURTHEST_AHEAD.days} days ahead, "
            f"not on {starts_at.date().isoformat()}"
        )
    if ends_at - starts_at > LONGEST:
        raise RuleViolated(f"a shift lasts at most {_length(LONGEST)}")
    if ends_at - starts_at < SHORTEST:
        raise RuleViolated(f"a shift lasts at least {_length(SHORTEST)}")


def _length(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60} hours" if minutes % 60 == 0 else f"{minutes} minutes"
