"""The vault's upkeep, a background task of the service (decision 0020).

- At start, data keys still wrapped by a retired master key are wrapped again by the current one,
  so that the retired key can be deleted once the log says none is left under it.
- Every ``interval`` seconds, vault rows whose registration never came (a crash between keeping
  the data and storing the event) are settled: forgotten, or confirmed if the event was stored.

Both are safe on several replicas at once. A failure (the database away) is logged and tried
again at the next round.
"""

from __future__ import annotations

import asyncio

import structlog

from tvers_runtime.aio import stopping
from tvers_volunteers.adapters.vault import PostgresVault
from tvers_volunteers.registration import Registration

log = structlog.get_logger(__name__)

#: How often unregistered rows are looked for.
INTERVAL_SECONDS = 600.0


async def keep_vault(
    vault: PostgresVault, registration: Registration, *, interval: float = INTERVAL_SECONDS
) -> None:
    """Re-wrap once, then settle unregistered rows every ``interval`` seconds, until cancelled."""
    rewrapped = False
    while True:
        try:
            if not rewrapped:
                await rewrap(vault)
                rewrapped = True
            settled = await registration.settle_unregistered()
            if settled:
                log.info("vault_unregistered_rows_settled", rows=settled)
        except Exception:
            if stopping():
                raise
            log.warning("vault_upkeep_failed", exc_info=True)
        await asyncio.sleep(interval)


async def rewrap(vault: PostgresVault) -> None:
    """Wrap again what a retired master key wraps, and say what each master key still wraps."""
    count = await vault.rewrap()
    in_use = await vault.master_key_ids()
    log.info("vault_master_keys", rewrapped=count, data_keys_by_master_key=in_use)
    missing = sorted(set(in_use) - vault.known_master_key_ids)
    if missing:
        # Personal data this process cannot read: a master key left out of the key file.
        log.error("vault_master_keys_missing", master_key_ids=missing)
