"""A door panel that repeats a presentation (same Idempotency-Key, same body) must get the first
answer, and the entry must be stored once, even when the repeat arrives after local midnight."""

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

from tvers_access.adapters.pseudonyms import PatronReferences
from tvers_access.application import AccessApplication
from tvers_access.testing.memory import FixedLibrarySystem, InMemoryHosts, InMemoryMonthKeys
from tvers_contracts import REGISTRY
from tvers_contracts.events.access import SchedulePeriod
from tvers_contracts.values import OpeningKind
from tvers_runtime.application import CommandContext
from tvers_runtime.eventstore import LOG_START
from tvers_runtime.eventstore.memory import InMemoryEventStore
from tvers_runtime.idempotency import InMemoryIdempotencyKeys

CARD = "12345678"
#: 23:59:59.9 in Oslo on a winter night, and 0.2 s later (the next local day).
BEFORE_MIDNIGHT = datetime(2026, 11, 23, 22, 59, 59, 900_000, tzinfo=UTC)
AFTER_MIDNIGHT = BEFORE_MIDNIGHT + timedelta(milliseconds=200)


def context(key: str) -> CommandContext:
    return CommandContext(
        tenant="1508",
        correlation_id=uuid4(),
        idempotency_key=key,
        principal="door:panel",
        fingerprint="the-same-request",
    )


async def staffed_door(app: AccessApplication) -> None:
    setup = CommandContext(tenant="1508", correlation_id=uuid4())
    await app.register_branch(setup, branch_id="skodje", name="Skodje", meirope_min_age=15)
    await app.set_schedule(
        setup,
        "skodje",
        [
            SchedulePeriod(
                weekday=day,
                starts=time(0),
                ends=time(23, 59, 59, 999_999),
                kind=OpeningKind.STAFFED,
            )
            for day in range(1, 8)
        ],
    )
    await app.register_door(setup, door_id="skodje-hovuddor", branch_id="skodje", name="Door")


async def test_a_presentation_repeated_after_local_midnight_is_stored_once() -> None:
    store = InMemoryEventStore()
    now = [BEFORE_MIDNIGHT]
    library = FixedLibrarySystem()
    app = AccessApplication(
        store,
        REGISTRY,
        PatronReferences(b"patron-key-for-the-tests-0123456789abcdef"),
        InMemoryMonthKeys(),
        library,
        hosts=InMemoryHosts(),
        timezone="Europe/Oslo",
        backfill=timedelta(days=60),
        keys=InMemoryIdempotencyKeys(),
        clock=lambda: now[0],
    )
    await staffed_door(app)
    key = "panel-retry-1"
    # The panel sends no presented_at: the service takes its clock's now.
    for moment in (BEFORE_MIDNIGHT, AFTER_MIDNIGHT):
        now[0] = moment
        await app.present_card(
            context(key), door_id="skodje-hovuddor", card_number=CARD, pin="1234"
        )
    presentations = [
        e for e in await store.read_all(LOG_START) if e.stream_id.startswith("presentations-")
    ]
    assert len(presentations) == 1
    assert library.asked == 0  # staffed hours: the library system is not asked
