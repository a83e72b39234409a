"""What a projection is: a read model built from one or more streams' events.

A projection declares the event classes it handles, once; the event types it applies and the
streams and subjects it reads are derived from them (:func:`subscriptions`), so an event class
cannot be handled without being read, or read without being handled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from tvers_contracts import DomainEvent, Envelope, event_subject, stream_name
from tvers_runtime.db.types import Connection


@dataclass(frozen=True)
class Source:
    """A JetStream stream a projection reads, optionally only some subjects of it."""

    stream: str
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subscriptions:
    """The event types a projection applies and the sources it reads them from."""

    handles: frozenset[str]
    sources: tuple[Source, ...]


def subscriptions(events: Iterable[type[DomainEvent]]) -> Subscriptions:
    """Derive what a projection reads from the event classes it handles: one source per owning
    service's stream, filtered to the subjects of those events."""
    classes = sorted(set(events), key=lambda c: (c.service, c.event_type()))
    by_stream: dict[str, set[str]] = {}
    for event_class in classes:
        by_stream.setdefault(stream_name(event_class.service), set()).add(
            event_subject(event_class)
        )
    return Subscriptions(
        handles=frozenset(c.event_type() for c in classes),
        sources=tuple(
            Source(stream, tuple(sorted(subjects))) for stream, subjects in by_stream.items()
        ),
    )


class Handling:
    """Base of a projection that declares the event classes it handles once, in ``handled``:
    ``handles`` and ``sources`` are derived from them when the class is defined."""

    handled: ClassVar[tuple[type[DomainEvent], ...]] = ()
    handles: ClassVar[frozenset[str]] = frozenset()
    sources: ClassVar[tuple[Source, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        derived = subscriptions(cls.handled)
        cls.handles, cls.sources = derived.handles, derived.sources


class Projection(Protocol):
    """A read model: its tables, the events it applies, and how it applies them.

    ``tables_sql`` and ``apply`` use unqualified table names: the runner sets the search path to
    the read model's schema, so the same code fills the live tables and, during a rebuild, fresh
    ones. ``apply`` gets events in stream order and must apply them in that order.

    ``version`` is raised when the projection's logic changes what it computes; a change of
    ``tables_sql`` is noticed by itself. Either makes the runtime rebuild the read model on start
    (blue/green: the old tables serve until the new ones have caught up).
    """

    @property
    def name(self) -> str:
        """Short identifier: the live schema is ``rm_<name>``."""
        ...

    @property
    def version(self) -> int:
        """The version of what the projection computes."""
        ...

    @property
    def sources(self) -> Sequence[Source]:
        """The streams the projection reads (derive with :func:`subscriptions`)."""
        ...

    @property
    def handles(self) -> frozenset[str]:
        """Event types it applies (derive with :func:`subscriptions`)."""
        ...

    @property
    def tables_sql(self) -> str:
        """DDL creating its tables (unqualified names)."""
        ...

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply events, in order, inside the runner's transaction."""
        ...


def live_schema(projection: Projection) -> str:
    """The schema the live read model lives in; readers qualify their queries with it."""
    return f"rm_{projection.name}"


def rebuild_schema(projection: Projection) -> str:
    """The schema a rebuild fills before it is swapped in."""
    return f"rm_{projection.name}__rebuild"


def shape_of(projection: Projection) -> str:
    """What a read model built by this code looks like: its version and a digest of its tables
    and of the event types it handles (one more handled type must be applied for the past too).
    A live read model of another shape is rebuilt."""
    built_from = (
        " ".join(projection.tables_sql.split()) + "|" + ",".join(sorted(projection.handles))
    )
    digest = hashlib.sha256(built_from.encode()).hexdigest()[:16]
    return f"v{projection.version}:{digest}"
