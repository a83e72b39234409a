"""The desk log's year (:mod:`.desk_log`) sent to the desk service (decision 0045): through the
service itself, running in this process on a simulated clock beside its running process (as the
visits service's past is, decision 0036), since a record's time is the service's own. Each record
is sent by its site's desk token at its moment, with its own idempotency key; an undone one is
undone a few minutes later, as the desk would.

The year is made once per data folder, up to the day of the volunteers' history (the same
record, :mod:`.until`): a later fill finds its last record at the running service and sends
nothing.
"""

from __future__ import annotations

import uuid
from datetime import date

from rich.progress import Progress

from tvers_cli.demo.client import Filler, FillFailed, desk_subject, each
from tvers_cli.demo.desk_log import DeskRecord, year_of_records
from tvers_cli.demo.simulated import DESK, DESK_BASE_URL, simulated_desk
from tvers_cli.system import RunningSystem
from tvers_runtime.application import CommandContext

#: Records sent at once: each is a stream of its own, so they never wait for each other.
CONCURRENCY = 16


async def desk_year(progress: Progress, system: RunningSystem, demo: Filler, until: date) -> None:
    """Send the year of desk records before ``until``, unless a fill made it before."""
    records = year_of_records(until)
    if not records:
        return
    if await _made_before(demo, records[-1]):
        progress.add_task("desk log, a year (kept)", total=len(records), completed=len(records))
        return
    async with simulated_desk(system, records[0].at) as service:
        desk = Filler(system, service.http, demo.tenant, urls={DESK: DESK_BASE_URL})

        async def send(record: DeskRecord) -> None:
            token = desk.desk(record.site)
            with service.clock.at(record.at):
                given = await desk.send("POST", DESK, "/help", token, record.key, record.body())
            if record.undone_at is not None:
                path = f"/help/{given['help_id']}/undo"
                body = {"reason": record.undo_reason.value}
                with service.clock.at(record.undone_at):
                    await desk.send("POST", DESK, path, token, f"{record.key}-undo", body)

        await each(progress, "desk log, a year", records, send, concurrency=CONCURRENCY)


def help_id_of(tenant: str, record: DeskRecord) -> uuid.UUID:
    """The id the desk gives a record sent by its site's token under its key."""
    context = CommandContext(
        tenant=tenant,
        correlation_id=uuid.uuid4(),
        idempotency_key=record.key,
        principal=desk_subject(record.site),
    )
    return context.new_id("help")


async def _made_before(demo: Filler, last: DeskRecord) -> bool:
    """Whether the running service holds the year's last record already."""
    try:
        await demo.send("GET", DESK, f"/help/{help_id_of(demo.tenant, last)}", demo.staff, None)
    except FillFailed:  # not found: not made (or made on another database)
        return False
    return True
