"""A service on a simulated clock, in the demo's process, for the demo's past (decisions 0029
and 0036; access for what staff set up before the past it governs, see
:mod:`.fill_access`).

The services refuse, by their clocks, what lies in the past: the volunteers service shifts in the
past and check-ins away from a shift's time, the visits service a booking of a visit already
begun and a deposit delivered before the day it was ordered. So a history of past weeks cannot
be sent to the running services. For that while the demo runs the very same service in this
process: the service's own composition root (``build_app``) with the running process's settings
(its database, NATS, keys, tenant), and a clock the demo moves forward, reached over HTTP
in-process. Its use cases decide and store as ever (the clock sets each event's
``occurred_at``).

The volunteers service's running process is stopped meanwhile: its scheduler would act, at the
real time, on the shifts the history is still filling in. The simulated instance leaves out what
it may not do with a clock in the past: no mail (a past reminder must not reach anyone), no
proposer or scheduler of its own (the demo ticks the scheduler after each move of the clock,
and it makes the reminders, no-shows and forgotten check-outs). The visits service has no task
of its own that goes by its clock, and runs as several replicas on one database anyway: its
running process keeps running beside the simulated one. So does the access service's: the
simulated one runs without its scheduler and retention job (those go by the clock, and the
running process has them).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import structlog
from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from tvers_access.bootstrap import build_app as build_access
from tvers_access.settings import AccessSettings
from tvers_cli.system import RunningSystem
from tvers_desk.bootstrap import build_app as build_desk
from tvers_desk.settings import DeskSettings
from tvers_visits.bootstrap import build_app as build_visits
from tvers_visits.settings import VisitsSettings
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.settings import VolunteersSettings

log = structlog.get_logger(__name__)
#: The base URL the in-process service is reached at (never a network address).
BASE_URL = "http://volunteers.simulated"
SERVICE = "volunteers"
VISITS_BASE_URL = "http://visits.simulated"
VISITS = "visits"
DESK_BASE_URL = "http://desk.simulated"
DESK = "desk"
ACCESS_BASE_URL = "http://access.simulated"
ACCESS = "access"


class SimulatedClock:
    """The simulated time. Each step of the history runs at its own moment (:meth:`at`, held in
    a context variable, so that steps of different shifts may run at once, each at its own
    time); anything else reads the latest moment reached. It never goes back before a moment
    every step before it has reached (:meth:`move_to`)."""

    def __init__(self, start: datetime) -> None:
        self._floor = self._latest = start.astimezone(UTC)
        self._moment: ContextVar[datetime | None] = ContextVar("simulated_moment", default=None)

    def __call__(self) -> datetime:
        return self._moment.get() or self._latest

    def move_to(self, moment: datetime) -> None:
        """Everything before ``moment`` has happened: no step may come before it now."""
        moment = moment.astimezone(UTC)
        self._check(moment)
        self._floor = moment
        self._latest = max(self._latest, moment)

    @contextlib.contextmanager
    def at(self, moment: datetime) -> Iterator[None]:
        """Within the block (and the requests it makes), the time is ``moment``."""
        moment = moment.astimezone(UTC)
        self._check(moment)
        self._latest = max(self._latest, moment)
        token = self._moment.set(moment)
        try:
            yield
        finally:
            self._moment.reset(token)

    def _check(self, moment: datetime) -> None:
        if moment < self._floor:
            raise ValueError(f"a simulated clock does not go back ({moment} < {self._floor})")


class _FromGiven:
    """Settings from what is given, not from this process's environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],  # noqa: ARG003
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class _GivenSettings(_FromGiven, VolunteersSettings):
    """The volunteers service's settings from what is given."""


class _GivenVisitsSettings(_FromGiven, VisitsSettings):
    """The visits service's settings from what is given."""


class _GivenDeskSettings(_FromGiven, DeskSettings):
    """The desk service's settings from what is given."""


class _GivenAccessSettings(_FromGiven, AccessSettings):
    """The access service's settings from what is given."""


def _given(environment: Mapping[str, str]) -> dict[str, Any]:
    """A process's ``TVERS_*`` environment as settings' fields."""
    return {
        key.removeprefix("TVERS_").lower(): value
        for key, value in environment.items()
        if key.startswith("TVERS_")
    }


def settings_of(environment: Mapping[str, str]) -> VolunteersSettings:
    """The settings of the running process (from its environment), without what must not run
    on a clock in the past: mail, the proposer and the scheduler's own task."""
    given = _given(environment)
    given.update(smtp_host=None, proposer_enabled=False, scheduler_enabled=False)
    return _GivenSettings(**given)


def visits_settings_of(environment: Mapping[str, str]) -> VisitsSettings:
    """The settings of the running visits process (from its environment), as they are."""
    return _GivenVisitsSettings(**_given(environment))


def desk_settings_of(environment: Mapping[str, str]) -> DeskSettings:
    """The settings of the running desk process (from its environment), as they are."""
    return _GivenDeskSettings(**_given(environment))


