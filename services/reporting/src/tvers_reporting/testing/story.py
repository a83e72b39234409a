"""Events of several services' streams, built from the contracts and published on JetStream as
their owners' relays would publish them: what the reporting tests feed the read models."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import nats

from tvers_contracts import DomainEvent, Envelope, event_subject
from tvers_runtime.relay import ensure_stream

TENANT = "1508"


class Story:
    """Events of several streams, each at its next version, in the order they happened."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope[DomainEvent]] = []
        self.versions: dict[str, int] = {}

    def add(self, stream_id: str, at: datetime, payload: DomainEvent) -> None:
        """The next event of ``stream_id``, happened (and recorded) at ``at``."""
        version = self.versions.get(stream_id, 0) + 1
        self.versions[stream_id] = version
        self.envelopes.append(
            Envelope[DomainEvent](
                event_id=uuid4(),
                event_type=type(payload).__name__,
                schema_version=type(payload).schema_version,
                tenant=TENANT,
                stream_id=stream_id,
                stream_version=version,
                occurred_at=at,
                recorded_at=at,
                correlation_id=uuid4(),
                payload=payload,
            )
        )


async def publish(nats_url: str, envelopes: list[Envelope[DomainEvent]]) -> None:
    """Publish ``envelopes`` in order, on their services' streams (made if missing)."""
    client = await nats.connect(nats_url)
    try:
        for service in sorted({type(e.payload).service for e in envelopes}):
            await ensure_stream(client.jsm(), service)
        for envelope in envelopes:
            await client.jetstream().publish(
                event_subject(type(envelope.payload)),
                envelope.model_dump_json(serialize_as_any=True).encode(),
            )
    finally:
        await client.close()
