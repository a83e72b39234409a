"""Test helpers for services that learn branches from the access service."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_contracts import event_subject
from tvers_contracts.events.access import BranchRegistered
from tvers_runtime.known_branches import remember_branch


async def learn_branches(app: FastAPI, *branch_ids: str, tenant: str = "1508") -> None:
    """Make a running service know branches, as its subscriber would (no NATS involved)."""
    pool = app.state.infrastructure.pool
    async with pool.acquire() as connection:
        for branch_id in branch_ids:
            await remember_branch(
                connection, tenant=tenant, branch_id=branch_id, name=branch_id.title()
            )


async def publish_branch_registered(
    nats: NatsClient, branch_id: str, name: str, *, tenant: str = "1508"
) -> None:
    """Publish a ``BranchRegistered`` on the ACCESS stream as the access service's relay would
    (the stream must exist: the owner declares it)."""
    now = datetime.now(UTC).isoformat()
    event = BranchRegistered(branch_id=branch_id, name=name, meirope_min_age=15)
    envelope = {
        "event_id": str(uuid4()),
        "event_type": "BranchRegistered",
        "schema_version": 1,
        "tenant": tenant,
        "stream_id": f"branch-{branch_id}",
        "stream_version": 1,
        "occurred_at": now,
        "recorded_at": now,
        "correlation_id": str(uuid4()),
        "causation_id": None,
        "payload": json.loads(event.model_dump_json()),
    }
    await nats.jetstream().publish(
        event_subject(BranchRegistered),
        json.dumps(envelope).encode(),
        headers={"Nats-Msg-Id": envelope["event_id"]},
    )
