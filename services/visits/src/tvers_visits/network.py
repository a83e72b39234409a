"""Use cases of the school librarians' network: staff add members (a school and a role, and a
name only with the member's consent), change them, keep or delete their names, and see them
leave; staff and school librarians list the network. No HTTP here, and no SQL.

The members are events (``school-librarian-network-<tenant>``) with an opaque id; names live
only in this service's table (:class:`NameBook`), never in an event or a log line. Since the
two are not one transaction, names are written so that none outlives its member (decision
0034): a name is kept after the member's event and checked against the network after it is
written; a member who leaves has their name deleted before and again after their event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.visits import NetworkRole
from tvers_runtime.application import CommandContext, Decide, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_visits.domain import network
from tvers_visits.domain.network import NO_NETWORK, Member, Named, Network
from tvers_visits.known_schools import KnownSchools


class NameBook(Protocol):
    """Where the names of consenting members are kept (``adapters.network_names``)."""

    async def keep(self, tenant: str, member_id: UUID, named: Named) -> None: ...

    async def forget(self, tenant: str, member_id: UUID) -> None: ...

    async def names(self, tenant: str) -> dict[UUID, Named]: ...


@dataclass(frozen=True)
class Listed:
    """A member as the network's list shows them: with their name if they agreed to it."""

    member: Member
    named: Named | None


class NetworkCases(UseCases):
    """Use cases of the school librarians' network."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        schools: KnownSchools,
        names: NameBook,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock)
        self._schools = schools
        self._names = names
        self._clock = clock

    async def join(
        self,
        context: CommandContext,
        *,
        school_id: str,
        role: NetworkRole,
        name: str | None = None,
        email: str | None = None,
    ) -> Listed:
        """Someone joins the network; their name (and e-mail) is kept if given, which the
        caller gives only with their consent. The member as listed."""
        member_id = context.new_id("network-member")
        school_known = school_id in await self._schools.schools(context.tenant)
        await self._run(
            context,
            lambda state: network.join(
                state,
                member_id=member_id,
                school_id=school_id,
                role=role,
                school_known=school_known,
            ),
        )
        if name is not None:
            return await self.keep_name(context.tenant, member_id, name=name, email=email)
        return Listed(await self.member(context.tenant, member_id), None)

    async def change(
        self, context: CommandContext, member_id: UUID, *, school_id: str, role: NetworkRole
    ) -> Listed:
        """A member's school or role changes; the member as listed."""
        school_known = school_id in await self._schools.schools(context.tenant)
        await self._run(
            context,
            lambda state: network.change(
                state,
                member_id=member_id,
                school_id=school_id,
                role=role,
                school_known=school_known,
            ),
        )
        return await self.listed(context.tenant, member_id)

    async def keep_name(
        self, tenant: str, member_id: UUID, *, name: str, email: str | None
    ) -> Listed:
        """Keep a member's name (and e-mail), with their consent given now; ``NotFound`` for
        one not (or no longer) in the network, whose name is then not kept."""
        await self.member(tenant, member_id)
        named = Named(name, email, self._clock())
        await self._names.keep(tenant, member_id, named)
        # The member may have left meanwhile, their name deleted before this one was written.
        try:
            member = await self.member(tenant, member_id)
        except NotFound:
            await self._names.forget(tenant, member_id)
            raise
        return Listed(member, named)

    async def withdraw_consent(self, tenant: str, member_id: UUID) -> Member:
        """Delete a member's name: they no longer agree to have it kept. Deleted first, and
        whatever the network says, so that a withdrawal never fails to delete."""
        await self._names.forget(tenant, member_id)
        return await self.member(tenant, member_id)

    async def leave(self, context: CommandContext, member_id: UUID) -> None:
        """A member leaves the network, and their name is deleted."""
        await self._names.forget(context.tenant, member_id)
        await self._run(context, lambda state: network.leave(state, member_id=member_id))
        # A name kept while the member was leaving is deleted now (see keep_name).
        await self._names.forget(context.tenant, member_id)

    async def network(self, tenant: str) -> Network:
        """The tenant's network."""
        return (await self.load(network.stream(tenant), NO_NETWORK, network.evolve)).state

    async def member(self, tenant: str, member_id: UUID) -> Member:
        """A member of the tenant's network; ``NotFound`` if there is none of that id."""
        return network.member_of(await self.network(tenant), member_id)

    async def listed(self, tenant: str, member_id: UUID) -> Listed:
        """A member as the list shows them; ``NotFound`` if there is none of that id."""
        member = await self.member(tenant, member_id)
        return Listed(member, (await self._names.names(tenant)).get(member_id))

    async def listing(self, tenant: str, *, school_id: str | None = None) -> list[Listed]:
        """The network's members (of one school, if asked), by school, then in the order they
        joined; with the names of those who agreed."""
        members = (await self.network(tenant)).members.values()
        names = await self._names.names(tenant)
        chosen = [m for m in members if school_id is None or m.school_id == school_id]
        return [
            Listed(m, names.get(m.member_id)) for m in sorted(chosen, key=lambda m: m.school_id)
        ]

    async def _run(self, context: CommandContext, decide: Decide[Network]) -> Network:
        stream = network.stream(context.tenant)
        await self.execute(context, stream, NO_NETWORK, network.evolve, decide)
        return await self.network(context.tenant)
