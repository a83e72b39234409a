"""The durable consumer, made to match the code: an existing durable keeps the configuration it
was created with, and nats-py does not notice when the code has changed since. So before the
subscriber starts, its durable is created, or compared with the code and brought up to date.
"""

from __future__ import annotations

import math

import structlog
from nats.js.api import ConsumerConfig
from nats.js.errors import APIError, NotFoundError, ServiceUnavailableError
from nats.js.manager import JetStreamManager

from tvers_runtime.subscriber.spec import Subscriber

log = structlog.get_logger(__name__)

_COMPARED = (
    "deliver_policy",
    "ack_policy",
    "max_deliver",
    "max_ack_pending",
    "description",
)


def drift(actual: ConsumerConfig, wanted: ConsumerConfig) -> list[str]:
    """The settings in which the server's durable differs from the code's."""
    differing = [name for name in _COMPARED if getattr(actual, name) != getattr(wanted, name)]
    if not math.isclose(actual.ack_wait or 0.0, wanted.ack_wait or 0.0, abs_tol=0.001):
        differing.append("ack_wait")
    if _filters(actual) != _filters(wanted):
        differing.append("filter_subjects")
    return differing


def _filters(config: ConsumerConfig) -> list[str]:
    return sorted(
        config.filter_subjects or ([config.filter_subject] if config.filter_subject else [])
    )


async def ensure_durable(manager: JetStreamManager, subscriber: Subscriber) -> None:
    """Create the durable, or update it where it drifted from the code.

    A change the server cannot make in place (the deliver policy, say) deletes and recreates the
    durable: it then delivers the stream from the start again, which the inbox and the version
    guard make harmless. Raises ``NotFoundError`` while the source stream does not exist yet (its
    owner creates it on its first start).
    """
    wanted = subscriber.consumer_config()
    try:
        info = await manager.consumer_info(subscriber.stream, subscriber.durable)
    except NotFoundError:
        await manager.add_consumer(subscriber.stream, wanted)
        log.info("durable_created", durable=subscriber.durable, stream=subscriber.stream)
        return
    differing = drift(info.config, wanted)
    if not differing:
        return
    try:
        await manager.add_consumer(subscriber.stream, wanted)
        log.warning("durable_updated", durable=subscriber.durable, settings=differing)
    except ServiceUnavailableError:
        raise
    except APIError as error:  # e.g. 10012 "deliver policy can not be updated"
        await manager.delete_consumer(subscriber.stream, subscriber.durable)
        await manager.add_consumer(subscriber.stream, wanted)
        log.warning(
            "durable_recreated",
            durable=subscriber.durable,
            settings=differing,
            because=str(error),
        )
