"""Use cases of places on shifts: claimed, released, waited for, and given up when a volunteer
leaves (decision 0021).

A place depends on more than its shift: the volunteer must be able to take it (active, eligible
to host) and hold no overlapping shift, and that spans streams. So every command here runs with
:class:`~.shift_cases.Locks` held on the shift and on each volunteer whose commitments it reads:
commands on one shift go one at a time, in the order they came (fifty claims for the last place:
the first gets it, the others are refused as full or wait in turn), and a volunteer's two claims
for overlapping shifts cannot both pass. Keys are taken in one sorted set, so two commands never
wait for each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tvers_runtime.application import CommandContext
from tvers_runtime.domain import Conflict, NotFound
from tvers_volunteers.domain import claims, shift, volunteer
from tvers_volunteers.domain.commitments import Commitment, Commitments
from tvers_volunteers.domain.limits import FURTHEST_AHEAD
from tvers_volunteers.domain.shift import NO_SHIFT, Decide, Shift
from tvers_volunteers.domain.volunteer import NO_VOLUNTEER, Volunteer
from tvers_volunteers.shift_cases import ShiftCases, shift_key, system_context, volunteer_key

#: How often a release looks again when the waitlist grew while it took its locks.
_RELEASE_TRIES = 5


@dataclass(frozen=True)
class Claimed:
    """A claim's outcome: the shift afterwards, and the volunteer's place in its waitlist when
    they joined it instead (1 = next)."""

    shift: Shift
    waiting_at: int | None


class PlaceCases(ShiftCases):
    """Places: claim, release, waitlist; and giving up the places of one who left."""

    async def claim_shift(
        self,
        context: CommandContext,
        *,
        shift_id: UUID,
        volunteer_id: UUID,
        or_wait: bool = False,
    ) -> Claimed:
        """Take a place; with ``or_wait``, join the waitlist when the shift is full."""
        tenant = context.tenant
        found = await self.shift(shift_id, tenant=tenant)
        assert found.starts_at is not None
        assert found.ends_at is not None
        async with self._locks.holding([shift_key(shift_id), volunteer_key(volunteer_id)]):
            who = await self.volunteer_standing(volunteer_id, tenant=tenant)
            if who.volunteer_id is not None:
                await self._index.note_volunteer(volunteer_id, shift_id)
            held = await self.commitments(
                volunteer_id, found.starts_at, found.ends_at, tenant=tenant
            )
            now = self._clock()
            decide = claims.claim_or_wait if or_wait else claims.claim
            await self.execute(
                context,
                shift.stream(shift_id),
                NO_SHIFT,
                shift.evolve,
                lambda s: decide(s, volunteer=who, commitments=held, now=now),
            )
            after = await self.shift(shift_id, tenant=tenant)
        waiting_at = (
            after.waitlist.index(volunteer_id) + 1 if volunteer_id in after.waitlist else None
        )
        return Claimed(after, waiting_at)

    async def release_place(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID, leaving: bool = False
    ) -> Shift:
        """Give up a place before the shift starts; the first waiting volunteer who can take it
        gets it in the same append. ``leaving``: the service gives up the place of one who left,
        unless they are active again (:class:`Conflict`)."""
        tenant = context.tenant
        for _ in range(_RELEASE_TRIES):
            waiting = (await self.shift(shift_id, tenant=tenant)).waitlist
            keys = [shift_key(shift_id), *(volunteer_key(w) for w in waiting)]
            async with self._locks.holding([*keys, *_if_leaving(leaving, volunteer_id)]):
                state = await self.shift(shift_id, tenant=tenant)
                if not set(state.waitlist) <= set(waiting):
                    continue  # someone joined meanwhile: take their lock too
                if leaving:
                    await self._still_gone(volunteer_id, tenant=tenant)
                able = await self._first_able(state, tenant=tenant)
                await self.execute(
                    context,
                    shift.stream(shift_id),
                    NO_SHIFT,
                    shift.evolve,
                    _releasing(volunteer_id, able, self._clock()),
                )
                return await self.shift(shift_id, tenant=tenant)
        raise Conflict("the waitlist of this shift keeps changing; try again in a moment")

    async def join_waitlist(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID
    ) -> Claimed:
        """Wait for a place on a full shift."""
        tenant = context.tenant
        async with self._locks.holding([shift_key(shift_id), volunteer_key(volunteer_id)]):
            who = await self.volunteer_standing(volunteer_id, tenant=tenant)
            if who.volunteer_id is not None:
                await self._index.note_volunteer(volunteer_id, shift_id)
            now = self._clock()
            await self.execute(
                context,
                shift.stream(shift_id),
                NO_SHIFT,
                shift.evolve,
                lambda s: claims.join_waitlist(s, volunteer=who, now=now),
            )
            after = await self.shift(shift_id, tenant=tenant)
        return Claimed(after, after.waitlist.index(volunteer_id) + 1)

    async def leave_waitlist(
        self, context: CommandContext, *, shift_id: UUID, volunteer_id: UUID, leaving: bool = False
    ) -> Shift:
        """Stop waiting for a place (``leaving``: as :meth:`release_place`)."""
        async with self._locks.holding([shift_key(shift_id), *_if_leaving(leaving, volunteer_id)]):
            if leaving:
                await self._still_gone(volunteer_id, tenant=context.tenant)
            await self.execute(
                context,
                shift.stream(shift_id),
                NO_SHIFT,
                shift.evolve,
                lambda s: claims.leave_waitlist(s, volunteer_id=volunteer_id),
            )
        return await self.shift(shift_id, tenant=context.tenant)

    async def give_up_future_places(self, tenant: str, volunteer_id: UUID) -> int:
        """Release the places of a volunteer who was deactivated or erased on shifts not yet
        started (each promotes the next waiting), and take them off waitlists; nothing of one
        reactivated meanwhile. How many shifts changed. Safe to run again: what is done is not
        found again."""
        # A claim, a wait or a promotion of theirs under way may have read them as active before
        # they left, and not yet stored its place. Each holds their lock: once it is had, those
        # are stored (and found below), and any later one reads that they left.
        async with self._locks.holding([volunteer_key(volunteer_id)]):
            pass
        now = self._clock()
        changed = 0
        ahead = await self.shifts_of_volunteer(
            volunteer_id, now, now + FURTHEST_AHEAD, tenant=tenant
        )
        for state in ahead:
            assert state.shift_id is not None
            assert state.starts_at is not None
            if state.starts_at <= now or state.stage is not shift.Stage.PUBLISHED:
                continue
            context = system_context(tenant)
            try:
                if volunteer_id in state.volunteers:
                    await self.release_place(
                        context, shift_id=state.shift_id, volunteer_id=volunteer_id, leaving=True
                    )
                elif volunteer_id in state.waitlist:
                    await self.leave_waitlist(
                        context, shift_id=state.shift_id, volunteer_id=volunteer_id, leaving=True
                    )
                else:
                    continue
            except (NotFound, Conflict):
                # Released meanwhile, the shift started or was cancelled, or they are back.
                continue
            changed += 1
        return changed

    async def volunteer_standing(self, volunteer_id: UUID, *, tenant: str) -> Volunteer:
        """The tenant's volunteer's state (unregistered, or another tenant's: the empty state,
        which the rules refuse)."""
        loaded = await self.load(
            volunteer.stream(volunteer_id), NO_VOLUNTEER, volunteer.evolve, tenant=tenant
        )
        return loaded.state

    async def commitments(
        self, volunteer_id: UUID, starts_at: datetime, ends_at: datetime, *, tenant: str
    ) -> Commitments:
        """The shifts overlapping ``[starts_at, ends_at)`` the volunteer holds a place on. Read
        while the volunteer's lock is held, so no claim of theirs is under way."""
        held = [
            Commitment(s.shift_id, s.starts_at, s.ends_at)
            for s in await self.shifts_of_volunteer(volunteer_id, starts_at, ends_at, tenant=tenant)
            if s.shift_id is not None
            and s.starts_at is not None
            and s.ends_at is not None
            and volunteer_id in s.volunteers
        ]
        return Commitments(volunteer_id, tuple(held))

    async def _still_gone(self, volunteer_id: UUID, *, tenant: str) -> None:
        """Refuse to give up the places of a volunteer who is active again: staff reactivated
        them after the deactivation that queued them (a mistake undone), and what they hold
        now, or claimed since, is theirs."""
        if (await self.volunteer_standing(volunteer_id, tenant=tenant)).active:
            raise Conflict("the volunteer is active again; their places stay")

    async def _first_able(self, state: Shift, *, tenant: str) -> set[UUID]:
        """The first waiting volunteer who could take a place on the shift now, if any."""
        assert state.starts_at is not None
        assert state.ends_at is not None
        for waiting in state.waitlist:
            who = await self.volunteer_standing(waiting, tenant=tenant)
            held = await self.commitments(waiting, state.starts_at, state.ends_at, tenant=tenant)
            if claims.may_take(state, who, held):
                return {waiting}
        return set()


def _if_leaving(leaving: bool, volunteer_id: UUID) -> list[str]:
    """The leaver's own lock, which a check of their standing needs (their claims hold it)."""
    return [volunteer_key(volunteer_id)] if leaving else []


def _releasing(volunteer_id: UUID, able: set[UUID], now: datetime) -> Decide:
    return lambda s: claims.release(s, volunteer_id=volunteer_id, able=able, now=now)


__all__ = ["Claimed", "PlaceCases"]
