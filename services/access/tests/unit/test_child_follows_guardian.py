"""A child below the branch's unaccompanied age comes in just after the linked guardian, at the
same door: the use case finds the guardian's entry under the month's door reference, also when
the window reaches back over midnight into last month."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.application import AccessApplication
from tvers_access.domain.patron import PatronStatus
from tvers_access.domain.rules import AccessRules
from tvers_access.testing.memory import FixedLibrarySystem, InMemoryHosts, InMemoryMonthKeys
from tvers_contracts import REGISTRY
from tvers_contracts.events.access import DenialReason, EntryDenied, SchedulePeriod
from tvers_contracts.values import OpeningKind
from tvers_runtime.application import CommandContext
from tvers_runtime.domain import RuleViolated
from tvers_runtime.eventstore.memory import InMemoryEventStore

OSLO = ZoneInfo("Europe/Oslo")
GUARDIAN_CARD, GUARDIAN_PIN = "G0001", "1111"
CHILD_CARD, CHILD_PIN = "C0001", "2222"
#: 00:00:30 on 1 December in Oslo: a window of a minute reaches back into November.
JUST_AFTER_MIDNIGHT = datetime(2026, 12, 1, 0, 0, 30, tzinfo=OSLO)


def setup() -> CommandContext:
    return CommandContext(tenant="1508", correlation_id=uuid4())


async def open_all_night(now: list[datetime]) -> AccessApplication:
    app = AccessApplication(
        InMemoryEventStore(),
        REGISTRY,
        PatronReferences(b"patron-key-for-the-tests-0123456789abcdef"),
        InMemoryMonthKeys(),
        FixedLibrarySystem(
            {
                (GUARDIAN_CARD, GUARDIAN_PIN): PatronStatus(known=True, pin_valid=True),
                (CHILD_CARD, CHILD_PIN): PatronStatus(known=True, pin_valid=True),
            }
        ),
        hosts=InMemoryHosts(),
        timezone="Europe/Oslo",
        backfill=timedelta(days=60),
        clock=lambda: now[0],
    )
    await app.register_branch(setup(), branch_id="haroy", name="Harøy", meirope_min_age=15)
    await app.set_access_rules(
        setup(), "haroy", AccessRules(meirope_min_age=15, unaccompanied_min_age=12)
    )
    every_hour = [
        SchedulePeriod(weekday=d, starts=time(0), ends=time(23, 59, 59), kind=OpeningKind.MEIROPE)
        for d in range(1, 8)
    ]
    await app.set_schedule(setup(), "haroy", every_hour)
    for door_id in ("haroy-hovuddor", "haroy-sidedor"):
        await app.register_door(setup(), door_id=door_id, branch_id="haroy", name="Dør")
    await app.sign_agreement(setup(), card_number=GUARDIAN_CARD, guardian_consent=False)
    await app.sign_agreement(
        setup(),
        card_number=CHILD_CARD,
        guardian_consent=True,
        birth_date=date(2017, 3, 14),
        guardian_card_number=GUARDIAN_CARD,
    )
    return app


async def guardian_then_child(
    seconds_between: int, *, child_door: str = "haroy-hovuddor"
) -> EntryDenied | None:
    now = [JUST_AFTER_MIDNIGHT - timedelta(seconds=seconds_between)]
    app = await open_all_night(now)
    guardian = await app.present_card(
        setup(), door_id="haroy-hovuddor", card_number=GUARDIAN_CARD, pin=GUARDIAN_PIN
    )
    assert guardian.granted
    now[0] = JUST_AFTER_MIDNIGHT
    child = await app.present_card(
        setup(), door_id=child_door, card_number=CHILD_CARD, pin=CHILD_PIN
    )
    return child.event if isinstance(child.event, EntryDenied) else None


async def test_the_child_comes_in_within_the_window_even_across_midnight_and_the_month() -> None:
    assert await guardian_then_child(60) is None


async def test_the_child_is_refused_just_outside_the_window() -> None:
    refused = await guardian_then_child(61)
    assert refused is not None
    assert refused.reason is DenialReason.UNDER_AGE


async def test_the_guardians_entry_at_another_door_does_not_count() -> None:
    refused = await guardian_then_child(10, child_door="haroy-sidedor")
    assert refused is not None
    assert refused.reason is DenialReason.UNDER_AGE


async def test_a_guardian_needs_an_agreement_of_their_own() -> None:
    app = await open_all_night([JUST_AFTER_MIDNIGHT])
    with pytest.raises(RuleViolated, match="guardian has no meirope agreement"):
        await app.sign_agreement(
            setup(),
            card_number="C0002",
            guardian_consent=True,
            guardian_card_number="NOAGREEMENT1",
        )
