"""What the visits service takes from other services' events (FastStream subscribers, run by
the service host).

- The branches, from access's ``BranchRegistered``: class visits and schools may refer only to
  a branch known here (see :mod:`tvers_runtime.known_branches`).
- The branches' hours, from access's schedule events (durable ``visits-schedules``, see
  :mod:`tvers_runtime.branch_schedules`): class visits are booked in staffed hours only.
- Its own resource-bank pages (durable ``visits-resource-search``): the table the pages are
  listed and searched in (see :mod:`.resource_subscriber`).
"""

from __future__ import annotations

from tvers_runtime.branch_schedules import schedules_subscriber
from tvers_runtime.known_branches import branches_subscriber
from tvers_runtime.subscriber import Subscriber
from tvers_visits.entrypoints.resource_subscriber import RESOURCE_SEARCH

SUBSCRIBERS: tuple[Subscriber, ...] = (
    branches_subscriber("visits"),
    schedules_subscriber("visits"),
    RESOURCE_SEARCH,
)
