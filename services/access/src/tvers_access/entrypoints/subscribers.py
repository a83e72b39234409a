"""What the access service takes from other services' events (FastStream subscribers, run by the
service host; see :mod:`tvers_runtime.subscriber`).

- The volunteer hosts checked in at each branch, from the volunteers service's
  ``VolunteerCheckedIn`` and ``VolunteerCheckedOut`` (durable ``access-check-ins``): the branch
  status says whether a host is there. Both events of a shift go through one subscriber, so one
  version guard orders them on the shift's stream.
"""

from __future__ import annotations

from tvers_access.adapters.hosts import learn_attendance
from tvers_contracts.events.volunteers import VolunteerCheckedIn, VolunteerCheckedOut
from tvers_runtime.subscriber import Subscriber

CHECK_INS = Subscriber(
    durable="access-check-ins",
    source="volunteers",
    events=(VolunteerCheckedIn, VolunteerCheckedOut),
    effect=learn_attendance,
)

SUBSCRIBERS: tuple[Subscriber, ...] = (CHECK_INS,)
