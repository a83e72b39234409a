"""A branch's published hours as an iCalendar feed (RFC 5545) that a phone's calendar can
subscribe to, written with the ``icalendar`` package.

Each staffed or meirope period is one event, with local times in the municipality's zone and a
VTIMEZONE for it; a date closed all day by an exception is an all-day event. Every event's UID
is derived from the branch and the period's start, so a calendar that fetches the feed again
updates its events instead of adding them twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from tvers_access.domain.hours import PublishedHours
from tvers_access.domain.schedule import Occurrence
from tvers_contracts.values import OpeningKind

PRODID = "-//Samarbeid på tvers//Opningstider//NN"
UID_DOMAIN = "opningstider.tvers"
#: How often a subscribed calendar should fetch the feed again.
REFRESH = timedelta(hours=6)
SUMMARIES = {OpeningKind.STAFFED: "Betent", OpeningKind.MEIROPE: "Meirope (sjølvbetent)"}
DESCRIPTIONS = {
    OpeningKind.STAFFED: "Biblioteket er ope med tilsette. / The library is open and staffed.",
    OpeningKind.MEIROPE: (
        "Meirope: sjølvbetent, med lånekort, PIN og meiropeavtale. / Staffless opening hours: "
        "come in with library card, PIN and a meirope agreement."
    ),
}
CLOSED_SUMMARY = "Stengt"
CLOSED_DESCRIPTION = "Biblioteket er stengt heile dagen. / The library is closed all day."


def calendar_feed(hours: PublishedHours, *, zone: ZoneInfo, stamp: datetime) -> bytes:
    """The feed's bytes. ``stamp`` (aware) is when it was made: every event's DTSTAMP."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", f"Opningstider {hours.name}")
    feed.add("x-wr-caldesc", f"Betent og meirope i {hours.name}. / Staffed and meirope hours.")
    feed.add("x-wr-timezone", zone.key)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", REFRESH)
    for period in hours.periods:
        feed.add_component(_period_event(hours.branch_id, period, zone, stamp))
    for day, exception in hours.exceptions.items():
        if not any(p.kind is not OpeningKind.CLOSED for p in exception.periods):
            feed.add_component(_closed_day(hours.branch_id, day, exception.label, stamp))
    # Only the transitions of the feed's own dates (and a margin), not those of 1970-2038.
    feed.add_missing_timezones(
        first_date=hours.first - timedelta(days=1), last_date=hours.last + timedelta(days=2)
    )
    document: bytes = feed.to_ical()
    return document


def _period_event(branch_id: str, period: Occurrence, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{branch_id}-{period.starts:%Y%m%dT%H%M%SZ}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", period.starts.astimezone(zone))
    event.add("dtend", period.ends.astimezone(zone))
    event.add("summary", _with_label(SUMMARIES[period.kind], period.label))
    event.add("description", DESCRIPTIONS[period.kind])
    event.add("categories", [period.kind.value])
    event.add("transp", "TRANSPARENT")  # opening hours do not make the subscriber busy
    return event


def _closed_day(branch_id: str, day: date, label: str | None, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{branch_id}-{day:%Y%m%d}-stengt@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", _with_label(CLOSED_SUMMARY, label))
    event.add("description", CLOSED_DESCRIPTION)
    event.add("categories", [OpeningKind.CLOSED.value])
    event.add("transp", "TRANSPARENT")
    return event


def _with_label(summary: str, label: str | None) -> str:
    return f"{summary}: {label}" if label else summary
