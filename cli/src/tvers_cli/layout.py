"""What lives where in a data folder, and the ports and services of a running system."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from tvers_runtime.auth import ensure_signing_key, new_signing_key
from tvers_volunteers.adapters.vault import ensure_master_key_file

#: The services ``tvers up`` runs, in start order, with their module and default port.
SERVICES: dict[str, tuple[str, int]] = {
    "access": ("tvers_access", 8101),
    "volunteers": ("tvers_volunteers", 8102),
    "visits": ("tvers_visits", 8103),
    "desk": ("tvers_desk", 8104),
    "reporting": ("tvers_reporting", 8100),
}
#: The services that own a JetStream stream.
PUBLISHERS = ("access", "volunteers", "visits", "desk")


@dataclass
class Ports:
    """Every port ``tvers up`` listens on."""

    postgres: int = 15432
    nats: int = 14222
    nats_monitor: int = 18222
    #: The SIP2 test peer standing in for the library system (not with an external one).
    library_system: int = 16001
    #: The local SMTP sink that catches the services' mail (not with an external server).
    mail: int = 16025
    services: dict[str, int] = field(
        default_factory=lambda: {name: port for name, (_, port) in SERVICES.items()}
    )

    def save(self, path: Path, host: str, nats_cluster: int = 1) -> None:
        """Write where a running system listens, and how many NATS servers it runs (read by
        the operator commands)."""
        path.write_text(
            json.dumps({"host": host, "nats_cluster": nats_cluster, **dataclasses.asdict(self)}),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, path: Path) -> tuple[Ports, str, int] | None:
        """The ports, host and NATS servers a system in this data folder last ran on (None if
        never)."""
        if not path.exists():
            return None
        saved = json.loads(path.read_text(encoding="utf-8"))
        host = saved.pop("host")
        nats_cluster = saved.pop("nats_cluster", 1)
        return cls(**saved), host, nats_cluster


class DataDir:
    """The data folder: databases, JetStream, logs and secrets of one installation."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def postgres(self) -> Path:
        """The embedded PostgreSQL's folder."""
        return self.root / "postgres"

    @property
    def nats(self) -> Path:
        """The embedded NATS server's folder."""
        return self.root / "nats"

    @property
    def logs(self) -> Path:
        """One log file per service."""
        return self.root / "logs"

    @property
    def secrets(self) -> Path:
        """Keys and passwords, readable by their owner only."""
        return self.root / "secrets"

    @property
    def lock(self) -> Path:
        """Held while ``tvers up`` runs on this folder."""
        return self.root / "tvers.lock"

    def create(self) -> None:
        """Make the folders (secrets private)."""
        for folder in (self.root, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        self.secrets.mkdir(mode=0o700, parents=True, exist_ok=True)

    def secret(self, name: str) -> str:
        """A secret kept in the folder, made on first use."""
        path = self.secrets / name
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(new_signing_key() + "\n", encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def signing_key(self) -> bytes:
        """The token signing key (created on first start)."""
        return ensure_signing_key(self.auth_key_file)

    @property
    def auth_key_file(self) -> Path:
        """Where the token signing key is."""
        return self.secrets / "auth-signing.key"

    @property
    def auth_previous_key_file(self) -> Path:
        """The signing key before the last ``tvers keys rotate``, while it is kept."""
        return self.secrets / "auth-signing.previous.key"

    @property
    def ports_file(self) -> Path:
        """The ports and host ``tvers up`` last ran on."""
        return self.root / "ports.json"

    @property
    def demo_until(self) -> Path:
        """The moment the demo's data runs up to, written by the day's first demo fill."""
        return self.root / "demo-until"

    @property
    def demo_history(self) -> Path:
        """The day the demo's volunteers' history runs up to (written by the first demo fill),
        and the ids of the demo's volunteers once it is made."""
        return self.root / "demo-history.json"

    @property
    def sip2_password_file(self) -> Path:
        """The password the door system logs in to the library system with."""
        self.secret("sip2.password")
        return self.secrets / "sip2.password"

    @property
    def patron_key_file(self) -> Path:
        """Where the key of patron references is."""
        self.secret("patron.key")
        return self.secrets / "patron.key"

    @property
    def patron_previous_key_file(self) -> Path:
        """The patron key before the last ``tvers keys rotate --which patron``, while it is
        kept (access carries agreements over from it)."""
        return self.secrets / "patron.previous.key"

    @property
    def vault_master_key_file(self) -> Path:
        """Where the master key of the volunteers' vault is (created on first start). Losing it
        loses every volunteer's personal data: back it up apart from the databases."""
        return ensure_master_key_file(self.secrets / "vault-master.key")
