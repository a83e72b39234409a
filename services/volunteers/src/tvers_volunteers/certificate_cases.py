"""Use cases of certificates (*attest*): issued as an event on the volunteer's stream, for a
period's time served; the PDF is made on request from the event and the vault (decision 0022).

A certificate is known by its place on the volunteer's stream (its ``number``, the stream
version of its event): issued once, it always says what it said then. The name comes from the
vault when the PDF is made, so an erased volunteer's certificates can no longer be printed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from tvers_contracts import EventRegistry
from tvers_contracts.events.volunteers import CertificateIssued, CertificateLocale
from tvers_contracts.schedule import OSLO
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_runtime.known_branches import KnownBranch
from tvers_volunteers.adapters.certificate_pdf import (
    CertificateWording,
    certificate_content,
    render_certificate,
)
from tvers_volunteers.application import VolunteersApplication
from tvers_volunteers.domain import certificates, volunteer
from tvers_volunteers.domain.certificates import Period, ServedSpan
from tvers_volunteers.domain.limits import LONGEST
from tvers_volunteers.domain.volunteer import NO_VOLUNTEER
from tvers_volunteers.registration import Registration

#: The branches a tenant knows, for their names on a certificate.
BranchNames = Callable[[str], Awaitable[list[KnownBranch]]]


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate as issued: its number on the volunteer's stream, when, and what it says."""

    number: int
    issued_at: datetime
    event: CertificateIssued


class CertificateCases(UseCases):
    """Issue, list and print certificates."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        *,
        shifts: VolunteersApplication,
        people: Registration,
        branch_names: BranchNames,
        wording: CertificateWording,
        keys: IdempotencyKeys | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock, one_tenant_per_stream=True)
        self._shifts = shifts
        self._people = people
        self._branch_names = branch_names
        self._wording = wording
        self._clock = clock

    async def issue(
        self,
        context: CommandContext,
        *,
        volunteer_id: UUID,
        first: date,
        last: date,
        locale: CertificateLocale,
        issued_by: str | None,
    ) -> IssuedCertificate:
        """Issue a certificate of the time served from ``first`` to ``last`` (Oslo dates)."""
        today = self._clock().astimezone(OSLO).date()
        period = Period.ended_by(first, last, today=today)
        served = await self._served(context.tenant, volunteer_id, period)
        outcome = await self.execute(
            context,
            volunteer.stream(volunteer_id),
            NO_VOLUNTEER,
            volunteer.evolve,
            lambda state: certificates.issue(
                state,
                period=period,
                served=served,
                issued_by=issued_by,
                locale=locale,
                today=today,
            ),
        )
        return await self.issued(context.tenant, volunteer_id, outcome.stream_version)

    async def all_issued(self, tenant: str, volunteer_id: UUID) -> list[IssuedCertificate]:
        """The tenant's volunteer's certificates, oldest first; :class:`NotFound` if the tenant
        has no volunteer of that id."""
        stored = await self._store.read_stream(volunteer.stream(volunteer_id))
        if not stored or stored[0].tenant != tenant:
            raise NotFound(f"no volunteer {volunteer_id}")
        found = []
        for event in stored:
            envelope = event.decode(self._registry)
            if isinstance(envelope.payload, CertificateIssued):
                found.append(
                    IssuedCertificate(event.stream_version, envelope.occurred_at, envelope.payload)
                )
        return found

    async def issued(self, tenant: str, volunteer_id: UUID, number: int) -> IssuedCertificate:
        """One of the tenant's volunteer's certificates; :class:`NotFound` if there is none by
        that number."""
        stored = await self._store.read_stream(
            volunteer.stream(volunteer_id), after_version=max(number - 1, 0)
        )
        if stored and stored[0].stream_version == number and stored[0].tenant == tenant:
            envelope = stored[0].decode(self._registry)
            if isinstance(envelope.payload, CertificateIssued):
                return IssuedCertificate(number, envelope.occurred_at, envelope.payload)
        raise NotFound(f"no certificate {number} of volunteer {volunteer_id}")

    async def pdf(self, tenant: str, volunteer_id: UUID, number: int, *, reader: str) -> bytes:
        """The certificate as a PDF, made now; :class:`~.domain.person.Erased` once erased."""
        certificate = await self.issued(tenant, volunteer_id, number)
        person = await self._people.personal_data(volunteer_id, tenant=tenant, reader=reader)
        names = {b.branch_id: b.name for b in await self._branch_names(tenant)}
        content = certificate_content(
            certificate.event,
            volunteer_name=person.name,
            issued_at=certificate.issued_at,
            wording=self._wording,
            branch_names=names,
        )
        # Laying out a page takes a tenth of a second or more: not on the event loop.
        return await asyncio.to_thread(render_certificate, content)

    async def _served(self, tenant: str, volunteer_id: UUID, period: Period) -> list[ServedSpan]:
        after = datetime.combine(period.first, time(), OSLO) - LONGEST
        before = datetime.combine(period.last + timedelta(days=1), time(), OSLO)
        spans = []
        for shift in await self._shifts.shifts_of_volunteer(
            volunteer_id, after, before, tenant=tenant
        ):
            served = shift.served_by(volunteer_id)
            if served is not None:
                spans.append(
                    ServedSpan(shift.branch_id, served.checked_in_at, served.checked_out_at)
                )
        return spans
