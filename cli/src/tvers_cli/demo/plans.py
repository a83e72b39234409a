"""The requests the demo fill sends, one plan each, with the idempotency key it sends it under.

Every plan is a function of its key alone, whatever day the demo runs: a run on a later day
may plan more or fewer, but never another request under a key an earlier run used (the
service would refuse it as a reused key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tvers_contracts.events.access import DoorAlarmKind
from tvers_runtime.auth import Role

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
class Caller:
    """Who sends a request to the visits service: staff, or a teacher or school librarian of
    one school (each school's token its own)."""

    role: Role
    school_id: str | None = None


STAFF = Caller(Role.STAFF)


@dataclass(frozen=True)
class Call:
    """A request to the visits service (the school strand): its idempotency key, method, path
    and body, who sends it, and, for the past, the moment on the simulated clock it is sent at
    (none: now, to the running service). A request about something made earlier names it
    (``of``): its id fills ``{id}`` in the path; a request that makes something names it
    (``makes``) and the field of the answer that holds its id."""

    key: str
    method: str
    path: str
    body: Any
    caller: Caller = STAFF
    at: datetime | None = None
    makes: str | None = None
    id_field: str | None = None
    of: str | None = None
