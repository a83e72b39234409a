"""Settings of the volunteers service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from tvers_runtime.settings import RuntimeSettings


class VolunteersSettings(RuntimeSettings):
    """The shared settings, on the service's own port, the vault's master keys, and the
    municipality's wording on volunteer certificates."""

    http_port: int = Field(default=8102, ge=1, le=65535)
    #: The vault's master keys, base64, the current one first (decision 0020); or in a file.
    vault_master_key: SecretStr | None = None
    vault_master_key_file: Path | None = None
    #: Who the certificates (attest) are from: the municipality, named in the heading and text,
    #: and the signature line below the date of issue (decision 0022). The same in both
    #: languages: they are names.
    certificate_municipality: str = Field(default="Ålesund kommune", min_length=1, max_length=80)
    certificate_signature: str = Field(
        default="Ålesundsbiblioteka, Verksemd innbyggartorg", min_length=1, max_length=120
    )

    #: The proposer of shifts from the meirope hours, and of flags of hours short of hosts
    #: (decision 0025): on or off, how often it goes over every branch, how many weeks ahead.
    proposer_enabled: bool = True
    proposer_interval_seconds: float = Field(default=60.0, gt=0, le=3600)
    proposal_weeks: int = Field(default=4, ge=1, le=26)

    def vault_master_key_text(self) -> str:
        """The vault's master keys as written, from the file or the variable."""
        if self.vault_master_key_file is not None:
            return self.vault_master_key_file.read_text(encoding="utf-8")
        if self.vault_master_key is not None:
            return self.vault_master_key.get_secret_value()
        raise ValueError("set TVERS_VAULT_MASTER_KEY_FILE or TVERS_VAULT_MASTER_KEY")
