"""Volunteers: their registrations and standing, the time they served, the recruitment campaigns
that brought them, and the certificates issued.

Hours are counted as the volunteers service counts them (``tvers_volunteers.domain.hours``): a
volunteer's time on a shift runs from check-in to check-out (``VolunteerCheckedOut``, also when
the rule closed it), and a staff correction (``AttendanceCorrected``) replaces whatever was there,
so each volunteer has one served span per shift, as last set. The span counts whole in the
Europe/Oslo month (and day) of its check-in, so a shift over midnight at the end of a month counts
in the month it began. A volunteer still checked in has served nothing yet; a no-show has served
nothing unless staff corrected it; a correction to ``did_not_attend`` (equal times) takes the
time away again. Sums are of seconds, shown as whole minutes rounded down, as the certificate
rounds.

A volunteer is *active* when registered and neither deactivated (until reactivated) nor erased;
an erased volunteer's hours still count, under an id that leads to no one. A volunteer *served*
in a month when they have time served on a shift checked into that month; their *first shift* is
the earliest such day. Registrations and first shifts are counted per recruitment channel and
campaign; a registration through a campaign counts under the campaign's channel as last corrected
(``CampaignCorrected``). Only opaque ids are kept, and the API shows only counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    CampaignCorrected,
    CampaignRecorded,
    CertificateIssued,
    VolunteerCheckedOut,
    VolunteerDeactivated,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

_STANDING: dict[type[DomainEvent], str] = {
    VolunteerDeactivated: "deactivated = true",
    VolunteerReactivated: "deactivated = false",
    VolunteerErased: "erased = true",
}


class Volunteers(Handling):
    """The projection; see the module docstring."""

    name = "volunteers"
    version = 1
    handled = (
        VolunteerRegistered,
        VolunteerDeactivated,
        VolunteerReactivated,
        VolunteerErased,
        CampaignRecorded,
        CampaignCorrected,
        VolunteerCheckedOut,
        AttendanceCorrected,
        CertificateIssued,
    )
    tables_sql = """
        CREATE TABLE volunteers (
            tenant text NOT NULL,
            volunteer_id uuid NOT NULL,
            registered_on date NOT NULL,
            channel text NOT NULL,
            campaign_id uuid,
            deactivated boolean NOT NULL DEFAULT false,
            erased boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant, volunteer_id)
        );
        CREATE TABLE campaigns (
            tenant text NOT NULL,
            campaign_id uuid NOT NULL,
            channel text NOT NULL,
            place text NOT NULL,
            PRIMARY KEY (tenant, campaign_id)
        );
        CREATE TABLE served (
            tenant text NOT NULL,
            shift_id uuid NOT NULL,
            volunteer_id uuid NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            seconds bigint NOT NULL,
            PRIMARY KEY (tenant, shift_id, volunteer_id)
        );
        CREATE INDEX served_by_day ON served (tenant, day);
        CREATE TABLE certificates (
            tenant text NOT NULL,
            event_id uuid NOT NULL,
            day date NOT NULL,
            minutes integer NOT NULL,
            PRIMARY KEY (tenant, event_id)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self._zone).date()

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event, in order."""
        for envelope in events:
            await self._apply_one(connection, envelope)

    async def _apply_one(self, connection: Connection, envelope: Envelope[DomainEvent]) -> None:
        tenant, event = envelope.tenant, envelope.payload
        if isinstance(event, VolunteerCheckedOut | AttendanceCorrected):
            seconds = (event.checked_out_at - event.checked_in_at).total_seconds()
            await connection.execute(
                """
                INSERT INTO served (tenant, shift_id, volunteer_id, branch_id, day, seconds)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (tenant, shift_id, volunteer_id) DO UPDATE
                SET branch_id = excluded.branch_id, day = excluded.day, seconds = excluded.seconds
                """,
                tenant,
                event.shift_id,
                event.volunteer_id,
                event.branch_id,
                self._day(event.checked_in_at),
                int(seconds),
            )
        elif isinstance(event, VolunteerRegistered):
            await connection.execute(
                """
                INSERT INTO volunteers (tenant, volunteer_id, registered_on, channel, campaign_id)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, volunteer_id) DO NOTHING
                """,
                tenant,
                event.volunteer_id,
                self._day(envelope.occurred_at),
                event.channel.value,
                event.campaign_id,
            )
        elif isinstance(event, VolunteerDeactivated | VolunteerReactivated | VolunteerErased):
            await connection.execute(
                f"UPDATE volunteers SET {_STANDING[type(event)]}"  # noqa: S608 - constants
                " WHERE tenant = $1 AND volunteer_id = $2",
                tenant,
                event.volunteer_id,
            )
        elif isinstance(event, CampaignRecorded | CampaignCorrected):
            await connection.execute(
                """
                INSERT INTO campaigns (tenant, campaign_id, channel, place) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant, campaign_id) DO UPDATE
                SET channel = excluded.channel, place = excluded.place
                """,
                tenant,
                event.campaign_id,
                event.channel.value,
                event.place,
            )
        elif isinstance(event, CertificateIssued):
            await connection.execute(
                "INSERT INTO certificates (tenant, event_id, day, minutes)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                tenant,
                envelope.event_id,
                self._day(envelope.occurred_at),
                event.minutes_served,
            )
