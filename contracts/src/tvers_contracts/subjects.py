"""Every NATS subject and JetStream stream name is built here, never typed by hand.

Subjects are ``<service>.<aggregate>.<event>`` (``access.door.entry_granted``), and each owning
service has one stream over ``<service>.>`` named after it in capitals (``ACCESS``).
"""

from __future__ import annotations

import re

from tvers_contracts.event import DomainEvent

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")
_TOKEN = re.compile(r"[a-z][a-z0-9_]*")


def snake_case(name: str) -> str:
    """``EntryGranted`` -> ``entry_granted``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _token(value: str) -> str:
    if not _TOKEN.fullmatch(value):
        raise ValueError(f"not a valid subject token: {value!r}")
    return value


def event_subject(event_class: type[DomainEvent]) -> str:
    """The subject an event is published on."""
    return ".".join(
        (
            _token(event_class.service),
            _token(event_class.aggregate),
            _token(snake_case(event_class.event_type())),
        )
    )


def service_of_subject(subject: str) -> str:
    """The owning service of a subject: its first token."""
    return subject.split(".", 1)[0]


def stream_name(service: str) -> str:
    """The JetStream stream that holds a service's events: ``access`` -> ``ACCESS``."""
    return _token(service).upper()


def stream_subjects(service: str) -> list[str]:
    """The subjects a service's stream captures."""
    return [f"{_token(service)}.>"]
