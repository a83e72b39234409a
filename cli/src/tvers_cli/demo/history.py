"""The volunteers' history the demo makes (:mod:`.fill_history` runs it): weeks of shifts before
the day it is made, each step at the moment it happens.

Campaigns are recorded and volunteers register through them; staff record certificates seen and
introductions held; staff publish each shift three weeks ahead; volunteers of its branch claim
it, and those who come when it is full wait; now and then one gives a place up a day or so
before (the first waiting takes it); at the shift most check in a little early and check out
around the end, a few never come (no-shows) and a few forget to check out (closed by rule when
the day is over). The service's scheduler is ticked at every moment something falls due on a
shift (reminders at noon the day before, no-shows at the end, forgotten check-outs at midnight),
so that its rule, not the demo, makes them. At the end a few vgs students get a certificate.

Steps of different shifts between two moments the scheduler looks may be sent at once, each at
its own moment (:func:`rounds`): they touch different shifts (a volunteer never holds two that
overlap), so their order among themselves changes nothing.

Pure: the whole history is a function of the day it is made up to, with an idempotency key of
its own for every request, so that making it again sends the same requests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tvers_cli.demo.campaigns import CampaignPlan, plan_campaigns
from tvers_cli.demo.hosting import Slot, slots_between
from tvers_cli.demo.places import ZONE, school_year_start
from tvers_cli.demo.volunteers import VolunteerPlan, plan_volunteers
from tvers_volunteers.domain.windows import check_out_closes, reminder_due

#: How far back the shifts go: six weeks, from the school year's third week at the earliest,
#: and at least three weeks whenever the demo runs.
WEEKS, AT_LEAST = timedelta(weeks=6), timedelta(days=21)
#: How many vgs students get a certificate at the end.
CERTIFICATES = 4


@dataclass(frozen=True)
class Step:
    """Something that happens at a moment: ``kind`` says what (see :mod:`.fill_history`)."""

    at: datetime
    kind: str
    key: str = ""
    volunteer: int | None = None
    slot: Slot | None = None
    campaign: CampaignPlan | None = None
    or_wait: bool = False


@dataclass
class ShiftStory:
    """What happens on one shift: who claims it (in order), who gives a place up, who holds a
    place at the start, who checks in and out."""

    slot: Slot
    claims: list[tuple[int, datetime]] = field(default_factory=list)
    release: tuple[int, datetime] | None = None
    holders: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    check_ins: dict[int, datetime] = field(default_factory=dict)
    check_outs: dict[int, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """The volunteers' history up to ``until_day`` (not included)."""

    until_day: date
    first_day: date
    #: The last day the certificates count (the day before they are issued, at its end).
    certified_to: date
    campaigns: dict[str, CampaignPlan]
    volunteers: list[VolunteerPlan]
    shifts: list[ShiftStory]
    certificates: list[int]
    steps: list[Step]


def first_day(until_day: date) -> date:
    """The first day of shifts of a history made up to ``until_day``."""
    start = max(until_day - WEEKS, school_year_start(until_day) + timedelta(days=14))
    return min(start, until_day - AT_LEAST)


def make(until_day: date) -> History:
    """The history of the volunteers up to the start of ``until_day`` (Europe/Oslo)."""
    prefix = f"demo-{until_day.isoformat()}"
    first = first_day(until_day)
    campaigns = plan_campaigns(prefix, first)
    people = plan_volunteers(prefix, campaigns, datetime.combine(until_day, time(), ZONE))
    shifts = [_story(slot, people) for slot in slots_between(first, until_day - timedelta(days=1))]
    certified_to = until_day - timedelta(days=1)
    served = {volunteer for story in shifts for volunteer in story.check_ins}
    certified = [p.number for p in people if p.vgs_student and p.number in served][:CERTIFICATES]
    steps = _people_steps(campaigns, people) + [
        step for story in shifts for step in _shift_steps(prefix, story)
    ]
    # Last of all, when the last day is over: that the certificates are there tells a later
    # fill that the whole history is.
    end = datetime.combine(until_day, time(), ZONE)
    steps += [Step(end, "certificate", f"{prefix}-certificate-{v}", v) for v in certified]
    steps += [Step(at, "tick") for at in sorted({s.at for s in steps if s.kind == "due"})]
    steps = sorted((s for s in steps if s.kind != "due"), key=lambda s: (s.at, _ORDER[s.kind]))
    return History(until_day, first, certified_to, campaigns, people, shifts, certified, steps)


#: Which of two steps at the same moment comes first.
_ORDER = {
    kind: n
    for n, kind in enumerate(
        (
            "campaign",
            "register",
            "police-certificate",
            "introduction",
            "publish",
            "claim",
            "release",
            "check-in",
            "check-out",
            "tick",
            "certificate",
        )
    )
}


def _people_steps(campaigns: dict[str, CampaignPlan], people: list[VolunteerPlan]) -> list[Step]:
    steps = [Step(c.recorded_at, "campaign", c.key, campaign=c) for c in campaigns.values()]
    for p in people:
        steps.append(Step(p.registered_at, "register", p.key, p.number))
        for kind, at in (
            ("police-certificate", p.certificate_at),
            ("introduction", p.introduction_at),
        ):
            if at is not None:
                steps.append(Step(at, kind, f"{p.key}-{kind}", p.number))
    return steps


