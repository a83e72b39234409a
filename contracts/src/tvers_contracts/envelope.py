"""The one envelope every message travels in.

On the wire it is JSON: the metadata below plus ``payload``, the event's own fields. A third party
needs nothing but the JSON Schemas in ``contracts/schemas`` and a NATS client to read it.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from tvers_contracts.event import DomainEvent

P = TypeVar("P")

#: A municipality by its official four-digit number (Ålesund is 1508). One deployment can serve
#: several municipalities; every event says which one it belongs to.
TenantId = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
StreamId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Envelope(BaseModel, Generic[P]):
    """Metadata of one stored event and its payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID = Field(description="Unique id of the event; also its NATS Msg-Id.")
    event_type: str = Field(description="Stable event name, e.g. EntryGranted.")
    schema_version: int = Field(ge=1, description="Version of the payload's schema.")
    tenant: TenantId = Field(description="Municipality number the event belongs to.")
    stream_id: StreamId = Field(description="The aggregate instance the event belongs to.")
    stream_version: int = Field(ge=1, description="Position of the event in its stream, from 1.")
    occurred_at: AwareDatetime = Field(description="When it happened, as the owner saw it.")
    recorded_at: AwareDatetime = Field(description="When the owner's event store committed it.")
    correlation_id: UUID = Field(description="Id shared by everything one request caused.")
    causation_id: UUID | None = Field(
        default=None, description="The command or event that directly caused this one."
    )
    payload: P


#: An envelope whose payload has not been decoded into its event class.
RawEnvelope = Envelope[dict[str, Any]]

E = TypeVar("E", bound=DomainEvent)
EventEnvelope = Envelope[E]
