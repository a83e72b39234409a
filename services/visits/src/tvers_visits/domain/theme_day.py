"""Theme days (*temadagar*) for school librarians: planned by staff, changed or cancelled, and
recorded as held with how many took part from each school. Pure, no I/O.

A tenant's theme days are few (a couple a year), so they share one stream and one state. Dates
are Europe/Oslo dates. A theme day may be planned up to :data:`LATEST_DAY` ahead, or up to
:data:`EARLIEST_DAY` back (one held and recorded after the fact). It is recorded as held on or
after its day, once; a held or cancelled theme day is not changed any more.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, time, timedelta
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    SchoolParticipants,
    ThemeDayCancelled,
    ThemeDayChanged,
    ThemeDayEvent,
    ThemeDayHeld,
    ThemeDayPlanned,
)
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference

#: How far back a theme day may be planned: last year's, recorded after the fact.
EARLIEST_DAY = timedelta(days=366)
#: How far ahead a theme day may be planned: the coming school year's.
LATEST_DAY = timedelta(days=400)
#: The most theme days a tenant's stream keeps (some a year, for decades).
MOST_THEME_DAYS = 1000


class Stage(StrEnum):
    """Where a theme day is."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class When(StrEnum):
    """Which theme days a list shows, by their day and today (Oslo)."""

    UPCOMING = "upcoming"  # today and later, the soonest first
    PAST = "past"  # before today, the latest first


@dataclass(frozen=True)
class Arrangement:
    """What staff say of a theme day: its topic, day, place (a branch, or a place in a few
    words) and times (Europe/Oslo wall clock, or none)."""

    topic: str
    day: date
    branch_id: str | None = None
    place: str | None = None
    starts_at: time | None = None
    ends_at: time | None = None


@dataclass(frozen=True)
class ThemeDay:
    """A theme day, its stage and, once held, how many came from each school."""

    theme_day_id: UUID
    arrangement: Arrangement
    stage: Stage = Stage.PLANNED
    participants: tuple[SchoolParticipants, ...] = ()


@dataclass(frozen=True)
class ThemeDays:
    """Every theme day of a tenant, by id."""

    days: dict[UUID, ThemeDay] = field(default_factory=dict)


NO_THEME_DAYS = ThemeDays()


def listed(days: ThemeDays, *, when: When | None, today: date) -> list[ThemeDay]:
    """The theme days to list: upcoming (today included) the soonest first, past the latest
    first, or all of them by day."""
    upcoming = sorted((d for d in days.days.values() if d.arrangement.day >= today), key=_by_day)
    past = sorted((d for d in days.days.values() if d.arrangement.day < today), key=_by_day)
    if when is When.UPCOMING:
        return upcoming
    if when is When.PAST:
        return past[::-1]
    return past + upcoming


def _by_day(day: ThemeDay) -> tuple[date, time, str]:
    return (day.arrangement.day, day.arrangement.starts_at or time.min, str(day.theme_day_id))


def stream(tenant: str) -> str:
    """The tenant's theme days' stream id."""
    return f"theme-days-{tenant}"


def evolve(days: ThemeDays, event: DomainEvent) -> ThemeDays:
    """The theme days after an event."""
    if isinstance(event, ThemeDayPlanned | ThemeDayChanged):
        arrangement = Arrangement(
            event.topic, event.day, event.branch_id, event.place, event.starts_at, event.ends_at
        )
        known = days.days.get(event.theme_day_id)
        return _with(
            days,
            ThemeDay(event.theme_day_id, arrangement)
            if known is None
            else replace(known, arrangement=arrangement),
        )
    known = days.days.get(event.theme_day_id) if isinstance(event, ThemeDayEvent) else None
    if isinstance(event, ThemeDayCancelled) and known is not None:
        return _with(days, replace(known, stage=Stage.CANCELLED))
    if isinstance(event, ThemeDayHeld) and known is not None:
        return _with(days, replace(known, stage=Stage.HELD, participants=tuple(event.participants)))
    return days


