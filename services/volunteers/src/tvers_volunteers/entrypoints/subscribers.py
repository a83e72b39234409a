"""What the volunteers service takes from other services' events (FastStream subscribers, run by
the service host).

- The branches, from access's ``BranchRegistered``: shifts may refer only to a branch known
  here (see :mod:`tvers_runtime.known_branches`).
- Mail to volunteers, from the service's own ``ShiftReminderIssued`` and ``ShiftCancelled``
  (durable ``volunteers-mail``, see :mod:`.mail`).
"""

from __future__ import annotations

from tvers_runtime.known_branches import branches_subscriber
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.entrypoints.mail import MAIL

SUBSCRIBERS: tuple[Subscriber, ...] = (branches_subscriber("volunteers"), MAIL)
