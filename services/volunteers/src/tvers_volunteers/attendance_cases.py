"""Use cases of attendance: check-in and check-out by the volunteer, corrections by staff."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tvers_contracts.events.volunteers import CorrectionReason
from tvers_runtime.application import CommandContext
from tvers_volunteers.domain import attendance
from tvers_volunteers.domain.shift import Shift
from tvers_volunteers.shift_cases import ShiftCases


class AttendanceCases(ShiftCases):
    """Check-in, check-out and corrections of the time served."""

    async def check_in(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID
    ) -> Shift:
        """Check in on a shift one holds a place on, near its time."""
        now = self._clock()
        await self._on_shift(
            context,
            shift_id,
            lambda s: attendance.check_in(s, volunteer_id=volunteer_id, now=now),
        )
        return await self.shift(shift_id, tenant=context.tenant)

    async def check_out(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID
    ) -> Shift:
        """Check out, until the day of the shift is over."""
        now = self._clock()
        await self._on_shift(
            context,
            shift_id,
            lambda s: attendance.check_out(s, volunteer_id=volunteer_id, now=now),
        )
        return await self.shift(shift_id, tenant=context.tenant)

    async def correct_attendance(
        self,
        context: CommandContext,
        *,
        shift_id: UUID,
        volunteer_id: UUID,
        checked_in_at: datetime,
        checked_out_at: datetime,
        staff_id: str,
        reason: CorrectionReason,
    ) -> Shift:
        """Staff set the time a volunteer served; the event keeps who and why."""
        now = self._clock()
        await self._on_shift(
            context,
            shift_id,
            lambda s: attendance.correct(
                s,
                volunteer_id=volunteer_id,
                checked_in_at=checked_in_at,
                checked_out_at=checked_out_at,
                staff_id=staff_id,
                reason=reason,
                now=now,
            ),
        )
        return await self.shift(shift_id, tenant=context.tenant)
