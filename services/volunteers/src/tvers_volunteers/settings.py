"""Settings of the volunteers service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from tvers_runtime.settings import RuntimeSettings


class VolunteersSettings(RuntimeSettings):
    """The shared settings, on the service's own port."""

    http_port: int = Field(default=8102, ge=1, le=65535)
