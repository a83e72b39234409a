"""The demo's volunteers: fifty made-up library friends (nobody real), each with a name, contact,
birth year and the channel that brought them, and the fill that registers them and records, as
staff, their police certificate and introduction."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from rich.progress import Progress

from tvers_cli.demo.client import Filler, each

_FIRST = (
    "Åse",
    "Bjørn",
    "Synnøve",
    "Ørjan",
    "Kari",
    "Håkon",
    "Ingrid",
    "Sølvi",
    "Tor",
    "Marit",
    "Eirik",
    "Ragnhild",
    "Sindre",
    "Gudrun",
    "Ola",
    "Astrid",
    "Jørgen",
    "Liv",
    "Øystein",
    "Brit",
)
_LAST = (
    "Ærø",
    "Brattvåg",
    "Skodje",
    "Harøy",
    "Sjøholt",
    "Vik",
    "Giske",
    "Ellingsøy",
    "Søvik",
    "Flø",
    "Tennfjord",
    "Vatne",
    "Hessa",
    "Lerstad",
    "Spjelkavik",
)
_CHANNELS = ("mall_stand", "local_media", "friskus", "social_media", "vgs_visit", "word_of_mouth")


@dataclass(frozen=True)
class VolunteerPlan:
    """A made-up volunteer, numbered."""

    number: int
    name: str
    birth_year: int
    vgs_student: bool
    channel: str
    #: Staff have seen the police certificate and held the introduction: may host.
    eligible: bool

    @property
    def key(self) -> str:
        return f"demo-volunteer-{self.number}"

    def registration(self) -> dict[str, Any]:
        """The registration staff send."""
        first, last = self.name.split(" ", 1)
        return {
            "name": self.name,
            "email": f"{_ascii(first)}.{_ascii(last)}.{self.number}@example.no",
            "phone": f"+47 4{self.number:02d} 00 {self.number:03d}",
            "birth_year": self.birth_year,
            "vgs_student": self.vgs_student,
            "channel": self.channel,
            "campaign_id": None,
        }


def _ascii(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    return text.translate(table).lower()


def plan_volunteers(count: int, this_year: int) -> list[VolunteerPlan]:
    """``count`` made-up volunteers; one in five a vgs student, most of them eligible to host."""
    rng = random.Random("demo-volunteers")  # noqa: S311 - demo data, not secrets
    plans = []
    for number in range(count):
        vgs = number % 5 == 0
        channel = "vgs_visit" if vgs else rng.choice(_CHANNELS)
        plans.append(
            VolunteerPlan(
                number=number,
                name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                birth_year=this_year - (rng.randint(16, 18) if vgs else rng.randint(19, 78)),
                vgs_student=vgs,
                channel=channel,
                eligible=number % 10 != 9,
            )
        )
    return plans


async def register_volunteers(
    progress: Progress, demo: Filler, plans: list[VolunteerPlan], today: str
) -> dict[int, str]:
    """Register the volunteers as staff do; their ids by number."""
    ids: dict[int, str] = {}

    async def register(plan: VolunteerPlan) -> None:
        made = await demo.staff_at(
            "POST", "/volunteers", plan.key, plan.registration(), service="volunteers"
        )
        ids[plan.number] = made["volunteer_id"]
        if not plan.eligible:
            return
        # Only what is missing: on a later run the same key with another date would be refused.
        missing = " ".join(made["missing_for_hosting"])
        for path, field in (("police-certificate", "shown_on"), ("introduction", "completed_on")):
            if path.split("-")[0] in missing:
                await demo.staff_at(
                    "POST",
                    f"/volunteers/{made['volunteer_id']}/{path}",
                    f"{plan.key}-{path}-{today}",
                    {field: today},
                    service="volunteers",
                )

    await each(progress, "volunteers registered", plans, register)
    return ids
