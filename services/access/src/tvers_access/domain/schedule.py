"""A branch's opening schedule: the rules that refuse overlapping periods. Pure, no I/O.

How a schedule reads (weekly periods, dated exceptions, periods past midnight, daylight-saving
changes; decision 0013) is the meaning of the schedule events, so it lives with them in
:mod:`tvers_contracts.schedule`; the names are re-exported here for the access domain.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import time, timedelta

from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_contracts.schedule import (
    HORIZON,
    OSLO,
    DayHours,
    ModeChange,
    Occurrence,
    Schedule,
)
from tvers_runtime.domain import RuleViolated

__all__ = [
    "HORIZON",
    "OSLO",
    "DayHours",
    "ModeChange",
    "Occurrence",
    "Schedule",
    "check_day",
    "check_weekly",
]

_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)


def check_weekly(periods: Sequence[SchedulePeriod]) -> None:
    """Refuse weekly periods that overlap, across midnight and from Sunday into Monday too."""
    spans = [(p, *_in_week(p)) for p in periods]
    for (a, a_start, a_length), (b, b_start, b_length) in itertools.combinations(spans, 2):
        if (b_start - a_start) % _WEEK < a_length:
            first, second = a, b
        elif (a_start - b_start) % _WEEK < b_length:
            first, second = b, a
        else:
            continue
        raise RuleViolated(
            f"periods overlap on weekday {second.weekday}: "
            f"{_weekly_text(first, second.weekday)} and {_weekly_text(second, second.weekday)}"
        )


def check_day(periods: Sequence[DayPeriod]) -> None:
    """Refuse periods of one date that overlap."""
    spans = sorted(
        ((_since_midnight(p.starts), _day_end(p), p) for p in periods),
        key=lambda span: span[:2],  # periods themselves do not compare (two may start alike)
    )
    for (_, before_end, before), (after_start, _, after) in itertools.pairwise(spans):
        if after_start < before_end:
            raise RuleViolated(
                f"periods overlap: {_clock(before.starts)}-{_clock(before.ends)} and "
                f"{_clock(after.starts)}-{_clock(after.ends)}"
            )


def _in_week(period: SchedulePeriod) -> tuple[timedelta, timedelta]:
    """Where a weekly period starts, from Monday 00:00, and how long it lasts (wall clock)."""
    starts = _since_midnight(period.starts)
    length = _since_midnight(period.ends) - starts
    if period.overnight:
        length += _DAY
    return (period.weekday - 1) * _DAY + starts, length


def _day_end(period: DayPeriod) -> timedelta:
    return _DAY if period.until_midnight else _since_midnight(period.ends)


def _since_midnight(at: time) -> timedelta:
    return timedelta(
        hours=at.hour, minutes=at.minute, seconds=at.second, microseconds=at.microsecond
    )


def _clock(at: time) -> str:
    return at.isoformat(timespec="minutes" if not (at.second or at.microsecond) else "auto")


def _weekly_text(period: SchedulePeriod, weekday: int) -> str:
    text = f"{_clock(period.starts)}-{_clock(period.ends)}"
    return text if period.weekday == weekday else f"weekday {period.weekday} {text}"
