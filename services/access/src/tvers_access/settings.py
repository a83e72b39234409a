"""Settings of the access service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from tvers_runtime.settings import RuntimeSettings


class AccessSettings(RuntimeSettings):
    """The shared settings plus the patron key, the municipality's time zone and the library
    system (SIP2)."""

    http_port: int = Field(default=8101, ge=1, le=65535)
    patron_key: SecretStr | None = None
    patron_key_file: Path | None = None
    #: The patron key before the last rotation (decision 0051); a missing file means none.
    patron_previous_key_file: Path | None = None
    timezone: str = "Europe/Oslo"
    #: How far back a door panel may deliver presentations it held while offline.
    backfill_days: int = Field(default=60, ge=0, le=366)

    # The scheduler of closing announcements and building-empty checks (decision 0015).
    scheduler_enabled: bool = True
    #: How often it looks for what has fallen due.
    scheduler_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    #: After a pause (a restart), how far back it still makes what fell due meanwhile.
    scheduler_look_back_minutes: int = Field(default=60, ge=1, le=1440)
    #: How often the retention job looks for month keys to destroy (with the scheduler on).
    retention_interval_seconds: float = Field(default=3600.0, gt=0, le=86400)

    # The library system (ILS), asked over SIP2 about each card and PIN at the door.
    sip2_host: str = "127.0.0.1"
    sip2_port: int = Field(default=6001, ge=1, le=65535)
    #: The door system's account: the login's CN and CO (password from the file or the variable).
    sip2_login_user: str = ""
    sip2_password: SecretStr | None = None
    sip2_password_file: Path | None = None
    #: AO of each request: the library's institution id at the library system.
    sip2_institution_id: str = ""
    #: CP of the login: where the door system stands, if the library system wants to know.
    sip2_terminal_location: str | None = None
    #: AC of each request, where the library system wants one; empty otherwise.
    sip2_terminal_password: SecretStr | None = None
    #: How long a door waits for the library system, from a free connection to the reply.
    sip2_timeout: float = Field(default=3.0, gt=0, le=60)
    sip2_pool_size: int = Field(default=4, ge=1, le=64)
    #: Character set of the frames (SIP2 names none; cp850 is the common one).
    sip2_encoding: str = "cp850"

    def patron_key_bytes(self) -> bytes:
        """The HMAC key for patron references, from the file or the variable."""
        if self.patron_key_file is not None:
            return self.patron_key_file.read_text(encoding="utf-8").strip().encode()
        if self.patron_key is not None:
            return self.patron_key.get_secret_value().encode()
        raise ValueError("set TVERS_PATRON_KEY_FILE or TVERS_PATRON_KEY")

    def patron_previous_key_bytes(self) -> bytes | None:
        """The patron key before the last rotation, while it is kept (``None`` otherwise)."""
        path = self.patron_previous_key_file
        if path is None or not path.exists():
            return None
        return path.read_text(encoding="utf-8").strip().encode()

    def sip2_password_text(self) -> str:
        """The SIP2 login password, from the file or the variable."""
        if self.sip2_password_file is not None:
            return self.sip2_password_file.read_text(encoding="utf-8").strip()
        if self.sip2_password is not None:
            return self.sip2_password.get_secret_value()
        raise ValueError("set TVERS_SIP2_PASSWORD_FILE or TVERS_SIP2_PASSWORD")
