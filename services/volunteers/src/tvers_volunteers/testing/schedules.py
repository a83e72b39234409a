"""Access's schedule events on a real JetStream, for the volunteers' tests (see
:mod:`tvers_runtime.testing.schedules`), waited for until the service's ``volunteers-schedules``
subscriber has taken them."""

from __future__ import annotations

from nats.aio.client import Client as NatsClient

from tvers_runtime.testing import schedules
from tvers_runtime.testing.schedules import AccessBranch, weekly
from tvers_volunteers.entrypoints.subscribers import SUBSCRIBERS

SCHEDULES = next(s for s in SUBSCRIBERS if s.durable == "volunteers-schedules")


async def taken_up_to(nats: NatsClient, sequence: int) -> None:
    """Wait until the volunteers-schedules subscriber has acknowledged the ACCESS stream up to
    ``sequence`` (it acks after its effect has committed)."""
    await schedules.taken_up_to(nats, SCHEDULES, sequence)


__all__ = ["SCHEDULES", "AccessBranch", "taken_up_to", "weekly"]