def published_at(slot: Slot) -> datetime:
    """When staff publish a shift: the Monday morning three weeks before its week."""
    day = slot.starts_at.astimezone(ZONE).date()
    monday = day - timedelta(days=day.weekday() + 21)
    return datetime.combine(monday, time(9), ZONE)


def candidates(slot: Slot, people: list[VolunteerPlan], opens: datetime) -> list[VolunteerPlan]:
    """Who may claim the shift from ``opens`` on: hosts of its branch ready to host; for a
    helper shift anyone registered from its branch or Spjelkavik, and the vgs students."""
    if slot.role == "host":
        return [
            p
            for p in people
            if p.home_branch == slot.branch_id and p.hosts_from is not None and p.hosts_from < opens
        ]
    return [
        p
        for p in people
        if p.registered_at < opens
        and (p.vgs_student or p.home_branch in (slot.branch_id, "spjelkavik"))
    ]


def _story(slot: Slot, people: list[VolunteerPlan]) -> ShiftStory:
    rng = random.Random(f"demo-history-{slot.key}")  # noqa: S311 - demo data, not secrets
    story = ShiftStory(slot)
    opens, closes = published_at(slot) + timedelta(hours=1), slot.starts_at - timedelta(hours=26)
    wanted = rng.choices((0, 1, 2, 3, 4), weights=(4, 16, 50, 22, 8))[0] + slot.capacity - 2
    found = candidates(slot, people, opens)
    claimers = rng.sample(found, min(wanted, len(found)))
    span = (closes - opens).total_seconds()
    story.claims = sorted(
        ((p.number, opens + timedelta(seconds=rng.uniform(0, span))) for p in claimers),
        key=lambda claim: claim[1],
    )
    order = [number for number, _ in story.claims]
    story.holders, story.waiting = order[: slot.capacity], order[slot.capacity :]
    if story.holders and rng.random() < (0.6 if story.waiting else 0.12):
        leaver = rng.choice(story.holders)
        story.release = (leaver, slot.starts_at - timedelta(hours=rng.uniform(2, 24)))
        story.holders.remove(leaver)
        if story.waiting:
            story.holders.append(story.waiting.pop(0))
    for holder in story.holders:
        fate = rng.random()
        if fate < 0.06:
            continue  # a no-show
        late = rng.random() < 0.1
        story.check_ins[holder] = slot.starts_at + timedelta(
            minutes=rng.uniform(1, 20) if late else -rng.uniform(0, 25)
        )
        if fate >= 0.12:  # else the check-out is forgotten
            story.check_outs[holder] = slot.ends_at + timedelta(minutes=rng.uniform(-10, 20))
    return story


def _shift_steps(prefix: str, story: ShiftStory) -> list[Step]:
    slot, key = story.slot, f"{prefix}-{story.slot.key}"
    holding = slot.capacity
    steps = [Step(published_at(slot), "publish", f"{key}-publish", slot=slot)]
    for n, (volunteer, at) in enumerate(story.claims):
        steps.append(Step(at, "claim", f"{key}-claim", volunteer, slot, or_wait=n >= holding))
    if story.release is not None:
        leaver, at = story.release
        # The scheduler looks at once: a place taken after noon the day before is reminded then.
        steps += [Step(at, "release", f"{key}-release", leaver, slot), Step(at, "due")]
    steps += [Step(at, "check-in", f"{key}-check-in", v, slot) for v, at in story.check_ins.items()]
    steps += [
        Step(at, "check-out", f"{key}-check-out", v, slot) for v, at in story.check_outs.items()
    ]
    due = (reminder_due(slot.starts_at), slot.ends_at, check_out_closes(slot.ends_at))
    return steps + [Step(at, "due") for at in due]


def _chain_of(step: Step) -> str:
    """The chain a step belongs to: its shift's, its volunteer's (as a person), or the
    campaigns'."""
    if step.slot is not None:
        return f"shift {step.slot.key}"
    if step.volunteer is not None:
        return f"person {step.volunteer}"
    return "campaigns"


def _needs(step: Step) -> set[str]:
    """The chains whose earlier steps this one needs done: a registration its campaign; what
    a volunteer does on a shift, or gets, the volunteer registered and ready."""
    needs = {f"person {step.volunteer}"} if step.volunteer is not None else set()
    return needs | ({"campaigns"} if step.kind == "register" else set())


def rounds(steps: list[Step]) -> list[list[list[Step]]]:
    """The steps in rounds, each round's chains to be sent at once, each chain in order. A
    scheduler's tick is a round alone (it looks at every shift). Otherwise a chain is a shift's
    steps, or a volunteer's own (registered, certificate, introduction, certificate issued),
    or the campaigns'; a step that needs another chain's step of the same round (a claim the
    claimer's introduction, a registration its campaign) starts a new round."""
    found: list[list[list[Step]]] = []
    chains: dict[str, list[Step]] = {}
    for step in steps:
        chain = _chain_of(step)
        needed = _needs(step) - {chain}
        if chains and (step.kind == "tick" or needed & chains.keys()):
            found.append(list(chains.values()))
            chains = {}
        if step.kind == "tick":
            found.append([[step]])
            continue
        chains.setdefault(chain, []).append(step)
    if chains:
        found.append(list(chains.values()))
    return found
