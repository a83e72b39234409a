"""The innbyggartorg desk log in reporting: each help record and the category list.

One row per help record (``HelpGiven``), by its site, department, category, channel, duration,
referral and the Europe/Oslo day and ISO week (its Monday) it was given; ``HelpUndone`` marks it
undone, and an undone record counts nothing. The category list keeps each category's latest
names (a rename keeps the id, so counts before and after it are one series) and whether it is
retired. The figures (demand, the overlap, the referral matrix) are counted when read
(:mod:`.desk_queries`): a year at five sites is tens of thousands of rows, and an undo then
needs no counts to be taken back. Nothing about the citizen is in the events, nor here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.desk import (
    CategoryAdded,
    CategoryRenamed,
    CategoryRetired,
    HelpGiven,
    HelpUndone,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


def monday_of(day: date) -> date:
    """The Monday of a day's ISO week."""
    return day - timedelta(days=day.weekday())


class DeskHelp(Handling):
    """The projection; see the module docstring."""

    name = "desk_help"
    version = 1
    handled = (HelpGiven, HelpUndone, CategoryAdded, CategoryRenamed, CategoryRetired)
    tables_sql = """
        CREATE TABLE help (
            tenant text NOT NULL,
            help_id uuid NOT NULL,
            site text NOT NULL,
            department text NOT NULL,
            category_id text NOT NULL,
            channel text NOT NULL,
            duration text NOT NULL,
            referred_to text,
            day date NOT NULL,
            week date NOT NULL,
            undone boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant, help_id)
        );
        CREATE INDEX help_by_day ON help (tenant, day);
        CREATE TABLE categories (
            tenant text NOT NULL,
            category_id text NOT NULL,
            name text NOT NULL,
            name_en text NOT NULL,
            retired boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant, category_id)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """The batch's records in one insert, then its undos (a record's undo always follows
        it in its stream), then the category changes in order. A record seen before (a repeat)
        is left as it is."""
        given: list[tuple[str, HelpGiven]] = []
        undone: list[tuple[str, str]] = []
        for envelope in events:
            event = envelope.payload
            if isinstance(event, HelpGiven):
                given.append((envelope.tenant, event))
            elif isinstance(event, HelpUndone):
                undone.append((envelope.tenant, str(event.help_id)))
        if given:
            await self._insert(connection, given)
        if undone:
            await connection.execute(
                """
                UPDATE help SET undone = true
                FROM unnest($1::text[], $2::uuid[]) AS u(t, h)
                WHERE tenant = u.t AND help_id = u.h
                """,
                [t for t, _ in undone],
                [h for _, h in undone],
            )
        for envelope in events:
            await _change_category(connection, envelope.tenant, envelope.payload)

    async def _insert(self, connection: Connection, given: list[tuple[str, HelpGiven]]) -> None:
        days = [e.given_at.astimezone(self._zone).date() for _, e in given]
        await connection.execute(
            """
            INSERT INTO help (tenant, help_id, site, department, category_id, channel,
                duration, referred_to, day, week)
            SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                $6::text[], $7::text[], $8::text[], $9::date[], $10::date[])
            ON CONFLICT DO NOTHING
            """,
            [t for t, _ in given],
            [str(e.help_id) for _, e in given],
            [e.site for _, e in given],
            [e.department.value for _, e in given],
            [e.category_id for _, e in given],
            [e.channel.value for _, e in given],
            [e.duration.value for _, e in given],
            [None if e.referred_to is None else e.referred_to.value for _, e in given],
            days,
            [monday_of(day) for day in days],
        )


async def _change_category(connection: Connection, tenant: str, event: DomainEvent) -> None:
    if isinstance(event, CategoryAdded):
        # An id is never added twice (a retired one is never given again): a repeat keeps
        # the names as last renamed.
        await connection.execute(
            """
            INSERT INTO categories (tenant, category_id, name, name_en) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING
            """,
            tenant,
            event.category_id,
            event.name,
            event.name_en,
        )
    elif isinstance(event, CategoryRenamed):
        await connection.execute(
            """UPDATE categories SET name = $3, name_en = $4
            WHERE tenant = $1 AND category_id = $2""",
            tenant,
            event.category_id,
            event.name,
            event.name_en,
        )
    elif isinstance(event, CategoryRetired):
        await connection.execute(
            "UPDATE categories SET retired = true WHERE tenant = $1 AND category_id = $2",
            tenant,
            event.category_id,
        )