def access_settings_of(environment: Mapping[str, str]) -> AccessSettings:
    """The settings of the running access process (from its environment), without its tasks
    that go by the clock: the closing scheduler and the retention job."""
    given = _given(environment)
    given.update(scheduler_enabled=False)
    return _GivenAccessSettings(**given)


@dataclass
class SimulatedService:
    """The service in this process: a client to it, its clock, and its scheduler."""

    http: httpx.AsyncClient
    clock: SimulatedClock
    app: FastAPI

    async def tick(self) -> None:
        """Let the service's scheduler store what has fallen due by its clock."""
        await self.app.state.scheduler.tick()


@contextlib.asynccontextmanager
async def simulated_volunteers(
    system: RunningSystem, start: datetime
) -> AsyncIterator[SimulatedService]:
    """The volunteers service in this process on a clock at ``start``, while the running
    process is stopped; it starts again afterwards."""
    process = next(p for p in system.supervisor.processes if p.name == SERVICE)
    clock = SimulatedClock(start)
    app = build_app(settings_of(process.environment), clock=clock)
    async with (
        system.supervisor.stopped(SERVICE),
        _in_process(app, clock, process.log_path, BASE_URL) as http,
    ):
        yield SimulatedService(http, clock, app)


@contextlib.asynccontextmanager
async def simulated_visits(
    system: RunningSystem, start: datetime
) -> AsyncIterator[SimulatedService]:
    """The visits service in this process on a clock at ``start``, beside its running process
    (another replica on the same database and NATS)."""
    process = next(p for p in system.supervisor.processes if p.name == VISITS)
    clock = SimulatedClock(start)
    app = build_visits(visits_settings_of(process.environment), clock=clock)
    async with _in_process(app, clock, process.log_path, VISITS_BASE_URL) as http:
        yield SimulatedService(http, clock, app)


@contextlib.asynccontextmanager
async def simulated_desk(system: RunningSystem, start: datetime) -> AsyncIterator[SimulatedService]:
    """The desk service in this process on a clock at ``start``, beside its running process:
    it has no task of its own that goes by its clock (decision 0045)."""
    process = next(p for p in system.supervisor.processes if p.name == DESK)
    clock = SimulatedClock(start)
    app = build_desk(desk_settings_of(process.environment), clock=clock)
    async with _in_process(app, clock, process.log_path, DESK_BASE_URL) as http:
        yield SimulatedService(http, clock, app)


@contextlib.asynccontextmanager
async def simulated_access(
    system: RunningSystem, start: datetime
) -> AsyncIterator[SimulatedService]:
    """The access service in this process on a clock at ``start``, beside its running process
    (another replica on the same database and NATS), without a scheduler of its own."""
    process = next(p for p in system.supervisor.processes if p.name == ACCESS)
    clock = SimulatedClock(start)
    app = build_access(access_settings_of(process.environment), clock=clock)
    async with _in_process(app, clock, process.log_path, ACCESS_BASE_URL) as http:
        yield SimulatedService(http, clock, app)


@contextlib.asynccontextmanager
async def _in_process(
    app: FastAPI, clock: SimulatedClock, log_path: Path, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan) and reached over HTTP in this process, logging to the
    service's own log file."""
    with _logs_to(log_path) as divert:
        async with app.router.lifespan_context(app):
            divert()  # what its start set up to write to the terminal, too
            log.info("demo_simulated_clock", starts_at=clock().isoformat())
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
                yield http
            log.info("demo_simulated_clock_stopped", reached=clock().isoformat())


@contextlib.contextmanager
def _logs_to(log_path: Path) -> Iterator[Callable[[], None]]:
    """The service logs to its own log file, as its process does, not to the demo's screen:
    on start it sends its logging to standard error, and a library's own loggers write to the
    terminal (the function given diverts those set up since). Afterwards this process logs as
    before."""
    root, client = logging.getLogger(), logging.getLogger("httpx")
    handlers, level, client_level = list(root.handlers), root.level, client.level
    config = structlog.get_config()
    # The demo's own requests (to this service and to the others) are not the service's to log.
    client.setLevel(logging.WARNING)
    diverted: dict[logging.StreamHandler[Any], Any] = {}
    terminal = {id(sys.stdout), id(sys.stderr), id(sys.__stdout__), id(sys.__stderr__)}
    with log_path.open("a", encoding="utf-8") as log, contextlib.redirect_stderr(log):

        def divert() -> None:
            for logger in [root, *logging.root.manager.loggerDict.values()]:
                for handler in getattr(logger, "handlers", []):
                    if (
                        isinstance(handler, logging.StreamHandler)
                        and id(handler.stream) in terminal
                        and handler not in diverted
                    ):
                        diverted[handler] = handler.setStream(log)

        divert()
        try:
            yield divert
        finally:
            for handler, stream in diverted.items():
                handler.setStream(stream)
            root.handlers = handlers
            root.setLevel(level)
            client.setLevel(client_level)
            structlog.configure(**config)
            structlog.contextvars.clear_contextvars()
