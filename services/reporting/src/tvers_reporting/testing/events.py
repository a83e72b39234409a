"""Events as the other services publish them, for reporting's tests: an envelope around a
contract's payload, and publishing to its owner's JetStream stream as the owner's relay would."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import uuid4

import nats

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_runtime.relay import ensure_stream


def envelope(
    payload: DomainEvent,
    *,
    occurred_at: datetime | None = None,
    stream_id: str | None = None,
    version: int = 1,
    tenant: str = "1508",
) -> Envelope[DomainEvent]:
    """An event of ``payload``'s service, in a stream of its own unless one is named."""
    at = occurred_at or datetime.now(UTC)
    return Envelope[DomainEvent](
        event_id=uuid4(),
        event_type=type(payload).__name__,
        schema_version=payload.schema_version,
        tenant=tenant,
        stream_id=stream_id or f"{payload.service}-{uuid4()}",
        stream_version=version,
        occurred_at=at,
        recorded_at=at,
        correlation_id=uuid4(),
        payload=payload,
    )


async def publish(nats_url: str, envelopes: Sequence[Envelope[DomainEvent]]) -> None:
    """Publish the events to their services' streams (made if missing), in order."""
    client = await nats.connect(nats_url)
    try:
        for service in sorted({e.payload.service for e in envelopes}):
            await ensure_stream(client.jsm(), service)
        for each in envelopes:
            await client.jetstream().publish(
                event_subject(type(each.payload)),
                each.model_dump_json(serialize_as_any=True).encode(),
            )
    finally:
        await client.close()
