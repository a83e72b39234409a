"""Settings every service shares, from the environment (``TVERS_*``) or secret files."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class RuntimeSettings(BaseSettings):
    """What every service process needs: where its database and NATS are, and how to log.

    Secrets may also come from files: with ``TVERS_SECRETS_DIR=/run/secrets`` a file named
    ``TVERS_DATABASE_URL`` there is read as that setting (Docker and Kubernetes secrets).
    """

    model_config = SettingsConfigDict(env_prefix="TVERS_", extra="ignore")

    tenant: str = Field(default="1508", pattern=r"^\d{4}$", description="Municipality number.")
    database_url: SecretStr = Field(description="PostgreSQL URL of this service's own database.")
    nats_url: SecretStr = Field(default=SecretStr("nats://127.0.0.1:4222"))
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool | None = None
    db_pool_size: int = Field(default=10, ge=2, le=100)
    idle_in_transaction_timeout: str = "60s"
    stream_replicas: int = Field(default=1, ge=1, le=5)
