"""The PII vault: volunteers' personal data, encrypted per person, in the service's own database.

See decision 0020. :mod:`.keys` reads the master keys, :mod:`.sealing` encrypts and decrypts one
person's data, :mod:`.postgres` keeps the sealed rows.
"""

from __future__ import annotations

from pathlib import Path

from tvers_runtime.db.migrations import MigrationSource
from tvers_volunteers.adapters.vault.keys import (
    MasterKey,
    MasterKeys,
    UnknownMasterKey,
    ensure_master_key_file,
    new_master_key,
)
from tvers_volunteers.adapters.vault.postgres import Keeping, PostgresVault
from tvers_volunteers.adapters.vault.sealing import CannotOpen, Sealed

MIGRATIONS = MigrationSource("volunteer_vault", Path(__file__).parent / "migrations")

__all__ = [
    "MIGRATIONS",
    "CannotOpen",
    "Keeping",
    "MasterKey",
    "MasterKeys",
    "PostgresVault",
    "Sealed",
    "UnknownMasterKey",
    "ensure_master_key_file",
    "new_master_key",
]
