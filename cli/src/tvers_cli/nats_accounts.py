"""NATS users for the services, each allowed only its own subjects.

An owning service publishes on ``<service>.>`` and manages its own stream; reporting may create,
read and delete consumers on the streams it projects. Nobody but ``tvers`` itself (which creates
the streams) may touch the rest of the JetStream API: a service with ``$JS.API.>`` could delete
streams.
"""

from __future__ import annotations

import json

from tvers_cli.layout import PUBLISHERS, SERVICES
from tvers_contracts import stream_name


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


def permissions() -> dict[str, dict[str, list[str]]]:
    """Each service user's publish and subscribe allow lists."""
    granted = {service: _publisher(service) for service in PUBLISHERS}
    granted["reporting"] = _projector([stream_name(s) for s in PUBLISHERS])
    for service in SERVICES:
        granted.setdefault(service, {"publish": [], "subscribe": ["_INBOX.>"]})
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
