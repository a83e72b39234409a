"""Activity per branch and day across the departments: door entries in staffed and unstaffed
hours, denials, volunteer shifts claimed, class visits with pupils and library cards.

Each figure is a :class:`Measure`, declared once in :data:`MEASURES`: its column in the table,
its field in the API, its labels on the dashboard, the event it counts and how. Adding one is a
change in one place; the changed table makes the runtime rebuild the read model on the next start.

Days are local days in the municipality's time zone. Only counts are kept: no patron reference,
no volunteer id, no name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryDenied, EntryGranted
from tvers_contracts.events.visits import ClassVisitHeld
from tvers_contracts.events.volunteers import PromotedFromWaitlist, ShiftClaimed
from tvers_contracts.values import OpeningKind
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

E = TypeVar("E", bound=DomainEvent)
DayOf = Callable[[Envelope[Any], ZoneInfo], date]


def day_it_happened(envelope: Envelope[Any], zone: ZoneInfo) -> date:
    """The local day of the event itself."""
    return envelope.occurred_at.astimezone(zone).date()


def day_of_shift(envelope: Envelope[Any], zone: ZoneInfo) -> date:
    """The local day a shift starts."""
    starts_at: datetime = envelope.payload.starts_at
    return starts_at.astimezone(zone).date()


def day_of_visit(envelope: Envelope[Any], _: ZoneInfo) -> date:
    """The day a class visit was held."""
    held_on: date = envelope.payload.held_on
    return held_on


def branch_of(event: Any) -> str:
    """The branch an event names."""
    branch_id: str = event.branch_id
    return branch_id


@dataclass(frozen=True)
class Measure(Generic[E]):
    """One daily figure per branch: what it is called, what it counts and on which day."""

    name: str  # column and API field
    label_nn: str
    label_en: str
    events: tuple[type[E], ...]
    amount: Callable[[E], int]  # what one event adds (0: nothing)
    day: DayOf = day_it_happened
    branch: Callable[[E], str] = branch_of

    def label(self, language: str) -> str:
        """The label in a language (nynorsk unless English is asked for)."""
        return self.label_en if language == "en" else self.label_nn


MEASURES: tuple[Measure[Any], ...] = (
    Measure(
        "entries_staffed",
        "Besøk i betjent tid",
        "Visits in staffed hours",
        (EntryGranted,),
        lambda e: int(e.opening is OpeningKind.STAFFED),
    ),
    Measure(
        "entries_meirope",
        "Besøk i meirope tid",
        "Visits in meirope hours",
        (EntryGranted,),
        lambda e: int(e.opening is OpeningKind.MEIROPE),
    ),
    Measure("entries_denied", "Avviste forsøk", "Denied attempts", (EntryDenied,), lambda _: 1),
    Measure(
        "shifts_claimed",
        "Vakter tekne av bibliotekvenner",
        "Shifts claimed by volunteers",
        # A place taken from the waitlist is a place taken, as a claim is.
        (ShiftClaimed, PromotedFromWaitlist),
        lambda _: 1,
        day_of_shift,
    ),
    Measure(
        "class_visits", "Klassebesøk", "Class visits", (ClassVisitHeld,), lambda _: 1, day_of_visit
    ),
    Measure(
        "pupils", "Elevar", "Pupils", (ClassVisitHeld,), lambda e: e.pupils_present, day_of_visit
    ),
    Measure(
        "library_cards",
        "Lånekort delte ut",
        "Library cards handed out",
        (ClassVisitHeld,),
        lambda e: e.library_cards_handed_out,
        day_of_visit,
    ),
)
NAMES = tuple(m.name for m in MEASURES)


class DailyActivity(Handling):
    """The projection; see the module docstring."""

    name = "daily_activity"
    version = 3
    handled = tuple(dict.fromkeys(event for m in MEASURES for event in m.events))
    tables_sql = f"""
        CREATE TABLE daily (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            {", ".join(f"{name} integer NOT NULL DEFAULT 0" for name in NAMES)},
            PRIMARY KEY (tenant, branch_id, day)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)
        self._measures: dict[type[DomainEvent], list[Measure[Any]]] = defaultdict(list)
        for measure in MEASURES:
            for event in measure.events:
                self._measures[event].append(measure)

    def totals(
        self, events: Sequence[Envelope[DomainEvent]]
    ) -> dict[tuple[str, str, date], dict[str, int]]:
        """The batch's counts per tenant, branch and local day."""
        totals: dict[tuple[str, str, date], dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(NAMES, 0)
        )
        for envelope in events:
            for measure in self._measures.get(type(envelope.payload), ()):
                amount = measure.amount(envelope.payload)
                if amount:
                    branch = measure.branch(envelope.payload)
                    key = (envelope.tenant, branch, measure.day(envelope, self._zone))
                    totals[key][measure.name] += amount
        return dict(totals)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add the batch's counts, one upsert for the whole batch."""
        totals = self.totals(events)
        if not totals:
            return
        keys = list(totals)
        columns = ", ".join(NAMES)
        updates = ", ".join(f"{c} = daily.{c} + excluded.{c}" for c in NAMES)
        casts = ", ".join(f"${i + 4}::int[]" for i in range(len(NAMES)))
        await connection.execute(
            f"""
            INSERT INTO daily (tenant, branch_id, day, {columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], {casts})
            ON CONFLICT (tenant, branch_id, day) DO UPDATE SET {updates}
            """,  # noqa: S608 - column names are constants of this module
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
            *([totals[k][name] for k in keys] for name in NAMES),
        )
