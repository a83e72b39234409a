"""How the figures are kept up to date, in words a librarian understands (never sequence
numbers): per source of the figures, whether its events are being counted, how many are still to
be counted, and how many could not be. Pure: it reads the projections' statuses as the API
serves them.

A source is one service's stream; several read models count from it, so what they say is put
together per source: the worst state of any, the most events still waiting, and every dead
letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from tvers_reporting.entrypoints.dashboard import texts
from tvers_runtime.projection.status import SourceState

#: Events waiting that are still "up to date": a few always are while events arrive.
SMALL_LAG = 50


class Level(StrEnum):
    """How much a notice matters: ``problem`` (the figures are wrong or stale) or ``note``."""

    PROBLEM = "problem"
    NOTE = "note"


@dataclass(frozen=True)
class SourceHealth:
    """One read model's view of one source, as the pipeline status has it."""

    state: SourceState
    lag: int
    applied: int
    dead_letters: int


@dataclass(frozen=True)
class Notice:
    """One thing to say: a marked message and its values (``strand`` is a marked message too)."""

    level: Level
    message: str
    strand: str
    values: Mapping[str, int]


@dataclass(frozen=True)
class Progress:
    """How far the counting has come, while it catches up: counted of all the events so far."""

    counted: int
    total: int


@dataclass(frozen=True)
class Health:
    """What the page says about its figures."""

    notices: tuple[Notice, ...]
    progress: Progress | None

    @property
    def well(self) -> bool:
        """Nothing to say."""
        return not self.notices


_RETRYING = frozenset({SourceState.RECOVERING, SourceState.WAITING, SourceState.STARTING})


def health(by_source: Mapping[str, list[SourceHealth]]) -> Health:
    """What to say, from each source's read models' statuses."""
    notices: list[Notice] = []
    counted = total = 0
    for source, views in sorted(by_source.items()):
        strand = texts.STRANDS.get(source, texts.SOMEWHERE)
        states = {view.state for view in views}
        waiting = max((view.lag for view in views), default=0)
        dead = sum(view.dead_letters for view in views)
        if SourceState.STOPPED in states:
            notices.append(Notice(Level.PROBLEM, texts.STOPPED, strand, {}))
        elif states & _RETRYING:
            notices.append(Notice(Level.NOTE, texts.RETRYING, strand, {}))
        elif waiting > SMALL_LAG:
            notices.append(Notice(Level.NOTE, texts.CATCHING_UP, strand, {"waiting": waiting}))
        if dead:
            notices.append(Notice(Level.PROBLEM, texts.NOT_READ, strand, {"count": dead}))
        slowest = min(views, key=lambda view: view.applied, default=None)
        if slowest is not None and waiting > SMALL_LAG:
            counted += slowest.applied
            total += slowest.applied + waiting
    progress = Progress(counted, total) if total else None
    return Health(tuple(notices), progress)
