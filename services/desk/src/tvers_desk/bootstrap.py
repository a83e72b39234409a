"""The composition root of the desk service: settings in, running app out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from tvers_desk.application import DeskCases
from tvers_desk.entrypoints import categories, desk_page, help_records, sites
from tvers_desk.settings import DeskSettings
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.pages.session_store import MIGRATIONS as PAGE_SESSION_MIGRATIONS
from tvers_runtime.service import Infrastructure, ServiceHost, serve
from tvers_runtime.settings import load_settings

DESCRIPTION = (
    "The innbyggartorg desk log: help given to citizens at the five innbyggartorg sites by the "
    "library, the citizen service and the volunteer centre (site, department, category, "
    "channel, rough duration, referral to another department), undone within minutes when "
    "recorded by mistake, and the category list it is counted by. Nothing about the citizen."
)


def build_app(settings: DeskSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """Wire the service from its settings; ``clock`` is the time its rules go by."""
    settings = settings or load_settings(DeskSettings)
    host = ServiceHost(name="desk", settings=settings, migrations=[PAGE_SESSION_MIGRATIONS])

    async def wire(infrastructure: Infrastructure, app: FastAPI) -> None:
        desk = DeskCases(
            infrastructure.event_store,
            infrastructure.registry,
            sites=settings.sites,
            keys=infrastructure.idempotency_keys,
            clock=clock,
            undo_window=timedelta(minutes=settings.undo_window_minutes),
        )
        # A tenant's list starts with the default categories, once (decision 0043).
        await desk.start_categories(settings.tenant)
        app.state.desk = desk
        app.state.public_url = settings.public_url
        desk_page.wire(infrastructure, app, clock)

    return host.create_app(
        title="tvers desk",
        description=DESCRIPTION,
        routers=[help_records.router, categories.router, sites.router, desk_page.router],
        on_start=wire,
    )


def main() -> None:
    """Run the service (``python -m tvers_desk``)."""
    settings = load_settings(DeskSettings)
    serve(build_app(settings), settings)
