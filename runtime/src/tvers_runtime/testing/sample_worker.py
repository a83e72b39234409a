"""Runs the sample relay or projection runner as a process of its own, so that reliability tests
can kill it with SIGKILL: ``python -m tvers_runtime.testing.sample_worker relay DB_URL NATS_URL``
(or ``runner``), optionally followed by a batch size."""

from __future__ import annotations

import sys

from tvers_runtime.aio import run
from tvers_runtime.db.pool import create_pool
from tvers_runtime.logging import configure_logging
from tvers_runtime.natsio import connect_nats
from tvers_runtime.projection import ProjectionRunner
from tvers_runtime.relay import Relay
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_SERVICE,
    SampleProjection,
    sample_subject,
)


async def main(role: str, database_url: str, nats_url: str, batch_size: str = "200") -> None:
    """Run the chosen worker until killed."""
    configure_logging(service=f"sample-{role}", json=True)
    pool = await create_pool(database_url, application_name=f"sample-{role}")
    client = await connect_nats(nats_url, name=f"sample-{role}")
    if role == "relay":
        await Relay(
            pool=pool,
            nats_client=client,
            service=SAMPLE_SERVICE,
            subject_of=sample_subject,
            batch_size=int(batch_size),
        ).run()
    else:
        await ProjectionRunner(
            pool=pool,
            nats_client=client,
            projection=SampleProjection(),
            registry=SAMPLE_REGISTRY,
            batch_size=int(batch_size),
        ).run()


if __name__ == "__main__":
    run(main(*sys.argv[1:5]))
