"""The school librarians' network: who from which school takes part, and in what role. All on
the tenant's stream (``school-librarian-network-<tenant>``).

A member is an opaque id, a school and a role, and nothing else: a member's name (and e-mail)
is kept only with their consent, only in the visits service's own table, and never in an
event, so that withdrawing consent deletes it for good.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from tvers_contracts.events.visits.base import VisitsEvent
from tvers_contracts.values import Slug


class NetworkRole(StrEnum):
    """What a member does at their school."""

    SCHOOL_LIBRARIAN = "school_librarian"  # skulebibliotekar
    TEACHER_LIBRARIAN = "teacher_librarian"  # lærarbibliotekar
    CONTACT_TEACHER = "contact_teacher"  # kontaktlærar for biblioteket
    OTHER = "other"


class NetworkEvent(VisitsEvent):
    """Base of the events of the network."""

    aggregate: ClassVar[str] = "network"

    member_id: UUID


class NetworkMemberJoined(NetworkEvent):
    """Someone from a school joined the network, in a role."""

    school_id: Slug
    role: NetworkRole


class NetworkMemberChanged(NetworkEvent):
    """A member's school or role changed: both as they now stand."""

    school_id: Slug
    role: NetworkRole


class NetworkMemberLeft(NetworkEvent):
    """A member left the network."""
