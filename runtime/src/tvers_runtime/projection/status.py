"""What each source of a projection runner is doing, for readiness, the dashboard and the log."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum

import structlog

from tvers_runtime import metrics

log = structlog.get_logger(__name__)


class SourceState(StrEnum):
    """The state of one source of a projection."""

    STARTING = "starting"
    WAITING = "waiting"  # for its stream to be created by its owner
    STANDBY = "standby"  # another instance follows this source
    FOLLOWING = "following"
    RECOVERING = "recovering"  # a transient failure: trying again
    UPGRADING = "upgrading"  # rebuilt for a new shape while the old tables serve
    STOPPED = "stopped"  # cannot go on safely; the reason says why and what would help


#: States in which a source does its job (or another instance does, or it is being upgraded).
HEALTHY = frozenset({SourceState.FOLLOWING, SourceState.STANDBY, SourceState.UPGRADING})


@dataclass
class SourceStatus:
    """One source's state, why, since when, and how far behind its stream it is."""

    state: SourceState = SourceState.STARTING
    reason: str | None = None
    since: float = field(default_factory=time.time)
    lag: int = 0
    #: The stream sequence of the last message applied (0 before the first).
    applied: int = 0


class Statuses:
    """The statuses of a projection's sources. A change of state is logged once."""

    def __init__(self, projection: str, sources: list[str]) -> None:
        self._projection = projection
        self.by_source = {source: SourceStatus() for source in sources}

    @property
    def healthy(self) -> bool:
        """Whether every source is in a healthy state."""
        return all(status.state in HEALTHY for status in self.by_source.values())

    def set(self, source: str, state: SourceState, reason: str | None = None) -> None:
        """Enter a state (logged when it changes; a stop is an error)."""
        status = self.by_source[source]
        if status.state is state and status.reason == reason:
            return
        status.state, status.reason, status.since = state, reason, time.time()
        event = "projection_source_state"
        fields = {"projection": self._projection, "source": source, "state": state.value}
        if state is SourceState.STOPPED:
            log.error(event, **fields, reason=reason)
        elif reason is not None:
            log.warning(event, **fields, reason=reason)
        else:
            log.info(event, **fields)

    def set_all(self, state: SourceState, reason: str | None = None) -> None:
        """Every source enters a state."""
        for source in self.by_source:
            self.set(source, state, reason)

    def set_lag(self, source: str, lag: int, *, applied: int) -> None:
        """How many messages of the stream are still to come, after the one at ``applied``."""
        self.by_source[source].lag = lag
        self.by_source[source].applied = applied
        metrics.PROJECTION_LAG.labels(self._projection, source).set(lag)
