"""The composition root of the volunteers service."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.known_branches import MIGRATIONS as KNOWN_BRANCHES_MIGRATIONS
from tvers_runtime.known_branches import KnownBranches
from tvers_runtime.known_branches.http import branches_router
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings
from tvers_volunteers.adapters.outbox import MIGRATIONS as MAIL_MIGRATIONS
from tvers_volunteers.adapters.vault import MIGRATIONS as VAULT_MIGRATIONS
from tvers_volunteers.adapters.vault import MasterKeys, PostgresVault
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.entrypoints.http import router
from tvers_volunteers.entrypoints.mail import deliver_mail, postman
from tvers_volunteers.entrypoints.people import router as people_router
from tvers_volunteers.entrypoints.subscribers import SUBSCRIBERS
from tvers_volunteers.entrypoints.vault_upkeep import keep_vault
from tvers_volunteers.registration import Registration
from tvers_volunteers.settings import VolunteersSettings

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
    host = ServiceHost(
        name="volunteers",
        settings=settings,
        migrations=[KNOWN_BRANCHES_MIGRATIONS, VAULT_MIGRATIONS, MAIL_MIGRATIONS],
        subscribers=SUBSCRIBERS,
    )

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        branches = KnownBranches(infrastructure.pool)
        app.state.known_branches = branches
        app.state.volunteers = VolunteersApplication(
            infrastructure.event_store,
            infrastructure.registry,
            branches=branches,
            keys=infrastructure.idempotency_keys,
        )
        vault = PostgresVault(infrastructure.pool, master_keys)
        app.state.vault = vault
        app.state.registration = Registration(
            infrastructure.event_store,
            infrastructure.registry,
            vault,
            keys=infrastructure.idempotency_keys,
            clock=clock,
        )
        # The host cancels its tasks when the service stops.
        infrastructure.tasks.append(
            asyncio.create_task(keep_vault(vault, app.state.registration), name="vault-upkeep")
        )
        mail = postman(settings, infrastructure.pool, app.state.registration, branches, clock)
        infrastructure.tasks.append(asyncio.create_task(deliver_mail(mail), name="mail"))

    return host.create_app(
        title="tvers volunteers",
        description=DESCRIPTION,
        routers=[router, people_router, branches_router(Role.STAFF, Role.VOLUNTEER, Role.VIEWER)],
        on_start=wire,
    )


def main() -> None:
    """Run the service (``python -m tvers_volunteers``)."""
    settings = load_settings(VolunteersSettings)
    serve(build_app(settings), settings)
