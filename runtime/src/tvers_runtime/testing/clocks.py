"""A clock a test moves by hand, for services built with an injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from tvers_contracts.schedule import OSLO


@dataclass
class SteppedClock:
    """A clock the test moves forward; every replica of a test may share it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, clock: str) -> None:
        """Move to ``clock`` (HH:MM) on Oslo's wall clock, on the current Oslo date."""
        day = self.now.astimezone(OSLO).date()
        self.now = datetime.combine(day, time.fromisoformat(clock), OSLO).astimezone(UTC)

    def advance(self, step: timedelta) -> None:
        """Move on by ``step``."""
        self.now += step
