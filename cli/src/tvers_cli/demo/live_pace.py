"""The pace of ``tvers demo --live`` (pure): a day of door traffic compressed, so that someone
watching the dashboard for a few minutes sees the doors busy after work and school and quiet
in the morning and late, as the fill's arrivals are (:mod:`.arrivals`).

The simulated day starts at the moment ``--live`` starts and runs :data:`SPEED` times faster
than the wall clock. It sets only how many arrivals come each second; every request is sent now
and stamped by the service's own clock (decision 0041)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tvers_cli.demo.arrivals import CLOSED, busy, open_at
from tvers_cli.demo.places import Branch

#: Simulated seconds per wall-clock second: an hour in 20 seconds, a day in 8 minutes.
SPEED = 180
#: Arrivals per second in the busiest hour.
BUSIEST_PER_SECOND = 1.2
#: Arrivals per second at least (the night too), so the page never stands still for long.
FEWEST_PER_SECOND = 0.15


@dataclass(frozen=True)
class LivePace:
    """The simulated time of the live demo, from its start."""

    started_at: datetime

    def simulated(self, elapsed: float) -> datetime:
        """The simulated moment ``elapsed`` wall-clock seconds after the start."""
        return self.started_at + timedelta(seconds=elapsed * SPEED)

    def arrivals_in_second(self, elapsed: float, rng: random.Random) -> int:
        """How many arrivals come in the wall-clock second after ``elapsed``: as many as the
        simulated hour's share of the busiest, on average."""
        expected = max(FEWEST_PER_SECOND, BUSIEST_PER_SECOND * busy(self.simulated(elapsed)))
        whole = int(expected)
        return whole + (rng.random() < expected - whole)


def door_for(branches: Sequence[Branch], now: datetime, rng: random.Random) -> Branch:
    """The branch whose door someone tries: one open now mostly (staffed or meirope), a closed
    one now and then (refused: outside hours), as in the fill's arrivals."""
    weights = [1.0 if open_at(branch, now) else CLOSED for branch in branches]
    return rng.choices(branches, weights=weights)[0]
