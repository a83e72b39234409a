"""The decision at the door as a use case: load what the domain needs (the door, the
branch, the agreement, the month's key, the library system's answer, the guardian's entries),
let it decide, and record the decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import structlog

from tvers_access.access_cases import AccessCases
from tvers_access.adapters.pseudonyms import (
    MonthKeyDestroyed,
    door_reference,
    month_of,
)
from tvers_access.domain import agreement, door, retention
from tvers_access.domain.agreement import Agreement
from tvers_access.domain.branch import Branch
from tvers_access.domain.entry import (
    UNREACHABLE,
    Decision,
    LibraryAnswer,
    decide_entry,
    needs_library_check,
)
from tvers_access.domain.patron import LibrarySystemUnreachable
from tvers_access.domain.streams import (
    agreement_stream,
    door_stream,
    presentations_stream,
)
from tvers_contracts.events.access import (
    EntryDenied,
    EntryGranted,
)
from tvers_runtime.application import Aggregate, CommandContext
from tvers_runtime.domain import NotFound, RuleViolated

CLOCK_SKEW = timedelta(minutes=5)
log = structlog.get_logger(__name__)


class DoorDecisions(AccessCases):
    """A card and PIN shown at a door panel."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._this_months_keys: dict[tuple[str, date], bytes] = {}

    async def present_card(
        self,
        context: CommandContext,
        *,
        door_id: str,
        card_number: str,
        pin: str,
        presented_at: datetime | None = None,
    ) -> Decision:
        """A card and PIN at a door (now, or when a panel that was offline says): decide,
        record, and tell the panel."""
        now = self._clock()
        presented_at = presented_at or now
        if presented_at > now + CLOCK_SKEW:
            raise RuleViolated("presented_at lies in the future")
        if presented_at < now - self._backfill:
            raise RuleViolated(f"presented_at is older than {self._backfill.days} days")
        agreement_ref = self._patrons.of(card_number)
        branch_id, at_branch, signed = await self._door_branch_and_agreement(door_id, agreement_ref)
        if signed.standing is agreement.Standing.NONE and self._patrons.rotating:
            # Signed before the patron key was rotated: carried over to the current reference.
            signed = await self.carry_over(context, card_number, agreement_ref) or signed
        local = presented_at.astimezone(self._zone)
        now_local = now.astimezone(self._zone)
        today = now_local.date()
        days = at_branch.retention.door_decisions_days
        retention.check_kept(local.date(), today, days, "presented_at")
        month_key = await self._month_key(branch_id, month_of(local), month_of(now_local))
        library: LibraryAnswer = None
        if needs_library_check(at_branch, local):
            # The card as the agreement reference reads it: the spaces the API lets a panel
            # send around it are no part of the number.
            library = await self._ask_library(card_number.strip(), pin)
        decision = decide_entry(
            door_id=door_id,
            branch=at_branch,
            agreement=signed,
            patron_ref=door_reference(month_key, agreement_ref),
            local_time=local,
            library=library,
            guardian_entries=await self._guardian_entries(at_branch, door_id, signed, local),
        )
        outcome = await self.execute(
            context,
            presentations_stream(door_id, local.date()),
            None,
            lambda state, _: state,
            lambda _: [decision.event],
            check_version=False,
            occurred_at=presented_at,
        )
        recorded = outcome.events[0]
        if recorded != decision.event:  # a repeated request: what was decided the first time
            assert isinstance(recorded, EntryGranted | EntryDenied)
            return Decision(recorded)
        return decision

    async def _month_key(self, branch_id: str, month: date, this_month: date) -> bytes:
        """The branch's key of ``month``. This month's key is kept in the process: it cannot
        be destroyed while the month lasts (a key goes only once its whole month has passed
        out of retention), so a copy of it is never a copy of a destroyed key. Older months'
        keys are asked for each time, and only for as long as they live."""
        if month == this_month and (branch_id, month) in self._this_months_keys:
            return self._this_months_keys[(branch_id, month)]
        try:
            key = await self._month_keys.key_for(branch_id, month)
        except MonthKeyDestroyed as gone:
            raise RuleViolated(
                "presented_at lies beyond the branch's retention of door logs"
            ) from gone
        if month == this_month:
            if any(kept != this_month for _, kept in self._this_months_keys):
                self._this_months_keys.clear()  # a new month: last month's keys go
            self._this_months_keys[(branch_id, month)] = key
        return key

    async def _door_branch_and_agreement(
        self, door_id: str, agreement_ref: str
    ) -> tuple[str, Branch, Agreement]:
        """The door's branch (its id and state) and the patron's agreement, in one read of the
        store when this process has seen the door before (and the door has not moved since)."""
        at_door_aggregate = Aggregate(door_stream(door_id), door.NO_DOOR, door.evolve, True)
        signed_aggregate = Aggregate(
            agreement_stream(agreement_ref), agreement.NO_AGREEMENT, agreement.evolve
        )
        seen = self.remembered(door_stream(door_id), door.evolve)
        if seen is None or seen.branch_id is None:
            at_door, signed = await self.load_together(at_door_aggregate, signed_aggregate)
            at_branch = None
        else:
            at_door, signed, at_branch = await self.load_together(
                at_door_aggregate, signed_aggregate, self.branch_aggregate(seen.branch_id)
            )
        if at_door.branch_id is None:
            raise NotFound(f"no door {door_id!r}")
        if at_branch is None or at_branch.branch_id != at_door.branch_id:
            at_branch = await self.branch(at_door.branch_id)
        return at_door.branch_id, at_branch, signed

    async def _ask_library(self, card_number: str, pin: str) -> LibraryAnswer:
        try:
            return await self._library.patron_status(card_number, pin)
        except LibrarySystemUnreachable:
            log.warning("library_system_unreachable")
            return UNREACHABLE

    async def _guardian_entries(
        self, at_branch: Branch, door_id: str, child: Agreement, local: datetime
    ) -> list[datetime]:
        """When the child's guardian was let in at this door within the guardian window before
        ``local`` (the window may reach into yesterday, and into last month)."""
        if child.guardian_ref is None or at_branch.branch_id is None:
            return []
        earliest = local - at_branch.rules.guardian_window
        guardian_refs: set[str] = set()
        # A guardian named before a rotation of the patron key, whose agreement has moved since.
        known_as = await self.agreement_refs(child.guardian_ref)
        for month in {month_of(earliest), month_of(local)}:
            key = await self._month_keys.existing_key(at_branch.branch_id, month)
            if key is not None:
                guardian_refs.update(door_reference(key, ref) for ref in known_as)
        entries = []
        for day in sorted({earliest.date(), local.date()}):
            for stored in await self._store.read_stream(presentations_stream(door_id, day)):
                if stored.event_type != EntryGranted.event_type():
                    continue
                event = stored.decode(self._registry).payload
                if isinstance(event, EntryGranted) and event.patron_ref in guardian_refs:
                    entries.append(stored.occurred_at)
        return entries
