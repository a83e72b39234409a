"""The access part of the demo fill: branches, doors, schedules, rules and agreements as staff
set them, then a school year of door traffic as the doors' panels, counters and controllers
report it.

The branches, their doors, schedules, rules and retention are set a year back, before all the
past they govern: reporting reads each past day by the schedule as it stood at the end of that
day (decision 0039), so schedules set today would leave every past week without open hours and
host coverage. Access stamps what staff set by its clock, so these requests go to the access
service running in this process on a simulated clock (:mod:`.simulated`, as the volunteers',
visits' and desk's past do), beside the running process. The rest goes to the running process:
the agreements as they stand now, and the doors' reports, which carry their own times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rich.progress import Progress

from tvers_cli.demo.client import Filler, each
from tvers_cli.demo.data import RETENTION_DAYS, DemoData
from tvers_cli.demo.places import UNACCOMPANIED_MIN_AGE, ZONE
from tvers_cli.demo.simulated import ACCESS, ACCESS_BASE_URL, simulated_access
from tvers_cli.supervisor import Supervisor
from tvers_cli.system import RunningSystem

#: The supervisor's name of the SIP2 test peer standing in for the library system.
LIBRARY_SYSTEM = "library-system"
#: How long before the demo's day staff set up the branches: the demo's year (the desk's year
#: is as long, the door traffic's school year and the volunteers' weeks shorter).
SET_UP_BEFORE = timedelta(days=365)


def set_up_at(today: date) -> datetime:
    """When staff set up the branches: the start of the demo's year (Europe/Oslo)."""
    return datetime.combine(today - SET_UP_BEFORE, time(), ZONE)


async def set_up(progress: Progress, system: RunningSystem, demo: Filler, data: DemoData) -> None:
    """What staff set up: branches, doors, schedules, rules, agreements and suspensions.

    The counts of people left inside at the latest closings come right after the doors, before
    the schedules. The scheduler checks a closing once, as soon as it falls due: while no branch
    has a schedule there is nothing to check, so when the schedules come it finds those counts,
    as it would have found them at the closing had they been counted then.
    """
    async with simulated_access(system, set_up_at(data.today)) as service:
        past = Filler(system, service.http, demo.tenant, urls={ACCESS: ACCESS_BASE_URL})
        await _branches_set_up(progress, past, demo, data)
    for who, agreements in (
        ("adults", [a for a in data.signed if a.guardian_card_number is None]),
        ("children", [a for a in data.signed if a.guardian_card_number is not None]),
    ):  # guardians sign before their children
        await each(
            progress,
            f"meirope agreements ({who})",
            agreements,
            lambda a: demo.staff_at(
                "POST",
                "/agreements",
                f"demo-agreement-{a.card_number}",
                {
                    "card_number": a.card_number,
                    "guardian_consent": a.guardian_card_number is not None,
                    "guardian_card_number": a.guardian_card_number,
                },
            ),
        )
    await each(
        progress,
        "agreements suspended",
        data.suspended,
        lambda card: demo.staff_at(
            "POST",
            "/agreements/suspend",
            f"demo-suspension-{card}",
            {"card_number": card, "reason": "let_others_in"},
        ),
    )


async def _branches_set_up(
    progress: Progress, past: Filler, running: Filler, data: DemoData
) -> None:
    """Branches, doors, schedules, access rules and retention, through ``past`` (at the start
    of the demo's year); the counts of people left inside through ``running`` (in between)."""
    await each(
        progress,
        "branches",
        data.branches,
        lambda b: past.staff_at(
            "POST",
            "/branches",
            f"demo-branch-{b.branch_id}",
            {"branch_id": b.branch_id, "name": b.name, "meirope_min_age": b.meirope_min_age},
        ),
    )
    await each(
        progress,
        "doors",
        data.branches,
        lambda b: past.staff_at(
            "POST",
            "/doors",
            f"demo-door-{b.door_id}",
            {"door_id": b.door_id, "branch_id": b.branch_id, "name": f"{b.name}, hovuddør"},
        ),
    )
    await each(progress, "counted in, left inside", data.left_inside, running.count)
    await each(
        progress,
        "weekly schedules",
        data.branches,
        lambda b: past.staff_at(
            "PUT",
            f"/branches/{b.branch_id}/schedule",
            f"demo-schedule-{b.branch_id}-v2",
            {"periods": [p.__dict__ for p in b.periods]},
        ),
    )
    await each(
        progress,
        "access rules",
        data.branches,
        lambda b: past.staff_at(
            "PUT",
            f"/branches/{b.branch_id}/access-rules",
            f"demo-access-rules-{b.branch_id}-v2",
            {
                "meirope_min_age": b.meirope_min_age,
                "unaccompanied_min_age": min(UNACCOMPANIED_MIN_AGE, b.meirope_min_age),
                "when_unreachable": b.when_unreachable.value,
            },
        ),
    )
    await each(
        progress,
        "retention of door logs",
        data.branches,
        lambda b: past.staff_at(
            "PUT",
            f"/branches/{b.branch_id}/retention",
            f"demo-retention-{b.branch_id}-v2",
            {
                "door_decisions_days": RETENTION_DAYS,
                "counter_days": RETENTION_DAYS,
                "alarms_days": RETENTION_DAYS,
            },
        ),
    )


async def door_traffic(
    progress: Progress, demo: Filler, data: DemoData, supervisor: Supervisor
) -> None:
    """The doors' school year: presentations, then the counts and alarms that follow them,
    then an evening's presentations with the library system stopped for the moment."""
    await each(progress, "door presentations", data.presentations, demo.arrive)
    await each(progress, "counter reports", data.counts, demo.count)
    await each(progress, "door alarms", data.alarms, demo.alarm)
    async with supervisor.stopped(LIBRARY_SYSTEM) as stopped:
        # Without a stand-in (an external library system) nothing here can stop it.
        outage = data.outage if stopped else []
        await each(progress, "while the library is away", outage, lambda p: demo.arrive((p,)))
