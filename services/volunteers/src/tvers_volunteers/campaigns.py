"""Use cases of recruitment campaigns: staff record, correct and end them; staff and viewers
list them; a registration looks up the campaign it names.

A tenant's campaigns are found by their ``CampaignRecorded`` events (:class:`CampaignIndex`,
``adapters.recorded_campaigns``) and each is rebuilt from its stream: the list is small (a few
dozen campaigns a year), so it is read whole and filtered here (decision 0023). Only events of
the caller's tenant count: another municipality's campaign is not found.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol
from uuid import UUID

import structlog

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.volunteers import RecruitmentChannel
from tvers_contracts.schedule import OSLO
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore, StoredEvent
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_volunteers.domain import campaign
from tvers_volunteers.domain.campaign import NO_CAMPAIGN, Campaign, Details

log = structlog.get_logger(__name__)


class CampaignIndex(Protocol):
    """Which campaigns a tenant has recorded (``adapters.recorded_campaigns``)."""

    async def recorded(self, tenant: str) -> list[UUID]: ...


class Campaigns(UseCases):
    """Use cases of recruitment campaigns."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        index: CampaignIndex,
        *,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self._index = index
        self._clock = clock

    def _today(self) -> date:
        return self._clock().astimezone(OSLO).date()

    async def record(self, context: CommandContext, *, details: Details, staff_id: str) -> UUID:
        """Record a campaign; its id (the same again for a repeat of the request)."""
        campaign_id = context.new_id("campaign")
        today = self._today()

        def decide(state: Campaign) -> list[DomainEvent]:
            return campaign.record(
                state, campaign_id=campaign_id, details=details, staff_id=staff_id, today=today
            )

        await self.execute(
            context, campaign.stream(campaign_id), NO_CAMPAIGN, campaign.evolve, decide
        )
        log.info("campaign_recorded", campaign_id=str(campaign_id))
        return campaign_id

    async def correct(
        self, context: CommandContext, *, campaign_id: UUID, details: Details, staff_id: str
    ) -> None:
        """Correct a campaign's channel, place or dates."""
        await self.campaign(context.tenant, campaign_id)
        today = self._today()

        def decide(state: Campaign) -> list[DomainEvent]:
            return campaign.correct(state, details=details, staff_id=staff_id, today=today)

        await self.execute(
            context, campaign.stream(campaign_id), NO_CAMPAIGN, campaign.evolve, decide
        )

    async def end(
        self, context: CommandContext, *, campaign_id: UUID, ended_on: date | None, staff_id: str
    ) -> None:
        """End a campaign early (by default today)."""
        await self.campaign(context.tenant, campaign_id)
        today = self._today()

        def decide(state: Campaign) -> list[DomainEvent]:
            return campaign.end(state, ended_on=ended_on, staff_id=staff_id, today=today)

        await self.execute(
            context, campaign.stream(campaign_id), NO_CAMPAIGN, campaign.evolve, decide
        )

    async def find(self, tenant: str, campaign_id: UUID) -> Campaign | None:
        """The tenant's campaign, or ``None`` if it has none of that id."""
        events = await self._store.read_stream(campaign.stream(campaign_id))
        state = self._rebuilt(tenant, events)
        return state if state.campaign_id is not None else None

    async def campaign(self, tenant: str, campaign_id: UUID) -> Campaign:
        """The tenant's campaign; ``NotFound`` if it has none of that id."""
        state = await self.find(tenant, campaign_id)
        if state is None:
            raise NotFound(f"no campaign {campaign_id}")
        return state

    async def listing(
        self,
        tenant: str,
        *,
        channel: RecruitmentChannel | None = None,
        active_on: date | None = None,
    ) -> list[Campaign]:
        """The tenant's campaigns, of one channel or running on one day if asked, the latest
        start first."""
        ids = await self._index.recorded(tenant)
        streams = await self._store.read_streams({campaign.stream(i): 0 for i in ids})
        found = [self._rebuilt(tenant, events) for events in streams.values()]
        return sorted(
            (
                state
                for state in found
                if state.details is not None
                and (channel is None or state.details.channel == channel)
                and (active_on is None or state.runs_on(active_on))
            ),
            key=_latest_first,
        )

    def _rebuilt(self, tenant: str, events: Iterable[StoredEvent]) -> Campaign:
        state = NO_CAMPAIGN
        for stored in events:
            if stored.tenant == tenant:
                state = campaign.evolve(state, stored.decode(self._registry).payload)
        return state


def _latest_first(state: Campaign) -> tuple[int, str]:
    assert state.details is not None
    return (-state.details.starts_on.toordinal(), str(state.campaign_id))
