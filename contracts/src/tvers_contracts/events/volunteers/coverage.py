"""How well a branch's staffless hours are covered by volunteer hosts."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field, model_validator

from tvers_contracts.events.volunteers.base import MOST_HOSTS, VolunteersEvent
from tvers_contracts.values import Slug


class HostsBelowMinimumFlagged(VolunteersEvent):
    """An hour of a branch's hosted meirope time, within 48 hours ahead, has fewer hosts holding
    a place than the branch's minimum, so that staff can act. Flagged once per hour, on the
    branch's coverage stream (``coverage-<branch_id>``); later claims do not unflag it."""

    aggregate: ClassVar[str] = "coverage"

    branch_id: Slug
    hour_starts_at: AwareDatetime
    hour_ends_at: AwareDatetime
    hosts: int = Field(ge=0, le=MOST_HOSTS, description="Hosts holding a place for the whole hour.")
    minimum: int = Field(ge=1, le=MOST_HOSTS)

    @model_validator(mode="after")
    def _below_minimum(self) -> HostsBelowMinimumFlagged:
        if self.hour_ends_at <= self.hour_starts_at:
            raise ValueError("an hour ends after it starts")
        if self.hosts >= self.minimum:
            raise ValueError("an hour is flagged only below its minimum")
        return self
