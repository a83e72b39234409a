"""Settings of the access service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from tvers_runtime.settings import RuntimeSettings


class AccessSettings(RuntimeSettings):
    """The shared settings plus the patron key and the municipality's time zone."""

    http_port: int = Field(default=8101, ge=1, le=65535)
    patron_key: SecretStr | None = None
    patron_key_file: Path | None = None
    timezone: str = "Europe/Oslo"
    #: How far back a door panel may deliver presentations it held while offline.
    backfill_days: int = Field(default=60, ge=0, le=366)

    def patron_key_bytes(self) -> bytes:
        """The HMAC key for patron references, from the file or the variable."""
        if self.patron_key_file is not None:
            return self.patron_key_file.read_text(encoding="utf-8").strip().encode()
        if self.patron_key is not None:
            return self.patron_key.get_secret_value().encode()
        raise ValueError("set TVERS_PATRON_KEY_FILE or TVERS_PATRON_KEY")
