"""Event contracts of Samarbeid på tvers.

The envelope, the events of every service, the subjects they travel on, and the registry that
decodes (and upcasts) them. JSON Schemas and the AsyncAPI document are generated from this package
by ``python -m tvers_contracts.generate``.
"""

from tvers_contracts.catalog import REGISTRY, SERVICES
from tvers_contracts.envelope import Envelope, RawEnvelope, TenantId
from tvers_contracts.errors import (
    ContractError,
    InvalidPayload,
    UnknownEventType,
    UnsupportedSchemaVersion,
)
from tvers_contracts.event import DomainEvent
from tvers_contracts.registry import EventRegistry
from tvers_contracts.subjects import event_subject, stream_name, stream_subjects

__all__ = [
    "REGISTRY",
    "SERVICES",
    "ContractError",
    "DomainEvent",
    "Envelope",
    "EventRegistry",
    "InvalidPayload",
    "RawEnvelope",
    "TenantId",
    "UnknownEventType",
    "UnsupportedSchemaVersion",
    "event_subject",
    "stream_name",
    "stream_subjects",
]
