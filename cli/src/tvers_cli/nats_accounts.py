"""NATS users, each allowed only the subjects it needs.

- ``tvers`` is the admin: it creates the streams. Only it may use the whole JetStream API; a user
  with ``$JS.API.>`` could delete streams.
- An owning service publishes on ``<service>.>`` and manages its own stream.
- ``reporting`` may create, read and delete consumers on the streams it projects, and read single
  messages of them.
- A service that subscribes to another's events (FastStream, see
  :mod:`tvers_runtime.subscriber`) may use its own durable consumers on the source stream and
  nothing else there: create (or update) and look up each durable by its name, delete it (to make
  it again when its configuration changed in a way the server cannot apply in place), pull its
  next messages, and acknowledge them. A service may subscribe to its own stream the same way
  (``volunteers-mail``); there it has its owner's rights besides.
- ``consumer`` is for third parties: it reads every published stream through consumers of its
  own, acks what it has read, and reads stream info and single messages. It cannot publish an
  event, and cannot create, update, purge or delete a stream.

Subject permissions cannot tell who made a consumer, so the consumer user is denied the consumer
names kept for the services: the services' own names and their subscribers' durables
(``volunteers-branches`` on ``ACCESS``, ``access-check-ins`` on ``VOLUNTEERS``).

A durable that filters on one subject is held to it: the subject of its create request names the
filter, and the server checks that the request's filter is that one. A durable of several
subjects (``access-check-ins``: check-ins and check-outs, under one version guard) cannot be: its
service may make that durable with other filters of the same stream, and so read the rest of
that stream (for ``VOLUNTEERS``: shifts and claims, by opaque volunteer ids, no personal data).

Residual risk, which no subject permission can close: a consumer's configuration (its deliver
subject) travels in the request body. A push consumer may therefore deliver a stream's messages
to another stream's subject, and where someone subscribes to that subject in core NATS (only
``tvers`` can), that stream stores the copies. Nobody but the admin subscribes to event subjects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from tvers_access.entrypoints.subscribers import SUBSCRIBERS as ACCESS_SUBSCRIBERS
from tvers_cli.layout import PUBLISHERS, SERVICES
from tvers_contracts import stream_name
from tvers_runtime.subscriber import Subscriber
from tvers_visits.entrypoints.subscribers import SUBSCRIBERS as VISITS_SUBSCRIBERS
from tvers_volunteers.entrypoints.subscribers import SUBSCRIBERS as VOLUNTEERS_SUBSCRIBERS

#: The durable subscribers each service runs.
SUBSCRIBERS: dict[str, tuple[Subscriber, ...]] = {
    "access": ACCESS_SUBSCRIBERS,
    "volunteers": VOLUNTEERS_SUBSCRIBERS,
    "visits": VISITS_SUBSCRIBERS,
}

ADMIN = "tvers"
CONSUMER = "consumer"
INBOX = "_INBOX.>"
#: The inbox prefix the consumer user's clients must use (nats-py: ``inbox_prefix=``).
CONSUMER_INBOX = "_INBOX_consumer"


@dataclass(frozen=True)
class Permissions:
    """What one NATS user may publish and subscribe to (deny wins over allow)."""

    publish: list[str]
    subscribe: list[str] = field(default_factory=lambda: [INBOX])
    publish_denied: list[str] = field(default_factory=list)

    def config(self) -> dict[str, dict[str, list[str]]]:
        """The user's ``permissions`` block in the server configuration."""
        publish = {"allow": self.publish}
        if self.publish_denied:
            publish["deny"] = self.publish_denied
        return {"publish": publish, "subscribe": {"allow": self.subscribe}}


def users() -> tuple[str, ...]:
    """Every NATS user; each has a password file ``nats-<user>.password`` in the secrets."""
    return (ADMIN, CONSUMER, *SERVICES)


def _publisher(service: str) -> Permissions:
    stream = stream_name(service)
    return Permissions(
        [
            f"{service}.>",
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.CREATE.{stream}",
            f"$JS.API.STREAM.UPDATE.{stream}",
            f"$JS.API.STREAM.MSG.GET.{stream}",
        ]
    )


def _projector(streams: list[str]) -> Permissions:
    publish: list[str] = []
    for stream in streams:
        publish += [
            f"$JS.API.STREAM.INFO.{stream}",
            # To check the message at a read model's checkpoint is the one it applied.
            f"$JS.API.STREAM.MSG.GET.{stream}",
            f"$JS.API.CONSUMER.CREATE.{stream}.>",
            f"$JS.API.CONSUMER.DELETE.{stream}.>",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.>",
        ]
    return Permissions(publish)


def _reader(streams: list[str], reserved_consumers: list[str]) -> Permissions:
    """Read-only: its own consumers (durable, ephemeral, ordered) on ``streams``, and acks."""
    publish = ["$JS.API.INFO", "$JS.API.STREAM.NAMES"]
    for stream in streams:
        publish += [
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.MSG.GET.{stream}",
            f"$JS.API.DIRECT.GET.{stream}",
            f"$JS.API.DIRECT.GET.{stream}.>",
            f"$JS.API.CONSUMER.CREATE.{stream}",  # an ephemeral consumer (older clients)
            f"$JS.API.CONSUMER.CREATE.{stream}.>",  # a named consumer, with or without filter
            f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.*",
            f"$JS.API.CONSUMER.INFO.{stream}.*",
            # No CONSUMER.NAMES or .LIST: the services' readers are named at random, and must
            # stay unknown to it (it may delete and pull from consumers it can name).
            f"$JS.API.CONSUMER.DELETE.{stream}.*",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.*",
            f"$JS.ACK.{stream}.>",  # ack, nak, term, in progress
            f"$JS.FC.{stream}.>",  # flow control of push and ordered consumers
        ]
    denied: list[str] = []
    for name in reserved_consumers:
        denied += [
            f"$JS.API.CONSUMER.CREATE.*.{name}",
            f"$JS.API.CONSUMER.CREATE.*.{name}.>",
            f"$JS.API.CONSUMER.DURABLE.CREATE.*.{name}",
            f"$JS.API.CONSUMER.DELETE.*.{name}",
            f"$JS.API.CONSUMER.MSG.NEXT.*.{name}",
            f"$JS.ACK.*.{name}.>",
        ]
    # Replies come to an inbox of its own: on ``_INBOX.>`` it could read the services' replies,
    # the names of their readers among them.
    return Permissions(publish, subscribe=[f"{CONSUMER_INBOX}.>"], publish_denied=denied)


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


def permissions() -> dict[str, Permissions]:
    """Each user's permissions, but the admin's (which has no limits)."""
    streams = [stream_name(service) for service in PUBLISHERS]
    granted = {service: _publisher(service) for service in PUBLISHERS}
    granted["reporting"] = _projector(streams)
    for service in SERVICES:
        granted.setdefault(service, Permissions([]))
    for service, subscribers in SUBSCRIBERS.items():
        granted[service].publish.extend(_durables(subscribers))
    durables = [s.durable for subscribers in SUBSCRIBERS.values() for s in subscribers]
    granted[CONSUMER] = _reader(streams, reserved_consumers=[*SERVICES, *durables])
    return granted


def server_config(passwords: dict[str, str]) -> str:
    """The ``authorization`` block of the server configuration."""
    configured: list[dict[str, object]] = [{"user": ADMIN, "password": passwords[ADMIN]}]
    for user, allowed in permissions().items():
        configured.append(
            {"user": user, "password": passwords[user], "permissions": allowed.config()}
        )
    # JSON is valid NATS configuration syntax.
    return "authorization " + json.dumps({"users": configured}, indent=2)
