"""What every event of ``volunteers`` shares: its base class and the values several carry.

No personal data ever: a volunteer is an opaque id here, and their name, contact details and
birth year stay in the volunteers service's vault. A test checks every volunteers event for
fields that could hold them (``contracts/tests/test_volunteer_privacy.py``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import StringConstraints

from tvers_contracts.event import DomainEvent


class VolunteersEvent(DomainEvent):
    """Base of the events of the volunteers service."""

    service: ClassVar[str] = "volunteers"


#: The staff member who did something, by the opaque subject of their sign-in token
#: (``staff:3f9a1c2e``): lower-case letters, digits, ``-``, ``_`` and one ``:``. No ``@``, dot or
#: space, so it cannot be an e-mail address or a written name.
StaffRef = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,30}(:[a-z0-9_-]{1,32})?$")]


class ShiftRole(StrEnum):
    """What a volunteer does on a shift. Only eligible volunteers may claim ``host`` shifts:
    hosts are alone with the public in staffless hours."""

    HOST = "host"
    HELPER = "helper"


#: A shift has at most this many places (``ShiftPublished.capacity``), so at most this many hosts.
MOST_HOSTS = 20
#: A shift's waitlist holds at most this many volunteers.
MOST_WAITING = 100
