"""The school librarians' network: its members, each an opaque id, a registered school and a
role. Pure, no I/O. Names are no part of it: they are kept beside it, with consent only (see
:mod:`tvers_visits.network`).

A tenant's network is small (some per school, 35 schools), so it is one stream and one state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import (
    NetworkMemberChanged,
    NetworkMemberJoined,
    NetworkMemberLeft,
    NetworkRole,
)
from tvers_runtime.domain import Conflict, NotFound, UnknownReference

#: The most members a network has at once.
MOST_MEMBERS = 500


@dataclass(frozen=True)
class Member:
    """A member of the network: who they are is not known here, only where and what."""

    member_id: UUID
    school_id: str
    role: NetworkRole


@dataclass(frozen=True)
class Network:
    """The members of a tenant's network, by id, in the order they joined."""

    members: dict[UUID, Member] = field(default_factory=dict)


NO_NETWORK = Network()


@dataclass(frozen=True)
class Named:
    """A member's name (and e-mail address) as they agreed to have it kept, and since when:
    kept beside the network, never in an event."""

    name: str
    email: str | None
    consented_at: datetime


def stream(tenant: str) -> str:
    """The tenant's network's stream id."""
    return f"school-librarian-network-{tenant}"


def evolve(network: Network, event: DomainEvent) -> Network:
    """The network after an event."""
    if isinstance(event, NetworkMemberJoined | NetworkMemberChanged):
        member = Member(event.member_id, event.school_id, event.role)
        return Network({**network.members, member.member_id: member})
    if isinstance(event, NetworkMemberLeft):
        return Network({k: v for k, v in network.members.items() if k != event.member_id})
    return network


def join(
    network: Network, *, member_id: UUID, school_id: str, role: NetworkRole, school_known: bool
) -> list[DomainEvent]:
    """Someone from a registered school joins the network in a role."""
    if member_id in network.members:
        raise Conflict("this member has already joined")
    if len(network.members) >= MOST_MEMBERS:
        raise Conflict(f"the network is full ({MOST_MEMBERS} members)")
    _check_school(school_id, school_known=school_known)
    return [NetworkMemberJoined(member_id=member_id, school_id=school_id, role=role)]


def change(
    network: Network, *, member_id: UUID, school_id: str, role: NetworkRole, school_known: bool
) -> list[DomainEvent]:
    """A member's school or role changes; the same again changes nothing."""
    member = member_of(network, member_id)
    if (member.school_id, member.role) == (school_id, role):
        return []
    _check_school(school_id, school_known=school_known)
    return [NetworkMemberChanged(member_id=member_id, school_id=school_id, role=role)]


def leave(network: Network, *, member_id: UUID) -> list[DomainEvent]:
    """A member leaves the network."""
    member_of(network, member_id)
    return [NetworkMemberLeft(member_id=member_id)]


def member_of(network: Network, member_id: UUID) -> Member:
    """A member of the network; ``NotFound`` if there is none of that id."""
    member = network.members.get(member_id)
    if member is None:
        raise NotFound(f"no member {member_id} in the network")
    return member


def _check_school(school_id: str, *, school_known: bool) -> None:
    if not school_known:
        raise UnknownReference(f"no school {school_id!r} is registered; register it first")
