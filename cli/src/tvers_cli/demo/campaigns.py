"""The demo's recruitment campaigns for library friends: a listing on Friskus, a week's stand at
Moa Amfi, an article in the local paper, posts on social media, and visits to two vgs schools,
before and in the first weeks of the volunteers' history (dates counted from its first day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tvers_cli.demo.places import ZONE

#: How many days before they start staff record them.
RECORDED_AHEAD = timedelta(days=2)


@dataclass(frozen=True)
class CampaignPlan:
    """A campaign as staff record it."""

    key: str
    channel: str
    place: str
    starts_on: date
    ends_on: date

    @property
    def recorded_at(self) -> datetime:
        """When staff record it: a couple of days before it starts, in the morning."""
        return datetime.combine(self.starts_on - RECORDED_AHEAD, time(9, 0), ZONE)

    def body(self) -> dict[str, Any]:
        """The campaign as ``POST /campaigns`` takes it."""
        return {
            "channel": self.channel,
            "place": self.place,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
        }


#: (name, channel, place, first day and last day counted from the history's first day).
_CAMPAIGNS = (
    ("friskus", "friskus", "Friskus", -35, 49),
    ("moa", "mall_stand", "Moa Amfi", -30, -24),
    ("avisa", "local_media", "Sunnmørsposten", -27, -20),
    ("sosiale-medium", "social_media", "Facebook og Instagram", -24, 10),
    ("spjelkavik-vgs", "vgs_visit", "Spjelkavik vidaregåande skule", -17, -17),
    ("fagerlia-vgs", "vgs_visit", "Fagerlia vidaregåande skule", 4, 4),
)
#: The campaigns that bring the vgs students, and those that bring everyone else.
VGS_VISITS = ("spjelkavik-vgs", "fagerlia-vgs")
OPEN_CAMPAIGNS = ("friskus", "moa", "avisa", "sosiale-medium")


def plan_campaigns(prefix: str, first_day: date) -> dict[str, CampaignPlan]:
    """The campaigns of a history that begins on ``first_day``, by name."""
    return {
        name: CampaignPlan(
            f"{prefix}-campaign-{name}",
            channel,
            place,
            first_day + timedelta(days=starts),
            first_day + timedelta(days=ends),
        )
        for name, channel, place, starts, ends in _CAMPAIGNS
    }
