"""What the service does about a branch's proposals, given its schedule, its hosting rule and the
shifts already there: which proposals to withdraw, and which to make. Pure, no I/O.

- A **proposal stands** while the rule, over the current schedule, still calls for it: the same
  window (so the same id, :func:`~tvers_volunteers.domain.proposals.proposal_id`) with the same
  number of hosts. Otherwise, while it is unconfirmed and has not started, it is withdrawn: its
  meirope period is gone (or changed) when the schedule no longer has the meirope run it was
  proposed for, and else the rule changed.
- A **proposal is made** where the rule calls for one and no hosting shift lies yet (proposed,
  published, or cancelled by staff, who decided about that time). A proposal the rule withdrew
  is made again on its own stream when the rule calls for it again; one staff dismissed is not,
  but it keeps no other window from being proposed.
- Only the dates from ``first`` to ``last`` are looked at; proposals on later dates stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from tvers_contracts.events.volunteers import ShiftRole, WithdrawalReason
from tvers_contracts.schedule import Schedule
from tvers_volunteers.domain.proposals import (
    HostingRule,
    ProposedShift,
    meirope_runs,
    not_yet_covered,
    proposal_id,
    propose_shifts,
)
from tvers_volunteers.domain.shift import Shift, Stage

#: Shifts that keep a proposal from being made where they lie.
_TAKING = (Stage.PROPOSED, Stage.PUBLISHED, Stage.CANCELLED)


@dataclass(frozen=True)
class Withdrawal:
    """A proposal to withdraw, and why."""

    shift_id: UUID
    reason: WithdrawalReason


@dataclass(frozen=True)
class NewProposal:
    """A proposal to make, under its deterministic id."""

    shift_id: UUID
    proposal: ProposedShift


@dataclass(frozen=True)
class Plan:
    """What to do about a branch's proposals: withdrawals first, then the new proposals."""

    withdraw: list[Withdrawal]
    propose: list[NewProposal]


def plan(
    tenant: str,
    branch_id: str,
    schedule: Schedule,
    rule: HostingRule,
    shifts: Iterable[Shift],
    *,
    first: date,
    last: date,
    now: datetime,
) -> Plan:
    """The plan for a branch's proposals from ``first`` to ``last`` (Oslo dates), as of ``now``.
    ``shifts`` are the branch's shifts in that time, withdrawn proposals included."""
    wanted = {
        proposal_id(tenant, p): p
        for p in propose_shifts(branch_id, schedule, rule, first=first, last=last, now=now)
    }
    runs = {(run.starts_at, run.ends_at) for run in meirope_runs(schedule, first, last)}
    hosting = [s for s in shifts if s.role is ShiftRole.HOST and s.branch_id == branch_id]
    withdraw = []
    for shift in hosting:
        if not _open_proposal(shift, schedule, first=first, last=last, now=now):
            continue
        assert shift.shift_id is not None
        standing = wanted.get(shift.shift_id)
        if standing is not None and standing.rule.hosts == shift.capacity:
            continue
        reason = (
            WithdrawalReason.HOSTING_RULE_CHANGED
            if shift.meirope in runs
            else WithdrawalReason.MEIROPE_PERIOD_GONE
        )
        withdraw.append(Withdrawal(shift.shift_id, reason))
    withdrawn = {w.shift_id for w in withdraw}
    taken = [
        (s.starts_at, s.ends_at)
        for s in hosting
        if s.stage in _TAKING
        and s.shift_id not in withdrawn
        and s.starts_at is not None
        and s.ends_at is not None
    ]
    dismissed = {
        s.shift_id
        for s in hosting
        if s.stage is Stage.WITHDRAWN and s.withdrawal is WithdrawalReason.DISMISSED_BY_STAFF
    }
    propose = [
        NewProposal(proposal_id(tenant, p), p)
        for p in not_yet_covered(wanted.values(), taken)
        if proposal_id(tenant, p) not in dismissed
    ]
    return Plan(withdraw, propose)


def _open_proposal(
    shift: Shift, schedule: Schedule, *, first: date, last: date, now: datetime
) -> bool:
    """An unconfirmed proposal, not yet started, on one of the dates looked at."""
    if shift.stage is not Stage.PROPOSED or shift.starts_at is None:
        return False
    return (
        shift.starts_at > now and first <= shift.starts_at.astimezone(schedule.zone).date() <= last
    )
