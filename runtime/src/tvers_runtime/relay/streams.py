"""The JetStream stream each owning service declares for its events."""

from __future__ import annotations

from dataclasses import dataclass

from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from nats.js.manager import JetStreamManager

from tvers_contracts import stream_name, stream_subjects


@dataclass(frozen=True)
class StreamSettings:
    """How a service's stream is kept.

    The duplicate window is one hour: JetStream drops a repeated ``Nats-Msg-Id`` within it. The
    relay does not depend on it (it resynchronises from the stream's last message after any
    failure, and every publish states the sequence it expects to follow), so the window only has
    to cover the seconds between a publish and the relay's checkpoint. An hour is generous and
    keeps the server's dedupe memory small.
    """

    replicas: int = 1
    duplicate_window_seconds: float = 3600.0


def stream_config(service: str, settings: StreamSettings) -> StreamConfig:
    """The stream of one service: every event kept (rebuilds replay from sequence 1)."""
    return StreamConfig(
        name=stream_name(service),
        description=f"Domain events published by the {service} service",
        subjects=stream_subjects(service),
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        num_replicas=settings.replicas,
        duplicate_window=settings.duplicate_window_seconds,
        allow_direct=True,
        deny_delete=True,
        deny_purge=True,
    )


async def ensure_stream(
    manager: JetStreamManager, service: str, settings: StreamSettings | None = None
) -> None:
    """Create the service's stream, or bring its configuration up to date. Only the owner calls
    this; consumers never declare a stream."""
    config = stream_config(service, settings or StreamSettings())
    try:
        await manager.stream_info(config.name or "")
    except NotFoundError:
        await manager.add_stream(config)
        return
    await manager.update_stream(config)
