"""Projections: read models built from JetStream streams, exactly once in effect."""

from tvers_runtime.projection.apply import ApplyReport, RebuildHalted
from tvers_runtime.projection.dead_letters import (
    DeadLetter,
    UnknownDeadLetter,
    dead_letters,
    retry_stream,
    skip_dead_letter,
)
from tvers_runtime.projection.projection import (
    Handling,
    Projection,
    Source,
    Subscriptions,
    live_schema,
    shape_of,
    subscriptions,
)
from tvers_runtime.projection.reader import OrderedStreamReader, ReaderInterrupted, StreamMessage
from tvers_runtime.projection.rebuild import RebuildInProgress, RebuildReport, rebuild
from tvers_runtime.projection.runner import MIGRATIONS, ProjectionRunner
from tvers_runtime.projection.status import SourceState, SourceStatus

__all__ = [
    "MIGRATIONS",
    "ApplyReport",
    "DeadLetter",
    "Handling",
    "OrderedStreamReader",
    "Projection",
    "ProjectionRunner",
    "ReaderInterrupted",
    "RebuildHalted",
    "RebuildInProgress",
    "RebuildReport",
    "Source",
    "SourceState",
    "SourceStatus",
    "StreamMessage",
    "Subscriptions",
    "UnknownDeadLetter",
    "dead_letters",
    "live_schema",
    "rebuild",
    "retry_stream",
    "shape_of",
    "skip_dead_letter",
    "subscriptions",
]
