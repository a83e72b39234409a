"""The service host: wires what the shared runtime gives every service, from its settings.

Database pool and migrations, the event store, the NATS connection (made in the background, so
commands work while NATS is away), the relay of the service's own stream, its projections, its
subscribers to other services' events (FastStream, on their own connection), and the HTTP app
with authorisation (tokens for this service's name), one error shape, the OpenAPI document and
``/docs`` served offline, correlation ids and health. A service's ``bootstrap.py`` builds one of
these and adds its own routes and application layer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
from fastapi import APIRouter, Depends, FastAPI
from nats.aio.client import Client as NatsClient
from starlette_exporter import PrometheusMiddleware

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.aio import stopping
from tvers_runtime.auth import Tokens
from tvers_runtime.db.migrations import MigrationSource, apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.db.setup import limit_idle_transactions
from tvers_runtime.eventstore import MIGRATIONS as EVENTSTORE_MIGRATIONS
from tvers_runtime.eventstore import PostgresEventStore
from tvers_runtime.http.docs import install_docs
from tvers_runtime.http.errors import install_error_handlers
from tvers_runtime.http.event_loop_only import require_async_handlers
from tvers_runtime.http.health import health_router
from tvers_runtime.http.json_bodies import require_json_body_routes
from tvers_runtime.http.middleware import BodySizeLimit, CorrelationId
from tvers_runtime.http.openapi import install_openapi
from tvers_runtime.http.queries import refuse_unknown_query_parameters
from tvers_runtime.idempotency import MIGRATIONS as IDEMPOTENCY_MIGRATIONS
from tvers_runtime.idempotency import PostgresIdempotencyKeys, fingerprint_key
from tvers_runtime.logging import configure_logging
from tvers_runtime.natsio import connect_nats
from tvers_runtime.projection import MIGRATIONS as PROJECTION_MIGRATIONS
from tvers_runtime.projection import Projection, ProjectionRunner
from tvers_runtime.relay import MIGRATIONS as RELAY_MIGRATIONS
from tvers_runtime.relay import Relay, StreamSettings
from tvers_runtime.settings import RuntimeSettings
from tvers_runtime.subscriber import MIGRATIONS as SUBSCRIBER_MIGRATIONS
from tvers_runtime.subscriber import Subscriber, SubscriberRunner
from tvers_runtime.subscriber.runner import CONNECTIONS as SUBSCRIBER_CONNECTIONS

log = structlog.get_logger(__name__)
#: How long a stopping service waits for its background work before it lets go.
STOP_TIMEOUT = 10.0
#: Event store writer tasks (each writes with a connection of its own).
STORE_WRITERS = 2
#: Connections kept for HTTP requests beyond the least a service needs.
REQUEST_CONNECTIONS = 4


class PoolTooSmall(ValueError):
    """The configured pool cannot serve what the service runs."""


def connections_needed(
    *, publishes: bool, projections: Sequence[Projection], subscribes: bool = False
) -> int:
    """The fewest database connections a service can run with, all at once.

    The relay and each projection's runner per source hold a connection for their leader lock as
    long as they lead, and need a second one to work; an upgrade's rebuild holds one for its lock
    and writes with another; the event store's writers have one each; the subscribers take a few;
    requests need at least two.
    """
    lock_holders = int(publishes) + sum(len(p.sources) + 1 for p in projections)
    writers = STORE_WRITERS if publishes else 0
    subscribers = SUBSCRIBER_CONNECTIONS if subscribes else 0
    return 2 * lock_holders + writers + subscribers + 2


@dataclass
class Infrastructure:
    """The running parts a service's application layer uses."""

    settings: RuntimeSettings
    pool: asyncpg.Pool
    registry: EventRegistry
    tokens: Tokens
    store: PostgresEventStore | None = None
    keys: PostgresIdempotencyKeys | None = None
    nats: NatsClient | None = None
    relay: Relay | None = None
    runners: list[ProjectionRunner] = field(default_factory=list)
    subscribers: SubscriberRunner | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def event_store(self) -> PostgresEventStore:
        """The service's event store (only services that publish events have one)."""
        if self.store is None:
            raise RuntimeError("this service keeps no event store")
        return self.store

    @property
    def idempotency_keys(self) -> PostgresIdempotencyKeys:
        """The fingerprints of the requests behind each idempotency key (services with commands)."""
        if self.keys is None:
            raise RuntimeError("this service takes no commands")
        return self.keys


