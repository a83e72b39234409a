"""The volunteers service's use cases of shifts: each loads what it needs, lets the domain
decide, and stores the outcome. No HTTP here, and no SQL. The families live in modules of their
own; the service is wired with all of them in one object. Volunteers as people (registration,
the vault, erasure) are :mod:`.registration`."""

from __future__ import annotations

from tvers_volunteers.attendance_cases import AttendanceCases
from tvers_volunteers.place_cases import Claimed
from tvers_volunteers.standing_cases import StandingCases

__all__ = ["Claimed", "VolunteersApplication"]


class VolunteersApplication(StandingCases, AttendanceCases):
    """Use cases of shifts, places, attendance and standing."""
