"""Settings of the volunteers service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AnyHttpUrl, Field, SecretStr

from tvers_runtime.settings import RuntimeSettings


class VolunteersSettings(RuntimeSettings):
    """The shared settings, on the service's own port, the vault's master keys, the
    municipality's wording on volunteer certificates, and the self-service page's address."""

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

    #: Where volunteers reach this service's self-service page, for the sign-in links staff
    #: make (decision 0027), e.g. ``https://frivillig.example.kommune.no``; by default the
    #: address staff called the service at.
    public_url: AnyHttpUrl | None = None

    def vault_master_key_text(self) -> str:
        """The vault's master keys as written, from the file or the variable."""
        if self.vault_master_key_file is not None:
            return self.vault_master_key_file.read_text(encoding="utf-8")
        if self.vault_master_key is not None:
            return self.vault_master_key.get_secret_value()
        raise ValueError("set TVERS_VAULT_MASTER_KEY_FILE or TVERS_VAULT_MASTER_KEY")
