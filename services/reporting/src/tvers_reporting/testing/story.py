"""Events of several services' streams, built from the contracts and published on JetStream as
their owners' relays would publish them: what the reporting tests feed the read models."""

from __future__ import annotations

from datetime import datetime

from tvers_contracts import DomainEvent, Envelope
from tvers_reporting.testing.events import envelope, publish

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
            envelope(payload, occurred_at=at, stream_id=stream_id, version=version, tenant=TENANT)
        )


__all__ = ["TENANT", "Story", "publish"]
