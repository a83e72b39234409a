"""Settings of the volunteers service (``TVERS_*`` environment variables)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AnyHttpUrl, Field, SecretStr, model_validator

from tvers_runtime.settings import RuntimeSettings


class VolunteersSettings(RuntimeSettings):
    """The shared settings, on the service's own port, the vault's master keys, the
    municipality's wording on volunteer certificates, the SMTP server that mail to volunteers
    goes through (none: mail is off), and the self-service page's address."""

    http_port: int = Field(default=8102, ge=1, le=65535)
    # The scheduler of no-shows, forgotten check-outs and reminders (decision 0026).
    scheduler_enabled: bool = True
    #: How often it looks for what has fallen due.
    scheduler_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    #: How long after a shift's end it still acts on it: the rule on forgotten check-outs acts up
    #: to 25 hours after the end, and what is left is how long the service may be away and still
    #: make what fell due meanwhile.
    scheduler_look_back_hours: int = Field(default=168, ge=26, le=744)
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
    #: The SMTP server mail to volunteers goes through (decision 0024); none: no mail is sent.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    #: Upgrade the connection with STARTTLS (and verify the server's certificate) before sending.
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_password_file: Path | None = None
    smtp_timeout: float = Field(default=30.0, gt=0, le=300)
    #: The From address of mail to volunteers, e.g. ``Bibliotekvenn <bibliotekvenn@kommune.no>``.
    smtp_sender: str | None = None

    @model_validator(mode="after")
    def _mail_settings_hang_together(self) -> VolunteersSettings:
        if self.smtp_host is None:
            return self
        if not self.smtp_sender:
            raise ValueError("TVERS_SMTP_HOST needs TVERS_SMTP_SENDER (the From address)")
        if self.smtp_username and not self.smtp_starttls:
            raise ValueError("an SMTP password is never sent without STARTTLS")
        return self

    #: Where volunteers reach this service's self-service page, for the sign-in links staff
    #: make (decision 0027), e.g. ``https://frivillig.example.kommune.no``; by default the
    #: address staff called the service at.
    public_url: AnyHttpUrl | None = None

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

    def smtp_password_text(self) -> str | None:
        """The SMTP password, from the file (its first line) or the variable; none if unset."""
        if self.smtp_password_file is not None:
            return self.smtp_password_file.read_text(encoding="utf-8").strip()
        if self.smtp_password is not None:
            return self.smtp_password.get_secret_value()
        return None
