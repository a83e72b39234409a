"""The branches a service knows, learned from the access service, which owns them.

A service that refers to branches (volunteers: shifts; visits: class visits and schools) keeps its
own small ``known_branches`` table, filled by a subscriber to ``BranchRegistered`` on the
``ACCESS`` stream, and refuses a reference to a branch it does not know.

This is eventually consistent: a branch registered in access a moment ago is known here once the
event has been relayed and taken, usually within a second, and until then a reference to it is
refused (422 ``unknown_reference``) with a message that says so. Clients that register a branch
and use it right away (the demo) wait until ``GET /branches`` of the service lists it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import asyncpg

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import BranchRegistered
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import Subscriber

MIGRATIONS = MigrationSource("known_branches", Path(__file__).parent / "migrations")

_REMEMBER = """
    INSERT INTO known_branches (tenant, branch_id, name) VALUES ($1, $2, $3)
    ON CONFLICT (tenant, branch_id) DO UPDATE SET name = excluded.name
"""


@dataclass(frozen=True)
class KnownBranch:
    """A branch as this service knows it."""

    branch_id: str
    name: str


class BranchDirectory(Protocol):
    """What the application layer asks about branches."""

    async def is_known(self, tenant: str, branch_id: str) -> bool:
        """Whether the branch exists, as far as this service has learned."""
        ...


class KnownBranches:
    """The ``known_branches`` table of this service's database."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def is_known(self, tenant: str, branch_id: str) -> bool:
        """See :meth:`BranchDirectory.is_known`."""
        return bool(
            await self._pool.fetchval(
                "SELECT true FROM known_branches WHERE tenant = $1 AND branch_id = $2",
                tenant,
                branch_id,
            )
        )

    async def name(self, tenant: str, branch_id: str) -> str | None:
        """A known branch's name; none for a branch not (yet) known here."""
        name: str | None = await self._pool.fetchval(
            "SELECT name FROM known_branches WHERE tenant = $1 AND branch_id = $2",
            tenant,
            branch_id,
        )
        return name

    async def listing(self, tenant: str) -> list[KnownBranch]:
        """Every known branch of a tenant, by id."""
        rows = await self._pool.fetch(
            "SELECT branch_id, name FROM known_branches WHERE tenant = $1 ORDER BY branch_id",
            tenant,
        )
        return [KnownBranch(row["branch_id"], row["name"]) for row in rows]


async def remember_branch(
    connection: Connection, *, tenant: str, branch_id: str, name: str
) -> None:
    """Add a branch, or its new name."""
    await connection.execute(_REMEMBER, tenant, branch_id, name)


async def _learn(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    event = envelope.payload
    if isinstance(event, BranchRegistered):
        await remember_branch(
            connection, tenant=envelope.tenant, branch_id=event.branch_id, name=event.name
        )


def branches_subscriber(service: str) -> Subscriber:
    """The subscriber that keeps ``service``'s known branches (durable ``<service>-branches``)."""
    return Subscriber(
        durable=f"{service}-branches", source="access", events=(BranchRegistered,), effect=_learn
    )


__all__ = [
    "MIGRATIONS",
    "BranchDirectory",
    "KnownBranch",
    "KnownBranches",
    "branches_subscriber",
    "remember_branch",
]
