"""NATS users for the services, each allowed only its own subjects.

An owning service publishes on ``<service>.>`` and manages its own stream; reporting may create,
read and delete consumers on the streams it projects. A service that subscribes to another's
events (FastStream, see :mod:`tvers_runtime.subscriber`) may use its own durable consumers on the
source stream and nothing else there: create (or update) and look up each durable by its name,
delete it (to make it again when its configuration changed in a way the server cannot apply in
place), pull its next messages, and acknowledge them. Nobody but ``tvers`` itself (which creates
the streams) may touch the rest of the JetStream API: a service with ``$JS.API.>`` could delete
streams.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from tvers_cli.layout import PUBLISHERS, SERVICES
from tvers_contracts import stream_name
from tvers_runtime.subscriber import Subscriber
from tvers_visits.entrypoints.subscribers import SUBSCRIBERS as VISITS_SUBSCRIBERS
from tvers_volunteers.entrypoints.subscribers import SUBSCRIBERS as VOLUNTEERS_SUBSCRIBERS

#: The durable subscribers each service runs.
SUBSCRIBERS: dict[str, tuple[Subscriber, ...]] = {
    "volunteers": VOLUNTEERS_SUBSCRIBERS,
    "visits": VISITS_SUBSCRIBERS,
}


def _publisher(service: str) -> dict[str, list[str]]:
    stream = stream_name(service)
    return {
        "publish": [
            f"{service}.>",
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.CREATE.{stream}",
            f"$JS.API.STREAM.UPDATE.{stream}",
            f"$JS.API.STREAM.MSG.GET.{stream}",
        ],
        "subscribe": ["_INBOX.>"],
    }


def _projector(streams: list[str]) -> dict[str, list[str]]:
    publish: list[str] = []
    for stream in streams:
        publish += [
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.CONSUMER.CREATE.{stream}.>",
            f"$JS.API.CONSUMER.DELETE.{stream}.>",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.>",
        ]
    return {"publish": publish, "subscribe": ["_INBOX.>"]}


def _durables(subscribers: Iterable[Subscriber]) -> list[str]:
    publish: list[str] = []
    for subscriber in subscribers:
        on = f"{subscriber.stream}.{subscriber.durable}"
        # With one filter subject, the create request names it in its subject, and the server
        # checks that the request's filter is that one: the durable cannot be widened to the
        # whole stream. With several, the subject cannot say them.
        subjects = subscriber.subjects
        create = f"{on}.{subjects[0]}" if len(subjects) == 1 else on
        publish += [
            f"$JS.API.CONSUMER.INFO.{on}",
            f"$JS.API.CONSUMER.CREATE.{create}",
            f"$JS.API.CONSUMER.DELETE.{on}",
            f"$JS.API.CONSUMER.MSG.NEXT.{on}",
            f"$JS.ACK.{on}.>",
        ]
    return publish


def permissions() -> dict[str, dict[str, list[str]]]:
    """Each service user's publish and subscribe allow lists."""
    granted = {service: _publisher(service) for service in PUBLISHERS}
    granted["reporting"] = _projector([stream_name(s) for s in PUBLISHERS])
    for service in SERVICES:
        granted.setdefault(service, {"publish": [], "subscribe": ["_INBOX.>"]})
    for service, subscribers in SUBSCRIBERS.items():
        granted[service]["publish"] += _durables(subscribers)
    return granted


def server_config(passwords: dict[str, str]) -> str:
    """The ``authorization`` block of the server configuration (``tvers`` is the admin)."""
    users: list[dict[str, object]] = [{"user": "tvers", "password": passwords["tvers"]}]
    for service, allowed in permissions().items():
        users.append(
            {
                "user": service,
                "password": passwords[service],
                "permissions": {
                    "publish": {"allow": allowed["publish"]},
                    "subscribe": {"allow": allowed["subscribe"]},
                },
            }
        )
    # JSON is valid NATS configuration syntax.
    return "authorization " + json.dumps({"users": users}, indent=2)
