"""The retention job: a background task of the access service that, every so often, destroys
the month keys of door references that lie beyond their branch's retention, and removes the day
logs (presentations, counter readings, alarms) beyond the retention of their kind (decision
0014).

Exactly once, with any number of replicas: each destruction is recorded under an id derived
from branch and month before the key is overwritten (see ``AccessApplication.
destroy_expired_keys``), so a replica that comes second, or a retry after a crash, records
nothing new.
"""

from __future__ import annotations

import structlog

from tvers_access.application import AccessApplication
from tvers_runtime.aio import repeat

log = structlog.get_logger(__name__)


async def run_retention(access: AccessApplication, tenant: str, *, interval: float) -> None:
    """Destroy what is due, then wait ``interval`` seconds, until cancelled."""

    async def destroy_what_is_due() -> None:
        await access.destroy_expired_keys(tenant)
        await access.remove_expired_day_logs()

    await repeat(destroy_what_is_due, interval=interval, failed="retention_run_failed")
