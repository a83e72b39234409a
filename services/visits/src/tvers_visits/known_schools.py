"""What the school-library use cases ask of the register of schools: whether a school is
registered. The register is :class:`tvers_visits.application.VisitsApplication`'s."""

from __future__ import annotations

from collections.abc import Container
from typing import Protocol


class KnownSchools(Protocol):
    """The tenant's register of schools: ``school_id in await schools(tenant)``."""

    async def schools(self, tenant: str) -> Container[str]: ...
