"""The clock every rule reads: injected, so tests can pin it at midnight or a daylight-saving
change. It returns an aware UTC time; rules convert to local (Europe/Oslo) time themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always says ``moment`` (which must be aware)."""
    if moment.tzinfo is None:
        raise ValueError("a clock tells aware times")
    return lambda: moment
