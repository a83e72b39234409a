"""The school librarians' network: members from registered schools, in a role, changed and
leaving; never a name."""

from functools import reduce
from uuid import UUID, uuid4

import pytest

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import NetworkMemberChanged, NetworkMemberJoined, NetworkRole
from tvers_runtime.domain import Conflict, NotFound, UnknownReference
from tvers_visits.domain import network
from tvers_visits.domain.network import Member, Network


def apply(state: Network, events: list[DomainEvent]) -> Network:
    return reduce(network.evolve, events, state)


def joined(state: Network = network.NO_NETWORK) -> tuple[Network, UUID]:
    member_id = uuid4()
    events = network.join(
        state,
        member_id=member_id,
        school_id="aspoy-skule",
        role=NetworkRole.SCHOOL_LIBRARIAN,
        school_known=True,
    )
    return apply(state, events), member_id


def test_a_member_joins_with_a_school_and_a_role() -> None:
    state, member_id = joined()
    assert state.members[member_id] == Member(
        member_id, "aspoy-skule", NetworkRole.SCHOOL_LIBRARIAN
    )


def test_a_member_joins_from_a_registered_school_only() -> None:
    with pytest.raises(UnknownReference, match="no school 'aspoy-skule'"):
        network.join(
            network.NO_NETWORK,
            member_id=uuid4(),
            school_id="aspoy-skule",
            role=NetworkRole.CONTACT_TEACHER,
            school_known=False,
        )


def test_a_member_joins_once() -> None:
    state, member_id = joined()
    with pytest.raises(Conflict, match="already joined"):
        network.join(
            state,
            member_id=member_id,
            school_id="aspoy-skule",
            role=NetworkRole.OTHER,
            school_known=True,
        )


def test_the_network_is_bounded() -> None:
    full = Network(
        {
            key: Member(key, "aspoy-skule", NetworkRole.OTHER)
            for key in (uuid4() for _ in range(network.MOST_MEMBERS))
        }
    )
    with pytest.raises(Conflict, match="full"):
        joined(full)


def test_a_members_school_and_role_change_and_the_same_again_changes_nothing() -> None:
    state, member_id = joined()
    (event,) = network.change(
        state,
        member_id=member_id,
        school_id="hessa-skule",
        role=NetworkRole.TEACHER_LIBRARIAN,
        school_known=True,
    )
    assert isinstance(event, NetworkMemberChanged)
    after = apply(state, [event]).members[member_id]
    assert (after.school_id, after.role) == ("hessa-skule", NetworkRole.TEACHER_LIBRARIAN)
    same = network.change(
        state,
        member_id=member_id,
        school_id="aspoy-skule",
        role=NetworkRole.SCHOOL_LIBRARIAN,
        school_known=True,
    )
    assert same == []


def test_a_member_moves_to_a_registered_school_only() -> None:
    state, member_id = joined()
    with pytest.raises(UnknownReference):
        network.change(
            state,
            member_id=member_id,
            school_id="nowhere-skule",
            role=NetworkRole.SCHOOL_LIBRARIAN,
            school_known=False,
        )


def test_a_member_leaves_and_is_gone() -> None:
    state, member_id = joined()
    state, other = joined(state)
    after = apply(state, network.leave(state, member_id=member_id))
    assert list(after.members) == [other]
    with pytest.raises(NotFound):
        network.leave(after, member_id=member_id)
    with pytest.raises(NotFound):
        network.change(
            after,
            member_id=member_id,
            school_id="aspoy-skule",
            role=NetworkRole.OTHER,
            school_known=True,
        )


def test_a_joined_event_holds_an_id_a_school_and_a_role_only() -> None:
    (event,) = network.join(
        network.NO_NETWORK,
        member_id=uuid4(),
        school_id="aspoy-skule",
        role=NetworkRole.CONTACT_TEACHER,
        school_known=True,
    )
    assert isinstance(event, NetworkMemberJoined)
    assert set(event.model_dump()) == {"member_id", "school_id", "role"}
