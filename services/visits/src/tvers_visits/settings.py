"""Settings of the visits service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from tvers_runtime.settings import RuntimeSettings


class VisitsSettings(RuntimeSettings):
    """The shared settings, on the service's own port."""

    http_port: int = Field(default=8103, ge=1, le=65535)
    timezone: str = "Europe/Oslo"
