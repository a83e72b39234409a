"""How a branch's staffless hours are to be hosted by volunteers (its hosting rule, on
``hosting-rule-<tenant>-<branch_id>``), and how well they are covered
(``coverage-<tenant>-<branch_id>``). The stream ids name the tenant: two municipalities may give
their branches the same id."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field, model_validator

from tvers_contracts.events.volunteers.base import MOST_HOSTS, StaffRef, VolunteersEvent
from tvers_contracts.values import Slug


class HostsBelowMinimumFlagged(VolunteersEvent):
    """An hour of a branch's hosted meirope time, within 48 hours ahead, has fewer hosts holding
    a place than the branch's minimum, so that staff can act. Flagged once per hour, on the
    branch's coverage stream (``coverage-<tenant>-<branch_id>``); later claims do not unflag it."""

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


class HostingRuleSet(VolunteersEvent):
    """Staff set how a branch's meirope hours are hosted: the last ``last_minutes`` of each meirope
    period (none: all of it, up to twelve hours) are proposed as shifts with ``hosts`` places, and
    an hour with fewer than ``minimum_hosts`` hosts is flagged 48 hours ahead. On the branch's
    stream ``hosting-rule-<tenant>-<branch_id>``; until one is set, the rule is 120 minutes, two
    hosts and a minimum of two. Unconfirmed proposals the new rule no longer calls for are
    withdrawn."""

    aggregate: ClassVar[str] = "hosting_rule"

    branch_id: Slug
    last_minutes: int | None = Field(
        ge=15, le=1440, description="How much of the end of each meirope period is hosted."
    )
    hosts: int = Field(ge=1, le=MOST_HOSTS, description="Places on each proposed shift.")
    minimum_hosts: int = Field(ge=1, le=MOST_HOSTS, description="Fewer hosts are flagged.")
    staff_id: StaffRef

    @model_validator(mode="after")
    def _minimum_within_hosts(self) -> HostingRuleSet:
        if self.minimum_hosts > self.hosts:
            raise ValueError("the minimum of hosts is at most the hosts asked for")
        return self
