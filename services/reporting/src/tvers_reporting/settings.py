"""Settings of the reporting service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pydantic import AnyHttpUrl, Field

from tvers_runtime.settings import RuntimeSettings


class ReportingSettings(RuntimeSettings):
    """The shared settings, on the service's own port, and the days' time zone."""

    http_port: int = Field(default=8100, ge=1, le=65535)
    timezone: str = "Europe/Oslo"
    #: Where people reach the dashboard, e.g. ``https://tal.example.kommune.no``: an https
    #: address marks the dashboard's cookies Secure behind a TLS-terminating proxy (the service
    #: does not trust proxy headers).
    public_url: AnyHttpUrl | None = None
    library_name: str = Field(default="Ålesundsbiblioteka", min_length=1, max_length=120)
    #: How many live streams of the dashboard (``/live``, one per open page) one process keeps
    #: at once; more are refused (503), and those pages stay as they are until reloaded.
    live_streams_at_most: int = Field(default=200, ge=1, le=10_000)
