"""In-memory stand-ins for the access service's adapters, for tests of the use cases without
servers."""

from __future__ import annotations

import secrets
from datetime import date

from tvers_access.adapters.pseudonyms import MONTH_KEY_BYTES, MonthKeyDestroyed
from tvers_access.domain.hosts import CheckedInHost
from tvers_access.domain.patron import LibrarySystemUnreachable, PatronStatus


class InMemoryMonthKeys:
    """Month keys in a dict; ``destroy`` forgets one as retention would."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, date], bytes | None] = {}

    async def key_for(self, branch_id: str, month: date) -> bytes:
        """The key, made on first use."""
        key = self._keys.setdefault((branch_id, month), secrets.token_bytes(MONTH_KEY_BYTES))
        if key is None:
            raise MonthKeyDestroyed(f"the key of {month:%Y-%m} at {branch_id} is destroyed")
        return key

    async def existing_key(self, branch_id: str, month: date) -> bytes | None:
        """The key if it exists and lives."""
        return self._keys.get((branch_id, month))

    async def live_months(self) -> dict[str, list[date]]:
        """Per branch, the months whose key lives."""
        months: dict[str, list[date]] = {}
        for (branch_id, month), key in self._keys.items():
            if key is not None:
                months.setdefault(branch_id, []).append(month)
        return months

    async def destroy(self, branch_id: str, month: date) -> None:
        """Forget a month's key for good."""
        self._keys[(branch_id, month)] = None


class FixedLibrarySystem:
    """A library system that knows a few cards by number and PIN."""

    def __init__(self, patrons: dict[tuple[str, str], PatronStatus] | None = None) -> None:
        self.patrons = dict(patrons or {})
        self.reachable = True
        self.asked = 0

    async def patron_status(self, card_number: str, pin: str) -> PatronStatus:
        """The status of a card and PIN as configured (unknown card otherwise)."""
        self.asked += 1
        if not self.reachable:
            raise LibrarySystemUnreachable("switched off in the test")
        return self.patrons.get((card_number, pin), PatronStatus(known=False, pin_valid=False))


class InMemoryHosts:
    """Hosts checked in, per tenant and branch, as a test sets them."""

    def __init__(self) -> None:
        self.hosts: dict[tuple[str, str], list[CheckedInHost]] = {}

    async def at_branch(self, tenant: str, branch_id: str) -> list[CheckedInHost]:
        """The hosts set for the branch."""
        return list(self.hosts.get((tenant, branch_id), []))
