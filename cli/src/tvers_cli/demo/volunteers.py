"""The demo's volunteers: fifty made-up library friends (nobody real), each with a name, contact
and birth year, brought by one of the recruitment campaigns (:mod:`.campaigns`), with a home
branch whose evenings they host, and the days staff saw their police certificate and held their
introduction (most have both, and may host; a few not yet). One in five is a vgs student."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tvers_cli.demo.campaigns import OPEN_CAMPAIGNS, VGS_VISITS, CampaignPlan
from tvers_cli.demo.places import ZONE

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
#: How many volunteers (not vgs students, whose home is near their school) each branch has.
_HOMES = {
    "alesund-sentrum": 14,
    "spjelkavik": 6,
    "skodje": 6,
    "brattvag": 4,
    "haroy": 3,
    "sjoholt": 3,
    "ellingsoy": 4,
}
_VGS_HOMES = {"spjelkavik-vgs": ("spjelkavik", "skodje"), "fagerlia-vgs": ("alesund-sentrum",)}
COUNT = 50


@dataclass(frozen=True)
class VolunteerPlan:
    """A made-up volunteer, numbered."""

    number: int
    key: str
    name: str
    birth_year: int
    vgs_student: bool
    campaign: str
    home_branch: str
    registered_at: datetime
    #: The days staff saw the police certificate and held the introduction, if they have.
    certificate_on: date | None
    introduction_on: date | None

    @property
    def certificate_at(self) -> datetime | None:
        """When staff record the certificate they saw (that afternoon)."""
        return None if self.certificate_on is None else _at(self.certificate_on, time(14))

    @property
    def introduction_at(self) -> datetime | None:
        """When staff record the introduction (after it, that evening)."""
        return None if self.introduction_on is None else _at(self.introduction_on, time(18))

    @property
    def hosts_from(self) -> datetime | None:
        """From when they may host (both recorded), if they may."""
        return self.introduction_at if self.certificate_on is not None else None

    def registration(self, campaign_id: str) -> dict[str, Any]:
        """The registration staff send (the channel is the campaign's)."""
        first, last = self.name.split(" ", 1)
        return {
            "name": self.name,
            "email": f"{_ascii(first)}.{_ascii(last)}.{self.number}@example.no",
            "phone": f"+47 4{self.number:02d} 00 {self.number:03d}",
            "birth_year": self.birth_year,
            "vgs_student": self.vgs_student,
            "campaign_id": campaign_id,
        }


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, ZONE)


def _ascii(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    return text.translate(table).lower()


def plan_volunteers(
    prefix: str, campaigns: dict[str, CampaignPlan], end: datetime
) -> list[VolunteerPlan]:
    """The volunteers the campaigns bring: one in five a vgs student (from a school visit), one in
    ten not yet ready to host (two of them with the certificate seen, no introduction yet). What
    would come at ``end`` or later has not happened yet."""
    rng = random.Random(f"{prefix}-volunteers")  # noqa: S311 - demo data, not secrets
    homes = [home for home, count in _HOMES.items() for _ in range(count)]
    rng.shuffle(homes)
    plans = []
    for number in range(COUNT):
        vgs = number % 5 == 0
        name = VGS_VISITS[number // 5 % 2] if vgs else rng.choice(OPEN_CAMPAIGNS)
        campaign = campaigns[name]
        length = (campaign.ends_on - campaign.starts_on).days
        registered = _at(
            campaign.starts_on + timedelta(days=rng.randint(0, min(length + 5, 12))),
            time(rng.randint(9, 20), rng.randrange(60)),
        )
        shown = registered.date() + timedelta(days=rng.randint(3, 10))
        introduced = shown + timedelta(days=rng.randint(0, 6))
        ready = number % 10 != 9
        plans.append(
            VolunteerPlan(
                number=number,
                key=f"{prefix}-volunteer-{number}",
                name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                birth_year=registered.year - (rng.randint(16, 18) if vgs else rng.randint(19, 78)),
                vgs_student=vgs,
                campaign=name,
                home_branch=(rng.choice(_VGS_HOMES[name]) if vgs else homes.pop()),
                registered_at=registered,
                certificate_on=shown
                if (ready or number % 20 == 9) and shown < end.date()
                else None,
                introduction_on=introduced if ready and introduced < end.date() else None,
            )
        )
    return plans
