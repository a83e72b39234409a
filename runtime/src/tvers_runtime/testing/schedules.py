"""Access's schedule events on a real JetStream, for tests of services that learn branches' hours
(:mod:`tvers_runtime.branch_schedules`): published on the ACCESS stream as access's relay would
publish them (envelopes from the contracts), and waited for until a subscriber has taken them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from nats.aio.client import Client as NatsClient

from tvers_contracts import DomainEvent, event_subject
from tvers_contracts.events.access import SchedulePeriod, WeeklyScheduleSet
from tvers_contracts.values import OpeningKind
from tvers_runtime.subscriber import Subscriber
from tvers_runtime.testing.pipeline import eventually


def weekly(weekday: int, starts: str, ends: str, kind: str = "meirope") -> SchedulePeriod:
    """A weekly period (ISO weekday, Oslo wall-clock times)."""
    return SchedulePeriod(weekday=weekday, starts=starts, ends=ends, kind=OpeningKind(kind))


@dataclass
class AccessBranch:
    """A branch's stream at access (``branch-<id>``), publishing its events in order of
    version, or with a version given (to publish them out of order)."""

    nats: NatsClient
    branch_id: str
    tenant: str = "1508"
    version: int = 0
    published: list[bytes] = field(default_factory=list)

    def envelope(self, event: DomainEvent, version: int, event_id: UUID | None = None) -> bytes:
        now = datetime.now(UTC).isoformat()
        return json.dumps(
            {
                "event_id": str(event_id or uuid4()),
                "event_type": event.event_type(),
                "schema_version": event.schema_version,
                "tenant": self.tenant,
                "stream_id": f"branch-{self.branch_id}",
                "stream_version": version,
                "occurred_at": now,
                "recorded_at": now,
                "correlation_id": str(uuid4()),
                "causation_id": None,
                "payload": json.loads(event.model_dump_json()),
            }
        ).encode()

    async def publish(self, event: DomainEvent, *, version: int | None = None) -> int:
        """Publish an event (by default the stream's next version); its stream sequence."""
        if version is None:
            self.version += 1
            version = self.version
        return await self.send(event_subject(type(event)), self.envelope(event, version))

    async def send(self, subject: str, data: bytes) -> int:
        """Publish a message as it is (a copy of one sent before, say)."""
        self.published.append(data)
        ack = await self.nats.jetstream().publish(
            subject, data, headers={"Nats-Msg-Id": str(uuid4())}
        )
        return int(ack.seq)

    async def week(self, *periods: SchedulePeriod) -> int:
        """Publish the branch's weekly schedule."""
        return await self.publish(WeeklyScheduleSet(branch_id=self.branch_id, periods=[*periods]))


async def taken_up_to(nats: NatsClient, subscriber: Subscriber, sequence: int) -> None:
    """Wait until ``subscriber`` has acknowledged its source stream up to ``sequence`` (it acks
    after its effect has committed)."""

    async def acked() -> bool:
        try:
            info = await nats.jsm().consumer_info(subscriber.stream, subscriber.durable)
        except Exception:
            return False
        return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= sequence

    await eventually(acked)
