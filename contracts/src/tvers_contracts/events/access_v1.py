"""Older schema versions of ``access`` events, kept so that stored and published events of those
versions can still be read, and with their upcasters to the current version.

Each class keeps the name, docstring and fields it was published with, so that its generated JSON
Schema (``schemas/access/<Event>.v<N>.json``) stays exactly what was published. Import this
module as ``access_v1`` and name its classes through it: ``access_v1.WeeklyScheduleSet``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.registry import EventRegistry
from tvers_contracts.values import LocalTime, OpeningKind, Slug


class SchedulePeriod(BaseModel):
    """One weekly period of a branch: ISO weekday (1 = Monday), start and end as local
    wall-clock times (Europe/Oslo, no offset), and the kind of opening."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    weekday: int = Field(ge=1, le=7)
    starts: LocalTime
    ends: LocalTime
    kind: OpeningKind

    @model_validator(mode="after")
    def _ends_after_start(self) -> SchedulePeriod:
        if self.ends <= self.starts:
            raise ValueError("a period must end after it starts")
        return self


class WeeklyScheduleSet(DomainEvent):
    """A branch's weekly schedule was replaced. Times not covered by a period are closed."""

    service: ClassVar[str] = "access"
    aggregate: ClassVar[str] = "branch"
    schema_version: ClassVar[int] = 1
    type_name: ClassVar[str | None] = "WeeklyScheduleSet"

    branch_id: Slug
    periods: list[SchedulePeriod]


#: The older versions, for the registry.
ACCESS_OLDER_VERSIONS: tuple[type[DomainEvent], ...] = (WeeklyScheduleSet,)


def register_upcasters(registry: EventRegistry) -> None:
    """Add the upcasters of ``access`` events to ``registry``."""

    @registry.upcaster("WeeklyScheduleSet", from_version=1)
    def same_day_periods(payload: dict[str, Any]) -> dict[str, Any]:
        # v1 periods all end after they start, on the same day: v2 reads them the same way (v2
        # only adds periods that run past midnight, with an end at or before the start).
        return payload
