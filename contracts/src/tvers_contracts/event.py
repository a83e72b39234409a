"""The base of every published event.

An event is a frozen, past-tense fact. Its class says where it belongs (owning service and
aggregate) and which schema version it is; its fields are the payload. Consumers ignore fields
they do not know, so adding an optional field never breaks them. Anything else is a new schema
version with an upcaster (see :mod:`tvers_contracts.registry`).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class DomainEvent(BaseModel):
    """A fact one service owns and publishes. Subclasses set ``service`` and ``aggregate``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    service: ClassVar[str]
    aggregate: ClassVar[str]
    schema_version: ClassVar[int] = 1
    #: Set on an older version kept as its own class (``FooV1``) so old events can be read.
    type_name: ClassVar[str | None] = None

    @classmethod
    def event_type(cls) -> str:
        """The stable name of the event, shared by all its schema versions."""
        return cls.type_name or cls.__name__
