"""The access part of the demo fill: branches, doors, schedules, rules and agreements as staff
set them, then a school year of door traffic as the doors' panels, counters and controllers
report it."""

from __future__ import annotations

from rich.progress import Progress

from tvers_cli.demo.client import Filler, each
from tvers_cli.demo.data import RETENTION_DAYS, DemoData
from tvers_cli.demo.places import UNACCOMPANIED_MIN_AGE
from tvers_cli.supervisor import Supervisor

#: The supervisor's name of the SIP2 test peer standing in for the library system.
LIBRARY_SYSTEM = "library-system"


async def set_up(progress: Progress, demo: Filler, data: DemoData) -> None:
    """What staff set up: branches, doors, schedules, rules, agreements and suspensions.

    The counts of people left inside at the latest closings come right after the doors, before
    the schedules. The scheduler checks a closing once, as soon as it falls due: while no branch
    has a schedule there is nothing to check, so when the schedules come it finds those counts,
    as it would have found them at the closing had they been counted then.
    """
    await each(
        progress,
        "branches",
        data.branches,
        lambda b: demo.staff_at(
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
        lambda b: demo.staff_at(
            "POST",
            "/doors",
            f"demo-door-{b.door_id}",
            {"door_id": b.door_id, "branch_id": b.branch_id, "name": f"{b.name}, hovuddør"},
        ),
    )
    await each(progress, "counted in, left inside", data.left_inside, demo.count)
    await each(
        progress,
        "weekly schedules",
        data.branches,
        lambda b: demo.staff_at(
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
        lambda b: demo.staff_at(
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
        lambda b: demo.staff_at(
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
