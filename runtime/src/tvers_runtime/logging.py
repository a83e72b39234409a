"""structlog, configured once per process: JSON lines in production, readable on a terminal.

The correlation id of the request (or of the event being applied) is bound in a context variable
and appears on every line logged while it is bound, including lines from the standard library's
loggers (uvicorn, asyncpg, nats).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog

#: Keys whose values are never logged, whatever code passes them.
_REDACTED_KEYS = frozenset({"card", "card_number", "pin", "password", "token", "secret"})
#: The same keys as query parameters in a message (uvicorn's access log writes whole request
#: lines: the dashboard's sign-in address carries a token).
_REDACTED_PARAMETERS = re.compile(
    r"([?&](?:" + "|".join(sorted(_REDACTED_KEYS)) + r")=)[^&\s\"']*", re.IGNORECASE
)


def _redact(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in event_dict.keys() & _REDACTED_KEYS:
        event_dict[key] = "[redacted]"
    event = event_dict.get("event")
    if isinstance(event, str) and "=" in event:
        event_dict["event"] = _REDACTED_PARAMETERS.sub(r"\1[redacted]", event)
    return event_dict


def configure_logging(*, service: str, level: str = "INFO", json: bool | None = None) -> None:
    """Set up structlog and route the standard library's logging through it."""
    as_json = (not sys.stderr.isatty()) if json is None else json
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: a cached module-level logger keeps the processors it first met, so a
        # later reconfiguration (structlog.testing.capture_logs in a test, say) would miss it.
        # The lookup it saves costs about a microsecond per line.
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if as_json else _keep,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def _keep(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    return event_dict


@contextmanager
def correlation(correlation_id: object) -> Iterator[None]:
    """Bind a correlation id to every log line within the block."""
    with structlog.contextvars.bound_contextvars(correlation_id=str(correlation_id)):
        yield
