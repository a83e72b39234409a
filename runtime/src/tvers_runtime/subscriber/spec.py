"""What a service declares to react to another service's events."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from tvers_contracts import DomainEvent, Envelope, event_subject, stream_name
from tvers_runtime.db.types import Connection

#: The effect of one event: runs inside the transaction that records the event in the inbox.
Effect = Callable[[Connection, Envelope[DomainEvent]], Awaitable[None]]
#: The key whose versions the guard compares, for one event (by default its source stream).
VersionKey = Callable[[Envelope[DomainEvent]], str]

_DURABLE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Subscriber:
    """A durable subscription of one service to some events of another service's stream.

    ``durable`` names the JetStream consumer (``<service>-<what>``, e.g. ``volunteers-branches``);
    every replica of the service shares it, and it remembers what was acknowledged across
    restarts. ``effect`` applies one event; the runtime calls it at most once per event id, and
    never for an event older than one it already applied from the same source stream (an
    aggregate such as ``branch-skodje``). So each event a subscriber takes must carry all it keeps
    of that aggregate, which suits "latest state per key" views such as the known branches.

    ``guard_versions=False`` drops the second rule and keeps only the inbox: every event is
    applied once, whatever its version and however late. That suits a subscriber whose events
    stand each for themselves rather than for the latest state of their stream (the volunteers'
    mail: several reminders on one shift's stream are all wanted, and one delivered late must
    not be dropped as stale). Its effect must then not depend on the order of delivery.

    Where one stream holds several keys, each event carrying all of only one of them (a branch's
    weekly schedule, and each date's exception), ``version_key`` names the key of an event
    (``branch-skodje/weekly``, ``branch-skodje/2026-12-24``): versions are then compared per key,
    so a later event of another key never makes an earlier one stale. Keys must begin with the
    stream id, so those of two streams never meet.

    A message is retried with backoff while it fails (``max_attempts`` deliveries), then written to
    ``subscriber_dead_letters`` and dropped from the consumer.
    """

    durable: str
    source: str
    events: tuple[type[DomainEvent], ...]
    effect: Effect
    max_attempts: int = 8
    batch: int = 20
    ack_wait_seconds: float = 30.0
    guard_versions: bool = True
    version_key: VersionKey | None = None

    def __post_init__(self) -> None:
        if not _DURABLE.match(self.durable):
            raise ValueError(f"a durable name is lower-case letters, digits and -: {self.durable}")
        if not self.events:
            raise ValueError("a subscriber takes at least one event")
        if any(event.service != self.source for event in self.events):
            raise ValueError(f"{self.durable}: every event must be published by {self.source}")

    def guarded_key(self, envelope: Envelope[DomainEvent]) -> str:
        """The key whose versions the guard compares for ``envelope``."""
        if self.version_key is None:
            return envelope.stream_id
        key = self.version_key(envelope)
        if not key.startswith(envelope.stream_id):
            raise ValueError(f"{self.durable}: a version key begins with its stream id: {key}")
        return key

    @property
    def stream(self) -> str:
        """The source service's JetStream stream (declared by its owner, never here)."""
        return stream_name(self.source)

    @property
    def subjects(self) -> list[str]:
        """The subjects the consumer filters on."""
        return sorted({event_subject(event) for event in self.events})

    def consumer_config(self) -> ConsumerConfig:
        """The durable consumer's configuration.

        Explicit acks, sent after the effect has committed. ``max_deliver`` is unlimited on the
        server: the handler itself decides when a message is dead (after ``max_attempts``), so a
        message is never dropped by the server without a dead-letter row.
        """
        subjects = self.subjects
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description=f"{self.durable}: {', '.join(subjects)}",
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_seconds,
            max_deliver=-1,
            max_ack_pending=max(100, self.batch * 5),
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
        )
