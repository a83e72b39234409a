"""The proposer: a background task of the volunteers service that keeps each branch's proposed
shifts in step with its schedule and hosting rule, and flags hosted hours short of hosts 48 hours
ahead (decision 0025).

- **Every** ``interval`` **seconds** it goes over every branch whose hours the service has
  learned: withdraw and propose for the coming weeks, then flag. So a proposal is made even when
  the process stopped right after the subscriber took a schedule event: whichever replica passes
  next makes it. Doing it again finds nothing left to do.
- **Woken** by a schedule event taken or a rule set, it goes over that branch soon, after
  :data:`WAKE_DELAY` (the subscriber wakes it from inside its transaction, which commits a moment
  later; should the pass still come too early, the next round makes up for it).

Several replicas may run it at once: see :mod:`tvers_volunteers.proposal_cases`. One branch's
trouble is logged and leaves the others' proposals alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

import structlog

from tvers_runtime.aio import stopping
from tvers_runtime.branch_schedules import BranchRef
from tvers_volunteers.proposal_cases import Done, ProposalCases

log = structlog.get_logger(__name__)
#: Seconds between a wake-up and the pass over the branches it names.
WAKE_DELAY = 1.0


class Proposer:
    """Proposes, withdraws and flags for every branch, on a timer and when woken."""

    def __init__(
        self, cases: ProposalCases, *, interval: float, wake_delay: float = WAKE_DELAY
    ) -> None:
        self._cases = cases
        self._interval = interval
        self._wake_delay = wake_delay
        self._woken: set[BranchRef] = set()
        self._wake = asyncio.Event()

    def wake(self, tenant: str, branch_id: str) -> None:
        """Go over this branch soon (its schedule or rule changed)."""
        self._woken.add(BranchRef(tenant, branch_id))
        self._wake.set()

    async def tick(self, only: Collection[BranchRef] | None = None) -> Done:
        """One pass over every branch with hours learned (or over ``only``); what it stored."""
        branches = list(only) if only is not None else await self._cases.branches()
        done = Done()
        for branch in sorted(branches, key=lambda b: (b.tenant, b.branch_id)):
            try:
                found = await self._cases.propose_for(branch.tenant, branch.branch_id)
                found += await self._cases.flag_for(branch.tenant, branch.branch_id)
            except Exception:
                if stopping():
                    raise
                log.exception("proposer_branch_failed", branch_id=branch.branch_id)
                continue
            done += found
        return done

    async def run(self) -> None:
        """Pass over every branch every ``interval`` seconds, and over woken ones in between,
        until cancelled."""
        log.info("proposer_started", interval=self._interval)
        loop = asyncio.get_running_loop()
        while True:
            await self._pass(None)
            due = loop.time() + self._interval
            while (left := due - loop.time()) > 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=left)
                except TimeoutError:
                    break
                await asyncio.sleep(self._wake_delay)
                self._wake.clear()
                woken, self._woken = self._woken, set()
                await self._pass(woken)

    async def _pass(self, only: Collection[BranchRef] | None) -> None:
        try:
            done = await self.tick(only)
        except Exception:
            if stopping():
                raise
            log.exception("proposer_pass_failed")
            return
        if done != Done():
            log.info(
                "proposer_pass",
                proposed=done.proposed,
                withdrawn=done.withdrawn,
                flagged=done.flagged,
            )
