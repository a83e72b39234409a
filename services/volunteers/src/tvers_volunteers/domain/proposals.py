"""The shifts the service proposes from a branch's meirope hours. Pure, no I/O.

A branch's :class:`HostingRule` says which part of each meirope period is hosted (by default
its last two hours) and by how many hosts (two). The schedule is read as access reads it
(:mod:`tvers_contracts.schedule`): weekly periods, dated exceptions, periods past midnight, in
Europe/Oslo wall-clock time.

- A **meirope run** is a meirope period, or several that follow each other without a gap (a
  weekly period up to midnight and an exception's from it, say).
- Its **hosted window** is its last ``last_minutes`` of elapsed time (``None``: all of it), at
  most :data:`~tvers_volunteers.domain.limits.LONGEST`; a run shorter than that is hosted whole.
  Elapsed time, not wall-clock time: on the night the clocks change, "the last two hours" are
  still two hours of a volunteer's evening.
- A window shorter than :data:`~tvers_volunteers.domain.limits.SHORTEST` is not proposed.
- The proposals for a range of dates are those whose shift starts on one of those dates (local
  date), and not before ``now``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tvers_contracts.schedule import Schedule
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import RuleViolated
from tvers_volunteers.domain.limits import LONGEST, SHORTEST

#: The namespace of proposed shifts' ids (uuid5): the same proposal, the same shift stream.
PROPOSALS = uuid.UUID("5d1f0f4e-3c1b-4f8e-9a57-0c2f8b6e1a19")
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class HostingRule:
    """A branch's rule for hosting its meirope hours: the last ``last_minutes`` of each meirope
    period (``None``: the whole period), with ``hosts`` places; an hour with fewer than
    ``minimum_hosts`` holding a place is flagged (:mod:`.coverage`)."""

    last_minutes: int | None = 120
    hosts: int = 2
    minimum_hosts: int = 2

    def __post_init__(self) -> None:
        if self.last_minutes is not None and not 15 <= self.last_minutes <= 1440:
            raise RuleViolated("a hosting rule hosts the last 15 minutes to 24 hours of a period")
        if not 1 <= self.hosts <= 20:
            raise RuleViolated("a hosting rule asks for 1 to 20 hosts")
        if not 1 <= self.minimum_hosts <= self.hosts:
            raise RuleViolated("the minimum of hosts lies from 1 to the hosts asked for")

    @property
    def window(self) -> timedelta:
        """How much of the end of a meirope run is hosted, at most."""
        if self.last_minutes is None:
            return LONGEST
        return min(timedelta(minutes=self.last_minutes), LONGEST)


DEFAULT_RULE = HostingRule()


@dataclass(frozen=True)
class MeiropeRun:
    """Meirope time without a gap, from ``starts_at`` to ``ends_at`` (aware, UTC)."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ProposedShift:
    """A shift the rule calls for: its hosted window of a meirope run."""

    branch_id: str
    starts_at: datetime
    ends_at: datetime
    rule: HostingRule
    meirope_starts_at: datetime
    meirope_ends_at: datetime


def meirope_runs(schedule: Schedule, first: date, last: date) -> list[MeiropeRun]:
    """The meirope runs of the periods that start from the day before ``first`` to two days
    after ``last`` (enough for any window that starts from ``first`` to ``last``)."""
    runs: list[MeiropeRun] = []
    spans = schedule.occurrences(first - _DAY, last + 2 * _DAY)
    for span in sorted(spans, key=lambda o: o.starts):
        if span.kind is not OpeningKind.MEIROPE:
            continue
        if runs and runs[-1].ends_at == span.starts:
            runs[-1] = MeiropeRun(runs[-1].starts_at, span.ends)
        else:
            runs.append(MeiropeRun(span.starts, span.ends))
    return runs


def hosted_window(run: MeiropeRun, rule: HostingRule) -> MeiropeRun | None:
    """The part of a run the rule hosts: its end, at most ``rule.window`` long; None when that
    is shorter than a shift can be."""
    starts_at = max(run.starts_at, run.ends_at - rule.window)
    if run.ends_at - starts_at < SHORTEST:
        return None
    return MeiropeRun(starts_at, run.ends_at)


def propose_shifts(
    branch_id: str,
    schedule: Schedule,
    rule: HostingRule,
    *,
    first: date,
    last: date,
    now: datetime,
) -> list[ProposedShift]:
    """The shifts the rule calls for, starting from ``first`` to ``last`` (local dates, both
    included) and not before ``now``, in order."""
    found = []
    for run in meirope_runs(schedule, first, last):
        window = hosted_window(run, rule)
        if window is None or window.starts_at < now:
            continue
        if first <= window.starts_at.astimezone(schedule.zone).date() <= last:
            found.append(
                ProposedShift(
                    branch_id, window.starts_at, window.ends_at, rule, run.starts_at, run.ends_at
                )
            )
    return found


def proposal_id(tenant: str, proposal: ProposedShift) -> uuid.UUID:
    """The id of a proposed shift: the same for every replica and every time it is worked out,
    so a proposal is made once (its stream exists already the second time)."""
    starts = proposal.starts_at.astimezone(UTC).isoformat()
    ends = proposal.ends_at.astimezone(UTC).isoformat()
    return uuid.uuid5(PROPOSALS, f"{tenant}/{proposal.branch_id}/{starts}/{ends}")


def not_yet_covered(
    proposals: Iterable[ProposedShift], hosting_shifts: Iterable[tuple[datetime, datetime]]
) -> list[ProposedShift]:
    """The proposals that overlap none of the branch's hosting shifts already there (published
    or proposed, from ``starts_at`` to ``ends_at``): staff who put a shift there first decide."""
    taken = list(hosting_shifts)
    return [
        p
        for p in proposals
        if not any(starts < p.ends_at and p.starts_at < ends for starts, ends in taken)
    ]
