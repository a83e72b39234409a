"""A library branch: registered once, with a weekly schedule of staffed and meirope periods
and dated exceptions (the rules of time are in :mod:`tvers_access.domain.schedule`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tvers_access.domain import retention, rules
from tvers_access.domain.retention import Retention
from tvers_access.domain.rules import AccessRules
from tvers_access.domain.schedule import OSLO, DayHours, Schedule, check_day, check_weekly
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    BranchAccessRulesSet,
    BranchRegistered,
    BranchRetentionSet,
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict, NotFound, RuleViolated

#: How far ahead a dated exception may be set (as far as a shift may be published, 0010).
EXCEPTION_DAYS_AHEAD = 400


@dataclass(frozen=True)
class Branch:
    """What the rules need to know of a branch."""

    branch_id: str | None = None
    name: str = ""
    rules: AccessRules = field(default_factory=AccessRules)
    retention: Retention = field(default_factory=Retention)
    periods: tuple[SchedulePeriod, ...] = ()
    exceptions: Mapping[date, DayHours] = field(default_factory=dict)
    #: The schedule read in each zone, made once per state of the branch (a remembered branch
    #: answers every card at its doors).
    _schedules: dict[ZoneInfo, Schedule] = field(
        init=False, default_factory=dict, compare=False, repr=False
    )

    @property
    def meirope_min_age(self) -> int:
        """Below this age the agreement needs a guardian's consent."""
        return self.rules.meirope_min_age

    @property
    def registered(self) -> bool:
        """Whether the branch exists."""
        return self.branch_id is not None

    def schedule(self, zone: ZoneInfo = OSLO) -> Schedule:
        """The weekly periods and dated exceptions, read in ``zone``."""
        made = self._schedules.get(zone)
        if made is None:
            made = self._schedules[zone] = Schedule(self.periods, self.exceptions, zone)
        return made

    def opening_at(self, local: datetime) -> OpeningKind:
        """Staffed, meirope or closed at a moment: aware (read in its own zone when that is a
        ``ZoneInfo``, as the application passes it, else in Europe/Oslo), or naive wall-clock
        time in Europe/Oslo."""
        zone = local.tzinfo if isinstance(local.tzinfo, ZoneInfo) else OSLO
        return self.schedule(zone).mode_at(local)


NO_BRANCH = Branch()


def evolve(branch: Branch, event: DomainEvent) -> Branch:  # noqa: PLR0911 - a return per event
    """The branch after an event."""
    if isinstance(event, BranchRegistered):
        return replace(
            branch,
            branch_id=event.branch_id,
            name=event.name,
            rules=replace(branch.rules, meirope_min_age=event.meirope_min_age),
        )
    if isinstance(event, BranchAccessRulesSet):
        return replace(branch, rules=rules.from_event(event))
    if isinstance(event, BranchRetentionSet):
        return replace(branch, retention=retention.from_event(event))
    if isinstance(event, WeeklyScheduleSet):
        return replace(branch, periods=tuple(event.periods))
    if isinstance(event, ScheduleExceptionSet):
        hours = DayHours(tuple(event.periods), event.label)
        return replace(branch, exceptions={**branch.exceptions, event.date: hours})
    if isinstance(event, ScheduleExceptionRemoved):
        rest = {day: hours for day, hours in branch.exceptions.items() if day != event.date}
        return replace(branch, exceptions=rest)
    return branch


def register(
    branch: Branch, *, branch_id: str, name: str, meirope_min_age: int
) -> list[DomainEvent]:
    """Register a new branch."""
    if branch.registered:
        raise Conflict(f"branch {branch_id!r} is already registered")
    return [BranchRegistered(branch_id=branch_id, name=name, meirope_min_age=meirope_min_age)]


def set_schedule(branch: Branch, periods: Sequence[SchedulePeriod]) -> list[DomainEvent]:
    """Replace the weekly schedule. Periods may not overlap, also across midnight."""
    if not branch.registered or branch.branch_id is None:
        raise NotFound("no such branch")
    check_weekly(periods)
    return [WeeklyScheduleSet(branch_id=branch.branch_id, periods=list(periods))]


def set_exception(
    branch: Branch,
    *,
    day: date,
    periods: Sequence[DayPeriod],
    label: str | None,
    today: date,
) -> list[DomainEvent]:
    """Set the hours of one date apart from the week (none: closed all day), from today up to
    :data:`EXCEPTION_DAYS_AHEAD` days ahead. The same hours again change nothing."""
    branch_id = _existing(branch)
    _check_window(day, today)
    check_day(periods)
    hours = DayHours(tuple(periods), label)
    if branch.exceptions.get(day) == hours:
        return []
    return [ScheduleExceptionSet(branch_id=branch_id, date=day, periods=list(periods), label=label)]


def remove_exception(branch: Branch, *, day: date, today: date) -> list[DomainEvent]:
    """Let a date follow the weekly schedule again. A past date's hours stay as they were."""
    branch_id = _existing(branch)
    if day not in branch.exceptions:
        raise NotFound(f"branch {branch_id!r} has no exception on {day.isoformat()}")
    _check_window(day, today)
    return [ScheduleExceptionRemoved(branch_id=branch_id, date=day)]


def _existing(branch: Branch) -> str:
    if branch.branch_id is None:
        raise NotFound("no such branch")
    return branch.branch_id


def _check_window(day: date, today: date) -> None:
    if day < today:
        raise RuleViolated(
            f"{day.isoformat()} has passed: the hours of a past day stay as they were"
        )
    if (day - today).days > EXCEPTION_DAYS_AHEAD:
        raise RuleViolated(
            f"{day.isoformat()} is more than {EXCEPTION_DAYS_AHEAD} days ahead; "
            "set exceptions for the coming year"
        )
