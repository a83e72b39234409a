"""Check-ins and check-outs on a shift, as the volunteers service publishes them: built from the
contracts, each carrying who is present after it, numbered on the shift's stream. Tests publish
them on the VOLUNTEERS stream in any order they like (the stream must exist: its owner declares
it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from nats.aio.client import Client as NatsClient

from tvers_access.domain.hosts import shift_stream
from tvers_contracts import REGISTRY, DomainEvent, event_subject
from tvers_contracts.events.volunteers import PresentHost, VolunteerCheckedIn, VolunteerCheckedOut


@dataclass(frozen=True)
class Published:
    """One event of a shift's stream, ready to publish (again)."""

    event_id: UUID
    subject: str
    data: bytes
    stream_version: int


@dataclass
class ShiftAttendance:
    """One shift's check-ins and check-outs, in the order they happen. Version 1 of the shift's
    stream is its ``ShiftPublished`` (not needed here), so the first check-in is version 2."""

    branch_id: str
    starts_at: datetime
    ends_at: datetime
    tenant: str = "1508"
    shift_id: UUID = field(default_factory=uuid4)
    version: int = 1
    present: dict[UUID, datetime] = field(default_factory=dict)

    def check_in(self, volunteer_id: UUID, at: datetime) -> Published:
        """The next event: ``volunteer_id`` checks in at ``at``."""
        self.present[volunteer_id] = at
        return self._next(
            VolunteerCheckedIn(
                shift_id=self.shift_id,
                branch_id=self.branch_id,
                volunteer_id=volunteer_id,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                present=self._present(),
                checked_in_at=at,
            )
        )

    def check_out(
        self, volunteer_id: UUID, at: datetime, *, closed_by_rule: bool = False
    ) -> Published:
        """The next event: ``volunteer_id`` checks out at ``at`` (or the rule closes it)."""
        checked_in_at = self.present.pop(volunteer_id)
        return self._next(
            VolunteerCheckedOut(
                shift_id=self.shift_id,
                branch_id=self.branch_id,
                volunteer_id=volunteer_id,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                present=self._present(),
                checked_in_at=checked_in_at,
                checked_out_at=at,
                closed_by_rule=closed_by_rule,
            )
        )

    def _present(self) -> list[PresentHost]:
        return [PresentHost(volunteer_id=v, checked_in_at=t) for v, t in self.present.items()]

    def _next(self, event: DomainEvent) -> Published:
        self.version += 1
        now = datetime.now(UTC)
        envelope = REGISTRY.envelope_of(type(event))(
            event_id=uuid4(),
            event_type=event.event_type(),
            schema_version=event.schema_version,
            tenant=self.tenant,
            stream_id=shift_stream(self.shift_id),
            stream_version=self.version,
            occurred_at=now,
            recorded_at=now,
            correlation_id=uuid4(),
            payload=event,
        )
        return Published(
            envelope.event_id,
            event_subject(type(event)),
            envelope.model_dump_json().encode(),
            self.version,
        )


async def publish(nats: NatsClient, event: Published, *, message_id: str | None = None) -> int:
    """Publish as the volunteers service's relay would (``Nats-Msg-Id`` is the event id, unless
    ``message_id`` says otherwise: a copy JetStream does not drop as a duplicate); returns its
    sequence on the stream."""
    ack = await nats.jetstream().publish(
        event.subject, event.data, headers={"Nats-Msg-Id": message_id or str(event.event_id)}
    )
    return int(ack.seq)
