"""Registration, reading and erasure of a volunteer's personal data: the vault and the events.

The order of the writes is what keeps personal data from being lost or left behind (decision
0020):

- **Register**: the domain checks the request first (a refused one writes nothing); then the
  vault keeps the sealed data, then ``VolunteerRegistered`` is stored, then the vault marks the
  row registered. A registration event never points at data that was not kept. A row whose event
  never came (a refusal, a crash between the two) is removed: at once after a refusal, and by
  :meth:`Registration.settle_unregistered` later.
- **Erase**: the vault destroys the data key first, then ``VolunteerErased`` is stored. From the
  first write on, nothing can be read; if the second fails, erasing again completes it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol
from uuid import UUID

import structlog

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.volunteers import RecruitmentChannel
from tvers_contracts.schedule import OSLO
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import DomainError, NotFound, RuleViolated, UnknownReference
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeyReused, IdempotencyKeys
from tvers_volunteers.adapters.vault import Keeping
from tvers_volunteers.domain import campaign, volunteer
from tvers_volunteers.domain.campaign import Campaign
from tvers_volunteers.domain.person import Erased, PersonalData
from tvers_volunteers.domain.volunteer import NO_VOLUNTEER, Standing, Volunteer

log = structlog.get_logger(__name__)
#: An unregistered vault row older than this belongs to no registration still under way.
UNREGISTERED_AFTER = timedelta(minutes=15)


class Vault(Protocol):
    """Where personal data is kept, sealed per person (``adapters.vault.PostgresVault``)."""

    async def keep(
        self, volunteer_id: UUID, person: PersonalData, *, request: str | None
    ) -> Keeping: ...

    async def confirm(self, volunteer_id: UUID) -> None: ...

    async def read(self, volunteer_id: UUID) -> PersonalData: ...

    async def erase(self, volunteer_id: UUID) -> None: ...

    async def unregistered(self, *, older_than: timedelta, limit: int = 100) -> list[UUID]: ...

    async def forget(self, volunteer_id: UUID) -> None: ...


class CampaignFinder(Protocol):
    """Where a registration finds the campaign it names (``campaigns.Campaigns``)."""

    async def find(self, tenant: str, campaign_id: UUID) -> Campaign | None: ...


class Registration(UseCases):
    """Use cases of volunteers as people: register, read their data, erase it."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        vault: Vault,
        *,
        campaigns: CampaignFinder,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self._vault = vault
        self._campaigns = campaigns
        self._clock = clock

    async def register(
        self,
        context: CommandContext,
        *,
        person: PersonalData,
        vgs_student: bool,
        channel: RecruitmentChannel | None,
        campaign_id: UUID | None,
    ) -> UUID:
        """Register a volunteer; their id (the same again for a repeat of the request). A
        registration through a campaign takes the campaign's channel; one without a campaign
        names its channel."""
        volunteer_id = context.new_id("volunteer")
        today = self._clock().astimezone(OSLO).date()
        came_through = await self._channel(context.tenant, channel, campaign_id, today=today)

        def decide(state: Volunteer) -> list[DomainEvent]:
            return volunteer.register(
                state,
                volunteer_id=volunteer_id,
                birth_year=person.birth_year,
                vgs_student=vgs_student,
                channel=came_through,
                campaign_id=campaign_id,
                today=today,
            )

        decide(NO_VOLUNTEER)  # a request the domain refuses keeps nothing in the vault
        keeping = await self._vault.keep(volunteer_id, person, request=context.fingerprint)
        if keeping is Keeping.TAKEN or (
            keeping is Keeping.KEPT and not await self._kept_for(volunteer_id, person)
        ):
            raise IdempotencyKeyReused
        try:
            await self.execute(
                context, volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve, decide
            )
        except DomainError:
            if keeping is Keeping.NEW:
                await self._settle(volunteer_id)
            raise
        await self._vault.confirm(volunteer_id)
        log.info("volunteer_registered", volunteer_id=str(volunteer_id))
        return volunteer_id

    async def _channel(
        self,
        tenant: str,
        channel: RecruitmentChannel | None,
        campaign_id: UUID | None,
        *,
        today: date,
    ) -> RecruitmentChannel:
        if campaign_id is None:
            if channel is None:
                raise RuleViolated("name the channel, or the campaign that brought them")
            return channel
        found = await self._campaigns.find(tenant, campaign_id)
        if found is None:
            raise UnknownReference(f"no campaign {campaign_id} is recorded")
        return campaign.registration_channel(found, channel=channel, today=today)

    async def _kept_for(self, volunteer_id: UUID, person: PersonalData) -> bool:
        """Whether the vault row of ``volunteer_id`` holds ``person``. The id comes from the
        idempotency key, and the key's row may be gone (a claim lost in a crash, or keys pruned
        one day): a registration of someone else under an old key must not be answered as a
        repeat of the first (their data dropped, the first volunteer's id handed out). An erased
        row holds nothing to compare: the stored outcome answers."""
        try:
            return await self._vault.read(volunteer_id) == person
        except Erased:
            return True

    async def volunteer(self, volunteer_id: UUID, *, tenant: str) -> Volunteer:
        """The tenant's volunteer's standing (no personal data); ``NotFound`` if it never
        registered one of that id."""
        state = (
            await self.load(
                volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve, tenant=tenant
            )
        ).state
        if state.volunteer_id is None:
            raise NotFound(f"no volunteer {volunteer_id}")
        return state

    async def personal_data(self, volunteer_id: UUID, *, tenant: str, reader: str) -> PersonalData:
        """The tenant's volunteer's personal data; :class:`Erased` once erased. Each read is
        logged with who read it (ids only)."""
        state = await self.volunteer(volunteer_id, tenant=tenant)
        if state.standing is Standing.ERASED:
            raise Erased
        person = await self._vault.read(volunteer_id)
        log.info("personal_data_read", volunteer_id=str(volunteer_id), reader=reader)
        return person

    async def erase(self, context: CommandContext, *, volunteer_id: UUID) -> None:
        """Erase a volunteer's personal data for good: the key first, then the event. Their
        other events stay. Erasing an erased volunteer again is a conflict (or, with the same
        idempotency key, the first answer)."""
        # Never registered (here): nothing to erase, nothing kept.
        await self.volunteer(volunteer_id, tenant=context.tenant)
        await self._vault.erase(volunteer_id)
        await self.execute(
            context, volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve, volunteer.erase
        )
        log.info("volunteer_erased", volunteer_id=str(volunteer_id))

    async def settle_unregistered(self, *, older_than: timedelta = UNREGISTERED_AFTER) -> int:
        """Settle vault rows whose registration was never confirmed: confirm those whose
        registration was stored after all, forget the rest. How many were settled."""
        settled = 0
        while found := await self._vault.unregistered(older_than=older_than):
            for volunteer_id in found:
                await self._settle(volunteer_id)
            settled += len(found)
        return settled

    async def _settle(self, volunteer_id: UUID) -> None:
        loaded = await self.load(volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve)
        if loaded.version > 0:
            await self._vault.confirm(volunteer_id)
        else:
            await self._vault.forget(volunteer_id)
            log.info("unregistered_personal_data_forgotten", volunteer_id=str(volunteer_id))
