"""Settings of the desk service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pydantic import AnyHttpUrl, Field

from tvers_contracts.values import Slug
from tvers_desk.domain.sites import DEFAULT_SITES
from tvers_runtime.settings import RuntimeSettings


class DeskSettings(RuntimeSettings):
    """The shared settings, on the service's own port, with the innbyggartorg sites."""

    http_port: int = Field(default=8104, ge=1, le=65535)
    timezone: str = "Europe/Oslo"
    #: The innbyggartorg sites help may be recorded at, by id with their names (JSON in
    #: ``TVERS_SITES``): the five of the project description unless told otherwise.
    sites: dict[Slug, str] = Field(default_factory=lambda: dict(DEFAULT_SITES), min_length=1)
    #: How long after it was given a help record may be undone.
    undo_window_minutes: int = Field(default=5, ge=1, le=60)
    #: The page's public address where it differs from the listening one (behind a proxy that
    #: ends TLS, an https address here marks the page's cookies Secure).
    public_url: AnyHttpUrl | None = None
