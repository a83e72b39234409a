"""Rotating the root patron key (decision 0051): an agreement made under the previous key is
found under it, carried over to the current key's reference once (the old stream records the
move, the new one starts from it), and found under the current reference from then on. A card
unknown under both keys is refused as before, and once the previous key is retired an agreement
not carried over is orphaned."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.application import AccessApplication
from tvers_access.domain import agreement
from tvers_access.domain.agreement import Standing
from tvers_access.domain.patron import PatronStatus
from tvers_access.domain.rules import AccessRules
from tvers_access.testing.memory import FixedLibrarySystem, InMemoryHosts, InMemoryMonthKeys
from tvers_contracts import REGISTRY
from tvers_contracts.events.access import (
    AgreementMoved,
    AgreementRekeyed,
    AgreementSigned,
    AgreementStanding,
    DenialReason,
    EntryDenied,
    SchedulePeriod,
    SuspensionReason,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.application import CommandContext
from tvers_runtime.eventstore.memory import InMemoryEventStore

OSLO = ZoneInfo("Europe/Oslo")
OLD_KEY = b"old-patron-key-for-the-tests-0123456789abc"
NEW_KEY = b"new-patron-key-for-the-tests-0123456789abc"
CARD, PIN = "N00123456", "1234"
GUARDIAN_CARD, GUARDIAN_PIN = "G0001", "1111"
CHILD_CARD, CHILD_PIN = "C0001", "2222"
STRANGER = "N00999999"
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)
OLD_REF = PatronReferences(OLD_KEY).of(CARD)
NEW_REF = PatronReferences(NEW_KEY).of(CARD)


def request(key: str | None = None) -> CommandContext:
    return CommandContext(tenant="1508", correlation_id=uuid4(), idempotency_key=key)


class Library:
    """One event store and month keys, served by access replicas started with various keys."""

    def __init__(self) -> None:
        self.store = InMemoryEventStore()
        self.month_keys = InMemoryMonthKeys()
        self.now = [NOON]

    def access(self, key: bytes, previous: bytes | None = None) -> AccessApplication:
        return AccessApplication(
            self.store,
            REGISTRY,
            PatronReferences(key, previous=previous),
            self.month_keys,
            FixedLibrarySystem(
                {
                    (card, pin): PatronStatus(known=True, pin_valid=True)
                    for card, pin in (
                        (CARD, PIN),
                        (GUARDIAN_CARD, GUARDIAN_PIN),
                        (CHILD_CARD, CHILD_PIN),
                        (STRANGER, PIN),
                    )
                }
            ),
            hosts=InMemoryHosts(),
            timezone="Europe/Oslo",
            backfill=timedelta(days=60),
            clock=lambda: self.now[0],
        )

    async def event_types(self, patron_ref: str) -> list[str]:
        stored = await self.store.read_stream(f"agreement-{patron_ref}")
        return [event.event_type for event in stored]


async def signed_under_the_old_key() -> Library:
    library = Library()
    before = library.access(OLD_KEY)
    await before.register_branch(request(), branch_id="haroy", name="Harøy", meirope_min_age=15)
    await before.set_access_rules(
        request(), "haroy", AccessRules(meirope_min_age=15, unaccompanied_min_age=12)
    )
    every_hour = [
        SchedulePeriod(weekday=d, starts=time(0), ends=time(23, 59, 59), kind=OpeningKind.MEIROPE)
        for d in range(1, 8)
    ]
    await before.set_schedule(request(), "haroy", every_hour)
    for door_id in ("haroy-hovuddor", "haroy-sidedor"):
        await before.register_door(request(), door_id=door_id, branch_id="haroy", name="Dør")
    await before.sign_agreement(request(), card_number=CARD, guardian_consent=False)
    return library


async def test_a_card_signed_under_the_old_key_comes_in_after_rotation_and_is_rekeyed_once() -> (
    None
):
    library = await signed_under_the_old_key()
    after = library.access(NEW_KEY, previous=OLD_KEY)

    first = await after.present_card(request(), door_id="haroy-hovuddor", card_number=CARD, pin=PIN)
    second = await after.present_card(
        request(), door_id="haroy-hovuddor", card_number=CARD, pin=PIN
    )

    assert first.granted
    assert second.granted
    signed, moved = await library.store.read_stream(f"agreement-{OLD_REF}")
    assert signed.event_type == AgreementSigned.event_type()  # history keeps its reference
    assert moved.decode(REGISTRY).payload == AgreementMoved(patron_ref=OLD_REF, new_ref=NEW_REF)
    (rekeyed,) = await library.store.read_stream(f"agreement-{NEW_REF}")
    assert rekeyed.decode(REGISTRY).payload == AgreementRekeyed(
        patron_ref=NEW_REF, previous_ref=OLD_REF, standing=AgreementStanding.IN_FORCE
    )


async def test_doors_racing_and_a_repeated_request_store_the_rekeying_once() -> None:
    library = await signed_under_the_old_key()
    one, other = library.access(NEW_KEY, previous=OLD_KEY), library.access(NEW_KEY, OLD_KEY)
    repeated = request("the-same-request")

    decisions = await asyncio.gather(
        one.present_card(request(), door_id="haroy-hovuddor", card_number=CARD, pin=PIN),
        other.present_card(request(), door_id="haroy-sidedor", card_number=CARD, pin=PIN),
        one.present_card(repeated, door_id="haroy-hovuddor", card_number=CARD, pin=PIN),
        other.present_card(repeated, door_id="haroy-hovuddor", card_number=CARD, pin=PIN),
    )

    # The door that lost the race read nothing under the current reference before the winner
    # wrote, and carries over after it: what it decides then is nothing.
    late = await other.carry_over(request(), CARD, NEW_REF)

    assert all(decision.granted for decision in decisions)
    assert late is not None
    assert late.standing is Standing.IN_FORCE
    assert await library.event_types(OLD_REF) == [
        AgreementSigned.event_type(),
        AgreementMoved.event_type(),
    ]
    assert await library.event_types(NEW_REF) == [AgreementRekeyed.event_type()]


async def test_a_card_unknown_under_both_keys_is_refused_as_before() -> None:
    library = await signed_under_the_old_key()
    after = library.access(NEW_KEY, previous=OLD_KEY)

    refused = await after.present_card(
        request(), door_id="haroy-hovuddor", card_number=STRANGER, pin=PIN
    )

    assert isinstance(refused.event, EntryDenied)
    assert refused.event.reason is DenialReason.NO_AGREEMENT
    for key in (OLD_KEY, NEW_KEY):
        assert await library.event_types(PatronReferences(key).of(STRANGER)) == []


async def test_a_suspension_is_carried_over_and_staff_change_the_agreement_under_the_new_key() -> (
    None
):
    library = await signed_under_the_old_key()
    await library.access(OLD_KEY).suspend_agreement(
        request(), card_number=CARD, reason=SuspensionReason.DAMAGE
    )
    after = library.access(NEW_KEY, previous=OLD_KEY)

    looked_up = await after.agreement_of_card(CARD)  # a look-up changes nothing
    assert looked_up.suspended
    assert await library.event_types(NEW_REF) == []
    refused = await after.present_card(
        request(), door_id="haroy-hovuddor", card_number=CARD, pin=PIN
    )
    assert isinstance(refused.event, EntryDenied)
    assert refused.event.reason is DenialReason.SUSPENDED
    await after.restore_agreement(request(), card_number=CARD)

    assert (await after.agreement_of_card(CARD)).standing is Standing.IN_FORCE
    assert await library.event_types(NEW_REF) == [
        AgreementRekeyed.event_type(),
        "AgreementRestored",
    ]


async def test_staff_changing_an_agreement_not_yet_carried_over_carry_it_over_first() -> None:
    library = await signed_under_the_old_key()
    after = library.access(NEW_KEY, previous=OLD_KEY)

    await after.withdraw_agreement(request(), card_number=CARD)

    assert await library.event_types(NEW_REF) == [
        AgreementRekeyed.event_type(),
        "AgreementWithdrawn",
    ]


async def test_a_child_signed_before_the_rotation_still_follows_the_guardian_carried_over() -> None:
    library = await signed_under_the_old_key()
    before = library.access(OLD_KEY)
    await before.sign_agreement(request(), card_number=GUARDIAN_CARD, guardian_consent=False)
    await before.sign_agreement(
        request(),
        card_number=CHILD_CARD,
        guardian_consent=True,
        birth_date=date(2017, 3, 14),
        guardian_card_number=GUARDIAN_CARD,
    )
    after = library.access(NEW_KEY, previous=OLD_KEY)

    guardian = await after.present_card(
        request(), door_id="haroy-hovuddor", card_number=GUARDIAN_CARD, pin=GUARDIAN_PIN
    )
    library.now[0] = NOON + timedelta(seconds=30)
    child = await after.present_card(
        request(), door_id="haroy-hovuddor", card_number=CHILD_CARD, pin=CHILD_PIN
    )

    assert guardian.granted
    assert child.granted


async def test_once_the_previous_key_is_retired_an_agreement_not_carried_over_is_orphaned() -> None:
    library = await signed_under_the_old_key()
    retired = library.access(NEW_KEY)

    refused = await retired.present_card(
        request(), door_id="haroy-hovuddor", card_number=CARD, pin=PIN
    )

    assert isinstance(refused.event, EntryDenied)
    assert refused.event.reason is DenialReason.NO_AGREEMENT


def test_moving_and_rekeying_again_decide_nothing() -> None:
    signed = agreement.evolve(agreement.NO_AGREEMENT, AgreementSigned(patron_ref=OLD_REF))
    moved = agreement.evolve(signed, AgreementMoved(patron_ref=OLD_REF, new_ref=NEW_REF))
    rekeyed = agreement.evolve(
        agreement.NO_AGREEMENT,
        AgreementRekeyed(
            patron_ref=NEW_REF, previous_ref=OLD_REF, standing=AgreementStanding.IN_FORCE
        ),
    )

    assert agreement.move(moved, patron_ref=OLD_REF, new_ref=NEW_REF) == []
    assert agreement.rekey(rekeyed, moved, patron_ref=NEW_REF, previous_ref=OLD_REF) == []
    assert rekeyed.standing is Standing.IN_FORCE
    assert moved.moved_to == NEW_REF
