"""The composition root of the volunteers service."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
from fastapi import FastAPI

from tvers_runtime import branch_schedules
from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.db.key_locks import KeyLocks
from tvers_runtime.db.pool import create_pool
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.known_branches import KnownBranches
from tvers_runtime.known_branches.http import branches_router
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings
from tvers_volunteers.adapters import leavers, recorded_campaigns
from tvers_volunteers.adapters.certificate_pdf import CertificateWording
from tvers_volunteers.adapters.outbox import MIGRATIONS as MAIL_MIGRATIONS
from tvers_volunteers.adapters.shift_index import MIGRATIONS as SHIFT_INDEX_MIGRATIONS
from tvers_volunteers.adapters.shift_index import PostgresShiftIndex
from tvers_volunteers.adapters.sign_in import MIGRATIONS as SIGN_IN_MIGRATIONS
from tvers_volunteers.adapters.sign_in import PostgresSignIn
from tvers_volunteers.adapters.vault import MIGRATIONS as VAULT_MIGRATIONS
from tvers_volunteers.adapters.vault import MasterKeys, PostgresVault
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.campaigns import Campaigns
from tvers_volunteers.certificate_cases import CertificateCases
from tvers_volunteers.entrypoints import (
    attendance,
    campaigns,
    certificates,
    hosting_rules,
    page,
    people,
    places,
    shifts,
    sign_in_links,
    standing,
)
from tvers_volunteers.entrypoints.leavers import give_up_places_of_leavers
from tvers_volunteers.entrypoints.mail import deliver_mail, postman
from tvers_volunteers.entrypoints.proposer import Proposer
from tvers_volunteers.entrypoints.scheduler import ShiftScheduler
from tvers_volunteers.entrypoints.subscribers import subscribers
from tvers_volunteers.entrypoints.vault_upkeep import keep_vault
from tvers_volunteers.proposal_cases import ProposalCases
from tvers_volunteers.registration import Registration
from tvers_volunteers.settings import VolunteersSettings
from tvers_volunteers.sign_in_cases import SignInCases
from tvers_volunteers.time_driven_cases import TimeDrivenCases

#: Connections for the locks of places (decision 0021): at most this many commands on places at
#: once in one process; the rest queue in the order they came.
LOCK_CONNECTIONS = 4
DESCRIPTION = (
    "Bibliotekvenn volunteers: registration, and hosting shifts in meirope hours, published by "
    "staff and claimed by volunteers. A volunteer's name, contact and birth year are kept only "
    "in this service's vault, encrypted per person, and erasure destroys their key; events "
    "carry opaque ids only."
)


def build_app(settings: VolunteersSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings (and a clock other than the system's, for tests)."""
    settings = settings or load_settings(VolunteersSettings)
    master_keys = MasterKeys.parse(settings.vault_master_key_text())
    proposers: list[Proposer] = []

    def wake(tenant: str, branch_id: str) -> None:
        for proposer in proposers:
            proposer.wake(tenant, branch_id)

    host = ServiceHost(
        name="volunteers",
        settings=settings,
        migrations=[
            KNOWN_BRANCHES_MIGRATIONS,
            VAULT_MIGRATIONS,
            SHIFT_INDEX_MIGRATIONS,
            recorded_campaigns.MIGRATIONS,
            MAIL_MIGRATIONS,
            leavers.MIGRATIONS,
            SIGN_IN_MIGRATIONS,
            branch_schedules.MIGRATIONS,
        ],
        subscribers=subscribers(wake),
    )
    lock_pools: list[asyncpg.Pool] = []

    async def close_lock_pools() -> None:
        while lock_pools:
            await lock_pools.pop().close()

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        branches = KnownBranches(infrastructure.pool)
        app.state.known_branches = branches
        app.state.clock = clock
        index = PostgresShiftIndex(infrastructure.pool)
        await index.catch_up()
        # The locks' own few connections: a claim waiting for a lock holds one of these, never
        # one its holder needs (decision 0021).
        lock_pool = await create_pool(
            settings.database_url.get_secret_value(),
            application_name="tvers-volunteers-locks",
            min_size=1,
            max_size=LOCK_CONNECTIONS,
        )
        lock_pools.append(lock_pool)
        app.state.volunteers = VolunteersApplication(
            infrastructure.event_store,
            infrastructure.registry,
            branches=branches,
            index=index,
            locks=KeyLocks(lock_pool),
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        wire_scheduler(settings, infrastructure, app, index, clock)
        app.state.campaigns = Campaigns(
            infrastructure.event_store,
            infrastructure.registry,
            recorded_campaigns.RecordedCampaigns(infrastructure.pool),
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        vault = PostgresVault(infrastructure.pool, master_keys)
        app.state.vault = vault
        app.state.registration = Registration(
            infrastructure.event_store,
            infrastructure.registry,
            vault,
            campaigns=app.state.campaigns,
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        app.state.certificates = CertificateCases(
            infrastructure.event_store,
            infrastructure.registry,
            shifts=app.state.volunteers,
            people=app.state.registration,
            branch_names=branches.listing,
            wording=CertificateWording(
                settings.certificate_municipality, settings.certificate_signature
            ),
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        app.state.sign_in = SignInCases(
            PostgresSignIn(infrastructure.pool), people=app.state.registration, clock=clock
        )
        app.state.public_url = settings.public_url
        # The host cancels its tasks when the service stops.
        infrastructure.tasks.append(
            asyncio.create_task(keep_vault(vault, app.state.registration), name="vault-upkeep")
        )
        mail = postman(settings, infrastructure.pool, app.state.registration, branches, clock)
        infrastructure.tasks.append(asyncio.create_task(deliver_mail(mail), name="mail"))
        leaving = give_up_places_of_leavers(
            leavers.PostgresLeavers(infrastructure.pool), app.state.volunteers
        )
        infrastructure.tasks.append(asyncio.create_task(leaving, name="leavers"))
        await start_proposer(settings, infrastructure, app, proposers, clock)

    return host.create_app(
        title="tvers volunteers",
        description=DESCRIPTION,
        routers=[
            shifts.router,
            places.router,
            attendance.router,
            people.router,
            standing.router,
            certificates.router,
            campaigns.router,
            sign_in_links.router,
            page.router,
            hosting_rules.router,
            branches_router(Role.STAFF, Role.VOLUNTEER, Role.VIEWER),
        ],
        on_start=wire,
        on_stop=close_lock_pools,
    )


def wire_scheduler(
    settings: VolunteersSettings,
    infrastructure: Infrastructure,
    app: FastAPI,
    index: PostgresShiftIndex,
    clock: Clock,
) -> None:
    """The time-driven events of shifts (0026), and their scheduler as a task of the host's."""
    scheduler = ShiftScheduler(
        TimeDrivenCases(infrastructure.event_store, infrastructure.registry, index=index),
        clock=clock,
        interval=settings.scheduler_interval_seconds,
        look_back=timedelta(hours=settings.scheduler_look_back_hours),
    )
    app.state.scheduler = scheduler
    if settings.scheduler_enabled:
        # The host cancels its tasks when the service stops.
        infrastructure.tasks.append(asyncio.create_task(scheduler.run(), name="shift-scheduler"))


async def start_proposer(
    settings: VolunteersSettings,
    infrastructure: Infrastructure,
    app: FastAPI,
    proposers: list[Proposer],
    clock: Clock,
) -> None:
    """The proposals and flags of hours short of hosts (decision 0025), as a task of the host's."""
    cases = app.state.proposals = ProposalCases(
        infrastructure.event_store,
        infrastructure.registry,
        shifts=app.state.volunteers,
        index=PostgresShiftIndex(infrastructure.pool),
        schedules=branch_schedules.PostgresBranchSchedules(infrastructure.pool),
        branches=app.state.known_branches,
        weeks=settings.proposal_weeks,
        keys=infrastructure.idempotency_keys,
        clock=clock,
    )
    proposer = app.state.proposer = Proposer(cases, interval=settings.proposer_interval_seconds)
    proposers[:] = [proposer]  # the one of this start
    if settings.proposer_enabled:
        infrastructure.tasks.append(asyncio.create_task(proposer.run(), name="proposer"))


def main() -> None:
    """Run the service (``python -m tvers_volunteers``)."""
    settings = load_settings(VolunteersSettings)
    serve(build_app(settings), settings)
