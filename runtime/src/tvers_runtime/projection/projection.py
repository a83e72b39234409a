"""What a projection is: a read model built from one or more streams' events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.types import Connection


@dataclass(frozen=True)
class Source:
    """A JetStream stream a projection reads, optionally only some subjects of it."""

    stream: str
    subjects: tuple[str, ...] = ()


class Projection(Protocol):
    """A read model: its tables, the events it applies, and how it applies them.

    ``tables_sql`` and ``apply`` use unqualified table names: the runner sets the search path to
    the read model's schema, so the same code fills the live tables and, during a rebuild, fresh
    ones. ``apply`` gets events in stream order and must apply them in that order.
    """

    @property
    def name(self) -> str:
        """Short identifier: the live schema is ``rm_<name>``."""
        ...

    @property
    def sources(self) -> Sequence[Source]:
        """The streams the projection reads."""
        ...

    @property
    def handles(self) -> frozenset[str]:
        """Event types it applies; other events of its streams are passed over."""
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
