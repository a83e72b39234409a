"""The requests the demo fill sends, one plan each, with the idempotency key it sends it under.

Every plan is a function of its key alone, whatever day the demo runs: a run on a later day
may plan more or fewer, but never another request under a key an earlier run used (the
service would refuse it as a reused key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tvers_contracts.events.access import DoorAlarmKind

#: When the demo's people counters were put up.
COUNTERS_INSTALLED = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Agreement:
    card_number: str
    guardian_card_number: str | None = None


@dataclass(frozen=True)
class Presentation:
    key: str
    door_id: str
    card_number: str
    pin: str
    presented_at: datetime
    #: What the plan means to show: "granted" or a denial reason; None when left to chance.
    expect: str | None = None


@dataclass(frozen=True)
class CounterReading:
    """A people counter's report at a door: what it counted since its previous report."""

    key: str
    door_id: str
    entries: int
    exits: int
    counted_at: datetime

    @property
    def sequence(self) -> int:
        """The counter's number of this report: its minutes since it was installed, as a
        counter that reports each minute something passes would number them."""
        return int((self.counted_at - COUNTERS_INSTALLED).total_seconds() // 60)


@dataclass(frozen=True)
class DoorAlarm:
    key: str
    door_id: str
    kind: DoorAlarmKind
    raised_at: datetime


@dataclass(frozen=True)
class VisitPlan:
    key: str
    school_id: str
    branch_id: str
    grade: int
    class_label: str
    held_on: date
    pupils: int
    cards: int
