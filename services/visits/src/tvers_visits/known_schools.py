"""What the school-library use cases ask of the register of schools: whether a school is
registered (``school_id in register``), and which grades it teaches. The register is
:class:`tvers_visits.application.VisitsApplication`'s."""

from __future__ import annotations

from typing import Protocol

from tvers_visits.domain.school import SchoolRegister


class KnownSchools(Protocol):
    """The tenant's register of schools: ``school_id in await schools(tenant)``."""

    async def schools(self, tenant: str) -> SchoolRegister: ...