OnStart = Callable[[Infrastructure, FastAPI], Awaitable[None]]


class ServiceHost:
    """Builds and runs one service process; see the module docstring."""

    def __init__(
        self,
        *,
        name: str,
        settings: RuntimeSettings,
        migrations: Sequence[MigrationSource] = (),
        publishes: bool = True,
        projections: Sequence[Projection] = (),
        subscribers: Sequence[Subscriber] = (),
        registry: EventRegistry = REGISTRY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._migrations = [
            *(
                [EVENTSTORE_MIGRATIONS, RELAY_MIGRATIONS, IDEMPOTENCY_MIGRATIONS]
                if publishes
                else []
            ),
            *([PROJECTION_MIGRATIONS] if projections else []),
            *([SUBSCRIBER_MIGRATIONS] if subscribers else []),
            *migrations,
        ]
        self._publishes = publishes
        self._projections = list(projections)
        self._subscribers = list(subscribers)
        self._registry = registry
        self.infrastructure: Infrastructure | None = None
        needed = connections_needed(
            publishes=publishes, projections=self._projections, subscribes=bool(subscribers)
        )
        self.pool_size = settings.db_pool_size or needed + REQUEST_CONNECTIONS
        if self.pool_size < needed:
            raise PoolTooSmall(
                f"db_pool_size {self.pool_size} is too small for {name}: its relay, projections "
                f"and writers need at least {needed} connections at once"
            )

    @property
    def projections(self) -> tuple[Projection, ...]:
        """The read models this service keeps (the operator commands name them)."""
        return tuple(self._projections)

    @property
    def subscribers(self) -> tuple[Subscriber, ...]:
        """What this service takes from other services' streams."""
        return tuple(self._subscribers)

    async def start(self) -> Infrastructure:
        """Connect, migrate, and start the background work."""
        settings = self.settings
        pool = await create_pool(
            settings.database_url.get_secret_value(),
            application_name=f"tvers-{self.name}",
            max_size=self.pool_size,
            idle_in_transaction_timeout=settings.idle_in_transaction_timeout,
        )
        async with pool.acquire() as connection:
            await apply_migrations(connection, self._migrations)
            await limit_idle_transactions(connection, settings.idle_in_transaction_timeout)
        infrastructure = Infrastructure(
            settings,
            pool,
            self._registry,
            Tokens(settings.signing_key(), previous=settings.previous_signing_keys()),
        )
        if self._publishes:
            infrastructure.store = PostgresEventStore(pool, writers=STORE_WRITERS)
            await infrastructure.store.start()
            infrastructure.keys = PostgresIdempotencyKeys(pool)
        for projection in self._projections:
            runner = ProjectionRunner(
                pool=pool, nats_client=None, projection=projection, registry=self._registry
            )
            await runner.prepare()
            infrastructure.runners.append(runner)
        infrastructure.tasks.append(
            asyncio.create_task(self._connect_and_follow(infrastructure), name="nats")
        )
        if self._subscribers:
            # On a NATS connection of their own (FastStream's), so that they start, stop and
            # recover apart from the relay and the projections.
            infrastructure.subscribers = SubscriberRunner(
                name=self.name,
                nats_url=settings.nats_url.get_secret_value(),
                pool=pool,
                registry=self._registry,
                subscribers=self._subscribers,
            )
            infrastructure.tasks.append(
                asyncio.create_task(infrastructure.subscribers.run(), name="subscribers")
            )
        self.infrastructure = infrastructure
        log.info("service_started", port=settings.http_port)
        return infrastructure

    async def _connect_and_follow(self, infrastructure: Infrastructure) -> None:
        """Connect to NATS (waiting for it if need be), then run the relay and projections;
        should they ever fail together, start them again."""
        client = await connect_nats(
            self.settings.nats_url.get_secret_value(), name=f"tvers-{self.name}"
        )
        infrastructure.nats = client
        while True:
            try:
                await self._follow(infrastructure, client)
            except Exception:
                if stopping():
                    raise
                log.exception("background_work_restarting")
                await asyncio.sleep(1.0)

    async def _follow(self, infrastructure: Infrastructure, client: NatsClient) -> None:
        async with asyncio.TaskGroup() as group:
            if self._publishes:
                infrastructure.relay = Relay(
                    pool=infrastructure.pool,
                    nats_client=client,
                    service=self.name,
                    stream_settings=StreamSettings(replicas=self.settings.stream_replicas),
                )
                group.create_task(infrastructure.relay.run(), name="relay")
            for runner in infrastructure.runners:
                runner.attach(client)
                group.create_task(runner.run(), name=f"projection:{runner.projection.name}")

    async def stop(self) -> None:
        """Stop the background work and close every connection."""
        infrastructure = self.infrastructure
        if infrastructure is None:
            return
        for task in infrastructure.tasks:
            task.cancel()
        stopped, stuck = await asyncio.wait(infrastructure.tasks, timeout=STOP_TIMEOUT)
        for task in stuck:
            log.error("task_did_not_stop", task=task.get_name())
        for task in stopped:  # a library may turn the cancellation into an error of its own
            if not task.cancelled() and task.exception() is not None:
                log.debug(
                    "task_stopped_with_error", task=task.get_name(), error=repr(task.exception())
                )
        if infrastructure.store is not None:
            await infrastructure.store.close()
        if infrastructure.nats is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(infrastructure.nats.close(), STOP_TIMEOUT)
        try:
            await asyncio.wait_for(infrastructure.pool.close(), STOP_TIMEOUT)
        except TimeoutError:
            log.exception("database_connections_did_not_close")
            infrastructure.pool.terminate()
        self.infrastructure = None

    def readiness(self) -> dict[str, Callable[[], Awaitable[bool]]]:
        """The checks ``/readyz`` runs: database, NATS, relay, projections, and subscribers (which
        only make the service ``degraded``: it still takes its requests)."""

        def infra() -> Infrastructure:
            if self.infrastructure is None:
                raise RuntimeError("not started")
            return self.infrastructure

        async def database() -> bool:
            return bool(await infra().pool.fetchval("SELECT true"))

        async def nats() -> bool:
            client = infra().nats
            return client is not None and client.is_connected

        checks: dict[str, Callable[[], Awaitable[bool]]] = {"database": database, "nats": nats}
        if self._publishes:

            async def relay() -> bool:
                running = infra().relay
                return running is not None and running.healthy

            checks["relay"] = relay
        if self._projections:

            async def projections() -> bool:
                return all(runner.healthy for runner in infra().runners)

            checks["projections"] = projections
        if self._subscribers:

            async def subscribers() -> bool:
                running = infra().subscribers
                return running is not None and running.healthy

            checks["subscribers"] = subscribers
        return checks

    def create_app(
        self,
        *,
        title: str,
        description: str,
        routers: Sequence[APIRouter],
        on_start: OnStart | None = None,
        on_stop: Callable[[], Awaitable[None]] | None = None,
    ) -> FastAPI:
        """The service's FastAPI app, whose lifespan starts and stops this host (``on_stop``
        closes what ``on_start`` opened, before the host's own connections close)."""
        settings = self.settings

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
            configure_logging(service=self.name, level=settings.log_level, json=settings.log_json)
            infrastructure = await self.start()
            app.state.infrastructure = infrastructure
            app.state.tokens = infrastructure.tokens
            app.state.fingerprint_key = fingerprint_key(settings.signing_key())
            if on_start is not None:
                await on_start(infrastructure, app)
            try:
                yield {}
            finally:
                try:
                    if on_stop is not None:
                        await on_stop()
                finally:
                    await self.stop()

        app = FastAPI(
            title=title,
            description=description,
            version="1.0.0",
            lifespan=lifespan,
            docs_url=None,
            redoc_url=None,
        )
        app.state.service_name = self.name
        app.state.host = self  # what the operator commands read: projections, subscribers
        require_json_body_routes(routers)
        install_error_handlers(app)
        operations = health_router(self.readiness(), degrading=frozenset({"subscribers"}))
        require_async_handlers([operations, *routers])
        strict = [Depends(refuse_unknown_query_parameters)]
        app.include_router(operations, dependencies=strict)
        for router in routers:
            app.include_router(router, dependencies=strict)
        docs = install_docs(app)
        app.state.routers = [operations, docs, *routers]
        install_openapi(app, app.state.routers)
        # The outermost middleware is added last: every answer, a 413 too, carries the
        # correlation id.
        app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
        app.add_middleware(CorrelationId)
        # Requests by route template (never a raw path: no ids in labels), status and time.
        app.add_middleware(
            PrometheusMiddleware,
            app_name=self.name,
            prefix="tvers_http",
            skip_paths=["/metrics", "/healthz", "/readyz"],
        )
        return app
