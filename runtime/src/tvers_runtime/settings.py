"""Settings every service shares, from the environment (``TVERS_*``) or secret files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tvers_runtime.auth import read_signing_key
from tvers_runtime.db.setup import IDLE_IN_TRANSACTION_TIMEOUT


class RuntimeSettings(BaseSettings):
    """What every service process needs: where its database and NATS are, and how to log.

    Secrets may also come from files: with ``TVERS_SECRETS_DIR=/run/secrets`` a file named
    ``TVERS_DATABASE_URL`` there is read as that setting (Docker and Kubernetes secrets), and
    keys can be given as files directly (``TVERS_AUTH_KEY_FILE``).
    """

    model_config = SettingsConfigDict(env_prefix="TVERS_", extra="ignore")

    tenant: str = Field(default="1508", pattern=r"^[0-9]{4}$", description="Municipality number.")
    database_url: SecretStr = Field(description="PostgreSQL URL of this service's own database.")
    nats_url: SecretStr = Field(
        default=SecretStr("nats://127.0.0.1:4222"),
        description="A NATS server's URL, or every cluster member's, separated by commas.",
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool | None = None
    db_pool_size: int | None = Field(
        default=None,
        ge=2,
        le=200,
        description="Database connections per process; by default sized from what it runs.",
    )
    idle_in_transaction_timeout: str = IDLE_IN_TRANSACTION_TIMEOUT
    stream_replicas: int = Field(
        default=1, ge=1, le=5, description="Replicas of the stream a publishing service owns."
    )
    auth_key: SecretStr | None = None
    auth_key_file: Path | None = None
    #: The signing key before the last rotation: tokens it signed stay valid until they expire
    #: or it is retired (a missing file means none; decision 0051).
    auth_previous_key_file: Path | None = None
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)

    def signing_key(self) -> bytes:
        """The token signing key, from the file or the variable."""
        if self.auth_key_file is not None:
            return read_signing_key(self.auth_key_file)
        if self.auth_key is not None:
            return self.auth_key.get_secret_value().encode()
        raise ValueError("set TVERS_AUTH_KEY_FILE or TVERS_AUTH_KEY")

    def previous_signing_keys(self) -> list[bytes]:
        """The previous signing key, while a rotation keeps it (none otherwise)."""
        path = self.auth_previous_key_file
        return [read_signing_key(path)] if path is not None and path.exists() else []


S = TypeVar("S", bound=BaseSettings)


def load_settings(kind: type[S]) -> S:
    """Settings from the environment, and from ``TVERS_SECRETS_DIR`` files where set."""
    secrets_dir = os.environ.get("TVERS_SECRETS_DIR")
    if secrets_dir:
        return kind(_secrets_dir=secrets_dir)
    return kind()