def plan(
    days: ThemeDays,
    *,
    theme_day_id: UUID,
    arrangement: Arrangement,
    today: date,
    branch_known: bool,
) -> list[DomainEvent]:
    """Plan a theme day."""
    if theme_day_id in days.days:
        raise Conflict("this theme day is already planned")
    if len(days.days) >= MOST_THEME_DAYS:
        raise Conflict(f"the register of theme days is full ({MOST_THEME_DAYS})")
    _check(arrangement, today, branch_known=branch_known)
    return [ThemeDayPlanned(theme_day_id=theme_day_id, **asdict(arrangement))]


def change(
    days: ThemeDays,
    *,
    theme_day_id: UUID,
    arrangement: Arrangement,
    today: date,
    branch_known: bool,
) -> list[DomainEvent]:
    """Change a planned theme day: every field as it should stand. The same again changes
    nothing; a day moved must still lie in the window of planning."""
    day = _planned(days, theme_day_id, "changed")
    if arrangement == day.arrangement:
        return []
    moved = arrangement.day != day.arrangement.day
    _check(arrangement, today if moved else None, branch_known=branch_known)
    return [ThemeDayChanged(theme_day_id=theme_day_id, **asdict(arrangement))]


def cancel(days: ThemeDays, *, theme_day_id: UUID) -> list[DomainEvent]:
    """Call a planned theme day off."""
    _planned(days, theme_day_id, "cancelled")
    return [ThemeDayCancelled(theme_day_id=theme_day_id)]


def record_held(
    days: ThemeDays,
    *,
    theme_day_id: UUID,
    participants: list[SchoolParticipants],
    today: date,
    unknown_schools: list[str],
) -> list[DomainEvent]:
    """Record a theme day as held, on or after its day, with how many came from each
    (registered) school."""
    day = _planned(days, theme_day_id, "recorded as held")
    schools = [entry.school_id for entry in participants]
    if not schools:
        raise RuleViolated("name the schools that took part, and how many came from each")
    if len(set(schools)) != len(schools):
        raise RuleViolated("list each school once, with all who came from it")
    if day.arrangement.day > today:
        raise RuleViolated(
            f"a theme day cannot be recorded as held before its day "
            f"({day.arrangement.day.isoformat()})"
        )
    if unknown_schools:
        raise UnknownReference(
            "no school " + ", ".join(repr(s) for s in unknown_schools) + " is registered"
        )
    return [ThemeDayHeld(theme_day_id=theme_day_id, participants=participants)]


def _planned(days: ThemeDays, theme_day_id: UUID, what: str) -> ThemeDay:
    day = days.days.get(theme_day_id)
    if day is None:
        raise NotFound(f"no theme day {theme_day_id}")
    if day.stage is not Stage.PLANNED:
        raise Conflict(f"this theme day is {day.stage.value}; it cannot be {what}")
    return day


def _check(arrangement: Arrangement, today: date | None, *, branch_known: bool) -> None:
    if (arrangement.branch_id is None) == (arrangement.place is None):
        raise RuleViolated("a theme day is held at a branch or at a place: name one of them")
    starts, ends = arrangement.starts_at, arrangement.ends_at
    if (starts is None) != (ends is None):
        raise RuleViolated("a theme day has a start and an end time, or neither")
    if starts is not None and ends is not None and ends <= starts:
        raise RuleViolated("a theme day ends after it starts, on the same day")
    if today is not None and not today - EARLIEST_DAY <= arrangement.day <= today + LATEST_DAY:
        raise RuleViolated(
            f"a theme day can be planned from {(today - EARLIEST_DAY).isoformat()} to "
            f"{(today + LATEST_DAY).isoformat()}, not on {arrangement.day.isoformat()}"
        )
    if arrangement.branch_id is not None and not branch_known:
        raise UnknownReference(
            f"no branch {arrangement.branch_id!r} is known here; a branch registered in access "
            "a moment ago is known within seconds, so try again shortly"
        )


def _with(days: ThemeDays, day: ThemeDay) -> ThemeDays:
    return ThemeDays({**days.days, day.theme_day_id: day})
