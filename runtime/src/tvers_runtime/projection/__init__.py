"""Projections: read models built from JetStream streams, exactly once in effect."""

from tvers_runtime.projection.apply import ApplyReport, RebuildHalted
from tvers_runtime.projection.dead_letters import (
    DeadLetter,
    UnknownDeadLetter,
    dead_letters,
    retry_stream,
    skip_dead_letter,
)
from tvers_runtime.projection.projection import Projection, Source, live_schema
from tvers_runtime.projection.reader import OrderedStreamReader, ReaderInterrupted, StreamMessage
from tvers_runtime.projection.rebuild import RebuildReport, rebuild
from tvers_runtime.projection.runner import MIGRATIONS, ProjectionRunner

__all__ = [
    "MIGRATIONS",
    "ApplyReport",
    "DeadLetter",
    "OrderedStreamReader",
    "Projection",
    "ProjectionRunner",
    "ReaderInterrupted",
    "RebuildHalted",
    "RebuildReport",
    "Source",
    "StreamMessage",
    "UnknownDeadLetter",
    "dead_letters",
    "live_schema",
    "rebuild",
    "retry_stream",
    "skip_dead_letter",
]
