"""Each branch's opening hours, as a service learns them from the access service, which owns
them (decisions 0025 and 0032).

A service that plans by a branch's hours (volunteers: proposed hosting shifts; visits: class visits
in staffed hours only) keeps its own view of them in its own database, filled by a subscriber to
access's ``WeeklyScheduleSet``, ``ScheduleExceptionSet`` and ``ScheduleExceptionRemoved``
(inbox, and a version guard per branch week and per branch date), and reads it back as
:class:`BranchHours`, whose :meth:`~BranchHours.schedule` reads as access reads it
(:mod:`tvers_contracts.schedule`).

- :mod:`.hours`: :class:`BranchHours`, pure, no I/O (domain code imports it from there);
- :mod:`.view`: the tables (:data:`MIGRATIONS`), :func:`learn`, :class:`PostgresBranchSchedules`;
- :mod:`.subscriber`: :func:`schedules_subscriber`, for the service's subscribers.

Like the known branches, this is eventually consistent: an hour set in access a moment ago is
seen here once the event has been relayed and taken, usually within a second.
"""

from tvers_runtime.branch_schedules.hours import NO_HOURS, BranchHours, evolve
from tvers_runtime.branch_schedules.subscriber import Wake, schedule_key, schedules_subscriber
from tvers_runtime.branch_schedules.view import (
    MIGRATIONS,
    BranchRef,
    PostgresBranchSchedules,
    learn,
)

__all__ = [
    "MIGRATIONS",
    "NO_HOURS",
    "BranchHours",
    "BranchRef",
    "PostgresBranchSchedules",
    "Wake",
    "evolve",
    "learn",
    "schedule_key",
    "schedules_subscriber",
]
