"""The volunteers service's settings for tests and benchmarks: the test's servers, the tests'
signing key and a fixed vault master key (made up for the tests, never used anywhere else)."""

from __future__ import annotations

from typing import Any

from tvers_runtime.testing.http import service_settings
from tvers_volunteers.settings import VolunteersSettings

#: The tests' vault master key: 32 bytes in base64, as in the secret file.
TEST_VAULT_MASTER_KEY = "dGVzdHMtdmF1bHQtbWFzdGVyLWtleS0wMTIzNDU2Nzg="


def volunteers_settings(database_url: str, nats_url: str, **extra: Any) -> VolunteersSettings:
    """Settings of the volunteers service on the test's database and NATS. The shift scheduler
    is off unless told: a test that needs it ticks it on its own clock (``app.state.scheduler``)."""
    extra.setdefault("vault_master_key", TEST_VAULT_MASTER_KEY)
    extra.setdefault("scheduler_enabled", False)
    return service_settings(VolunteersSettings, database_url, nats_url, **extra)
