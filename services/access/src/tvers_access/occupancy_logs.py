"""Reading what occupancy needs from the event store: a branch's counter reports over a span of
days, a door's granted entries, and the branch's alerts of people left at closing; and from them
the occupancy at a moment (decision 0015)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_access.domain import closing, occupancy
from tvers_access.domain.closing import Alerts
from tvers_access.domain.occupancy import Reading
from tvers_access.domain.occupancy_rules import BranchWithRules
from tvers_access.domain.streams import counts_stream, occupants_stream, presentations_stream
from tvers_contracts import EventRegistry
from tvers_contracts.events.access import EntryGranted, PeopleCounted
from tvers_runtime.eventstore import EventStore

_DAY = timedelta(days=1)


class OccupancyLogs:
    """The counter, presentation and alert streams of the access service's event store."""

    def __init__(self, store: EventStore, registry: EventRegistry, zone: ZoneInfo) -> None:
        self._store = store
        self._registry = registry
        self._zone = zone

    async def occupancy(
        self, state: BranchWithRules, alerts: Alerts, *, opening_at: datetime, until: datetime
    ) -> int:
        """The people inside at ``until``, counted from the start of the opening ``opening_at``
        lies in (or the last before it), or from a later clear by staff."""
        assert state.branch.branch_id is not None
        opened = occupancy.opening_start(state.branch.schedule(self._zone), opening_at)
        since = occupancy.counted_since(opened, alerts.clears, until)
        readings = await self.readings(state.branch.branch_id, since, until)
        return occupancy.occupancy(readings, since=since, until=until)

    async def readings(self, branch_id: str, since: datetime, until: datetime) -> list[Reading]:
        """The counter reports of a branch's days from ``since`` to ``until`` (local dates)."""
        found = []
        for day in self.days(since, until):
            for stored in await self._store.read_stream(counts_stream(branch_id, day)):
                event = stored.decode(self._registry).payload
                if isinstance(event, PeopleCounted):
                    found.append(Reading.of(event))
        return found

    async def grants(self, door_id: str, since: datetime, until: datetime) -> list[datetime]:
        """When a door let people in, on its days from ``since`` to ``until``."""
        granted = EntryGranted.event_type()
        found: list[datetime] = []
        for day in self.days(since, until):
            stream = await self._store.read_stream(presentations_stream(door_id, day))
            found.extend(stored.occurred_at for stored in stream if stored.event_type == granted)
        return found

    async def alerts(self, branch_id: str) -> Alerts:
        """A branch's open alerts and the clears by staff."""
        alerts = closing.NO_ALERTS
        for stored in await self._store.read_stream(occupants_stream(branch_id)):
            alerts = closing.evolve(alerts, stored.decode(self._registry).payload)
        return alerts

    def day(self, moment: datetime) -> date:
        """The local date of a moment: which day's stream it belongs in."""
        return moment.astimezone(self._zone).date()

    def days(self, since: datetime, until: datetime) -> list[date]:
        """The local dates from ``since`` to ``until``."""
        first, last = self.day(since), self.day(until)
        return [first + n * _DAY for n in range((last - first).days + 1)]
