"""What the volunteers service takes from events (FastStream subscribers, run by the service
host; see :mod:`tvers_runtime.subscriber`).

- The branches, from access's ``BranchRegistered``: shifts may refer only to a branch known
  here (see :mod:`tvers_runtime.known_branches`).
- Its own ``VolunteerDeactivated`` and ``VolunteerErased`` (durable ``volunteers-leavers``): the
  volunteer's future places are given up, each to the next on the waitlist, and their waiting
  ends (see :mod:`.leavers`).
- The branches' hours, from access's schedule events (durable ``volunteers-schedules``, see
  :mod:`tvers_runtime.branch_schedules`): the proposer proposes shifts from them.
- Mail to volunteers, from its own ``ShiftReminderIssued`` and ``ShiftCancelled`` (durable
  ``volunteers-mail``, see :mod:`.mail`).
"""

from __future__ import annotations

from tvers_runtime.branch_schedules import Wake, schedules_subscriber
from tvers_runtime.known_branches import branches_subscriber
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.entrypoints.leavers import LEAVERS
from tvers_volunteers.entrypoints.mail import MAIL


def subscribers(wake: Wake | None = None) -> tuple[Subscriber, ...]:
    """Every subscriber of the service (``wake`` wakes the proposer for a branch; none: the
    declared subscribers, for their names and subjects)."""
    return (
        branches_subscriber("volunteers"),
        LEAVERS,
        MAIL,
        schedules_subscriber("volunteers", wake),
    )


#: The service's subscribers as declared, for what needs only their names and subjects (the
#: NATS permissions); the bootstrap makes its own, which wake its proposer.
SUBSCRIBERS = subscribers()
