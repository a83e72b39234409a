"""Dates on Oslo's wall clock, which every rule of the visits service counts in. Pure."""

from __future__ import annotations

from datetime import date, datetime

from tvers_contracts.schedule import OSLO


def oslo_today(now: datetime) -> date:
    """The date on Oslo's wall clock at ``now`` (an aware moment, as an injected clock tells
    it): 23:30 UTC on 1 June is already 2 June in Oslo."""
    return now.astimezone(OSLO).date()
