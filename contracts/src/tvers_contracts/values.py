"""Value types shared by the events of several services."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

#: Branches, doors and schools are data, named by short slugs staff choose: ``alesund-sentrum``.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]

#: A keyed hash (HMAC-SHA256, per-deployment secret) of a library card number, hex, 32 characters.
#: The card number itself never leaves the door gateway.
PatronRef = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


#: ``HH:MM``, ``HH:MM:SS`` or ``HH:MM:SS.ffffff``, 24-hour clock, and nothing after it.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
_LOCAL_TIME = re.compile(LOCAL_TIME_PATTERN)
LOCAL_TIME_DESCRIPTION = (
    "Local wall-clock time in Europe/Oslo, no offset: HH:MM[:SS[.ffffff]]. It is not an RFC 3339 "
    "time, which needs an offset: the same wall-clock time has a different offset in summer and "
    "in winter."
)


def _local_time(value: Any) -> Any:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("a local wall-clock time has no UTC offset")
        return value
    if not isinstance(value, str) or not _LOCAL_TIME.fullmatch(value):
        raise ValueError(
            "expected a local wall-clock time HH:MM[:SS[.ffffff]] without a UTC offset "
            "(Europe/Oslo time, e.g. 18:00)"
        )
    return value


#: A time of day on the municipality's wall clocks (Europe/Oslo), without a UTC offset: weekly
#: schedules say "18:00" all year round, while the offset changes with daylight saving time.
#: Text with an offset (``18:00+01:00``, ``17:00Z``) is refused rather than silently compared
#: with naive times. JSON Schema: a pattern, not ``format: time`` (which demands an offset).
LocalTime = Annotated[
    time,
    BeforeValidator(_local_time),
    WithJsonSchema(
        {"type": "string", "pattern": LOCAL_TIME_PATTERN, "description": LOCAL_TIME_DESCRIPTION}
    ),
]


class OpeningKind(StrEnum):
    """What kind of opening hours a moment falls in."""

    STAFFED = "staffed"
    MEIROPE = "meirope"
    CLOSED = "closed"
