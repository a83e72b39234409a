"""Settings of the visits service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pydantic import AnyHttpUrl, Field

from tvers_runtime.settings import RuntimeSettings


class VisitsSettings(RuntimeSettings):
    """The shared settings, on the service's own port."""

    http_port: int = Field(default=8103, ge=1, le=65535)
    timezone: str = "Europe/Oslo"
    #: A resource-bank page of 50 000 characters fits even with every character escaped in
    #: JSON (``\\u00e6``, six bytes): decision 0033.
    max_body_bytes: int = Field(default=320 * 1024, ge=1024)
    #: Where teachers reach this service's school page (decision 0035), e.g.
    #: ``https://skulebesok.example.kommune.no``: an https address marks the page's cookies
    #: Secure behind a TLS-terminating proxy (the service does not trust proxy headers).
    public_url: AnyHttpUrl | None = None
