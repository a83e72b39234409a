"""The volunteers' read models on a real PostgreSQL and NATS: a month of volunteering published
as the volunteers service's relay would, read back through the API, with the right numbers; the
same again after duplicates and after a rebuild.

The story is set around the end of March 2026, when Oslo moves to summer time (29 March) and the
month turns: a shift from 00:30 on Monday 30 March (Oslo) counts in that week, though in UTC it
is still Sunday; a check-in at 23:30 on 31 March counts in March, one at 00:10 on 1 April in April.
"""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.events.access import WeeklyScheduleSet
from tvers_contracts.events.volunteers import (
    AgeBand,
    AttendanceCorrected,
    CampaignCorrected,
    CampaignRecorded,
    CertificateIssued,
    CertificateLocale,
    CorrectionReason,
    NoShowRecorded,
    PresentHost,
    PromotedFromWaitlist,
    RecruitmentChannel,
    ShiftCancelled,
    ShiftClaimed,
    ShiftPublished,
    ShiftReleased,
    ShiftRole,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    VolunteerDeactivated,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
    WaitlistJoined,
)
from tvers_reporting.testing.story import Story, publish
from tvers_runtime.auth import Role
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.schedules import weekly
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
VIEWER = bearer(Role.VIEWER)
STAFF_ID = "staff:ab12"
PERIOD = "?from=2026-03-01&to=2026-04-30"


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def volunteering() -> Story:
    story = Story()
    campaign, a, b, c, d, e = uuid4(), uuid4(), uuid4(), uuid4(), uuid4(), uuid4()
    story.add(
        f"campaign-{campaign}",
        utc(1, 9),
        CampaignRecorded(
            campaign_id=campaign,
            channel=RecruitmentChannel.MALL_STAND,
            place="Moa Amfi",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 7),
            staff_id=STAFF_ID,
        ),
    )
    story.add(
        f"campaign-{campaign}",
        utc(1, 10),
        CampaignCorrected(
            campaign_id=campaign,
            channel=RecruitmentChannel.VGS_VISIT,
            place="Spjelkavik vgs",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 7),
            staff_id=STAFF_ID,
        ),
    )
    channels = {
        a: (RecruitmentChannel.MALL_STAND, campaign),
        b: (RecruitmentChannel.FRISKUS, None),
        c: (RecruitmentChannel.SOCIAL_MEDIA, None),
        d: (RecruitmentChannel.WORD_OF_MOUTH, None),
        e: (RecruitmentChannel.OTHER, None),
    }
    for n, (volunteer, (channel, campaign_id)) in enumerate(channels.items()):
        story.add(
            f"volunteer-{volunteer}",
            utc(2 + n, 10),
            VolunteerRegistered(
                volunteer_id=volunteer,
                age_band=AgeBand.FROM_18_TO_25,
                vgs_student=False,
                channel=channel,
                campaign_id=campaign_id,
            ),
        )
    story.add(f"volunteer-{c}", utc(10, 9), VolunteerDeactivated(volunteer_id=c, staff_id=STAFF_ID))
    story.add(f"volunteer-{d}", utc(10, 9), VolunteerDeactivated(volunteer_id=d, staff_id=STAFF_ID))
    story.add(f"volunteer-{d}", utc(11, 9), VolunteerReactivated(volunteer_id=d, staff_id=STAFF_ID))
    story.add(f"volunteer-{e}", utc(12, 9), VolunteerErased(volunteer_id=e))

    # Shift 1 at Harøy, 00:30-01:30 on Monday 30 March in Oslo (summer time): still Sunday in UTC.
    s1, s1_start = uuid4(), utc(29, 22, 30)
    shift_at(story, s1, "haroy", s1_start, capacity=2)
    place(story, ShiftClaimed, s1, a, "haroy", s1_start)
    place(story, ShiftClaimed, s1, b, "haroy", s1_start)
    check_in_and_out(story, s1, a, "haroy", s1_start, s1_start, s1_start + timedelta(hours=1))
    place(story, NoShowRecorded, s1, b, "haroy", s1_start)
    story.add(
        f"shift-{s1}",
        utc(30, 9),
        AttendanceCorrected(
            shift_id=s1,
            volunteer_id=b,
            branch_id="haroy",
            checked_in_at=s1_start,
            checked_out_at=s1_start,
            staff_id=STAFF_ID,
            reason=CorrectionReason.DID_NOT_ATTEND,
        ),
    )

    # Shift 2 at Harøy, 23:30 on 31 March to 01:30 on 1 April (Oslo): one place, a waitlist.
    s2, s2_start = uuid4(), utc(31, 21, 30)
    shift_at(story, s2, "haroy", s2_start, capacity=1)
    place(story, ShiftClaimed, s2, a, "haroy", s2_start)
    story.add(f"shift-{s2}", utc(30, 12), WaitlistJoined(shift_id=s2, volunteer_id=b))
    place(story, ShiftReleased, s2, a, "haroy", s2_start)
    place(story, PromotedFromWaitlist, s2, b, "haroy", s2_start)
    check_in_and_out(story, s2, b, "haroy", s2_start, s2_start, s2_start + timedelta(hours=2))
    story.add(  # staff correct it to 1 h 45 min; it still counts in March, the check-in's month
        f"shift-{s2}",
        utc(1, 9, month=4),
        AttendanceCorrected(
            shift_id=s2,
            volunteer_id=b,
            branch_id="haroy",
            checked_in_at=s2_start + timedelta(minutes=15),
            checked_out_at=s2_start + timedelta(hours=2),
            staff_id=STAFF_ID,
            reason=CorrectionReason.WRONG_TIME,
        ),
    )

    # Shift 3 at Brattvåg from midnight on 1 April (Oslo): checked into at 00:10, in April.
    s3, s3_start = uuid4(), utc(31, 22)
    shift_at(story, s3, "brattvag", s3_start, capacity=2)
    place(story, ShiftClaimed, s3, a, "brattvag", s3_start)
    checked_in = s3_start + timedelta(minutes=10)
    check_in_and_out(
        story, s3, a, "brattvag", s3_start, checked_in, checked_in + timedelta(hours=1)
    )

    # Shift 4 at Brattvåg the week after, cancelled.
    s4, s4_start = uuid4(), utc(7, 10, month=4)
    shift_at(story, s4, "brattvag", s4_start, capacity=1)
    story.add(
        f"shift-{s4}",
        utc(2, 9, month=4),
        ShiftCancelled(
            shift_id=s4,
            branch_id="brattvag",
            starts_at=s4_start,
            ends_at=s4_start + timedelta(hours=2),
            staff_id=STAFF_ID,
            volunteers=[],
            waitlisted=[],
        ),
    )

    certificate(story, b, utc(31, 21), minutes=105)  # 23:00 on 31 March in Oslo
    certificate(story, a, utc(31, 22, 30), minutes=120)  # 00:30 on 1 April in Oslo
    return story


def shift_at(
    story: Story,
    shift_id: UUID,
    branch: str,
    starts: datetime,
    capacity: int,
    role: ShiftRole = ShiftRole.HOST,
) -> None:
    story.add(
        f"shift-{shift_id}",
        starts - timedelta(days=10),
        ShiftPublished(
            shift_id=shift_id,
            branch_id=branch,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=capacity,
            role=role,
        ),
    )


def place(
    story: Story, kind: type[Any], shift_id: UUID, volunteer: UUID, branch: str, starts: datetime
) -> None:
    story.add(
        f"shift-{shift_id}",
        starts - timedelta(days=1),
        kind(
            shift_id=shift_id,
            volunteer_id=volunteer,
            branch_id=branch,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        ),
    )


def check_in_and_out(
    story: Story,
    shift_id: UUID,
    volunteer: UUID,
    branch: str,
    starts: datetime,
    checked_in: datetime,
    checked_out: datetime,
) -> None:
    shift = {
        "shift_id": shift_id,
        "volunteer_id": volunteer,
        "branch_id": branch,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    present = [PresentHost(volunteer_id=volunteer, checked_in_at=checked_in)]
    story.add(
        f"shift-{shift_id}",
        checked_in,
        VolunteerCheckedIn(**shift, present=present, checked_in_at=checked_in),
    )
    story.add(
        f"shift-{shift_id}",
        checked_out,
        VolunteerCheckedOut(
            **shift,
            present=[],
            checked_in_at=checked_in,
            checked_out_at=checked_out,
            closed_by_rule=False,
        ),
    )


def certificate(story: Story, volunteer: UUID, at: datetime, minutes: int) -> None:
    story.add(
        f"volunteer-{volunteer}",
        at,
        CertificateIssued(
            volunteer_id=volunteer,
            period_from=date(2026, 3, 1),
            period_to=date(2026, 3, 31),
            minutes_served=minutes,
            branches=["haroy"],
            issued_by=STAFF_ID,
            locale=CertificateLocale.NN,
        ),
    )


EXPECTED: dict[str, Any] = {
    "shifts": [
        {
            "branch_id": "brattvag",
            "week": "2026-03-30",
            "shifts_published": 1,
            "shifts_cancelled": 0,
            "shifts_filled": 0,
            "places_offered": 2,
            "places_taken": 1,
            "places_released": 0,
            "waitlist_joins": 0,
            "no_shows": 0,
        },
        {
            "branch_id": "haroy",
            "week": "2026-03-30",
            "shifts_published": 2,
            "shifts_cancelled": 0,
            "shifts_filled": 2,
            "places_offered": 3,
            "places_taken": 4,
            "places_released": 1,
            "waitlist_joins": 1,
            "no_shows": 1,
        },
        {
            "branch_id": "brattvag",
            "week": "2026-04-06",
            "shifts_published": 1,
            "shifts_cancelled": 1,
            "shifts_filled": 0,
            "places_offered": 0,
            "places_taken": 0,
            "places_released": 0,
            "waitlist_joins": 0,
            "no_shows": 0,
        },
    ],
    "hours": [
        {
            "branch_id": "haroy",
            "month": "2026-03-01",
            "minutes": 60 + 105,
            "shifts_served": 2,
            "volunteers": 2,
        },
        {
            "branch_id": "brattvag",
            "month": "2026-04-01",
            "minutes": 60,
            "shifts_served": 1,
            "volunteers": 1,
        },
    ],
    "active": {
        "active": 3,
        "months": [
            {"month": "2026-03-01", "volunteers_served": 2},
            {"month": "2026-04-01", "volunteers_served": 1},
        ],
    },
    "certificates": [
        {"month": "2026-03-01", "certificates": 1, "minutes": 105},
        {"month": "2026-04-01", "certificates": 1, "minutes": 120},
    ],
}


def expected_recruitment(story: Story) -> list[dict[str, Any]]:
    campaign = next(
        e.payload.campaign_id for e in story.envelopes if isinstance(e.payload, CampaignRecorded)
    )
    one = {"campaign_id": None, "place": None, "registrations": 1, "first_shifts": 0}
    return [
        {**one, "channel": "friskus", "first_shifts": 1},
        {**one, "channel": "other"},
        {**one, "channel": "social_media"},
        # Registered as met at the mall stand, counted under the campaign's corrected channel.
        {
            **one,
            "channel": "vgs_visit",
            "campaign_id": str(campaign),
            "place": "Spjelkavik vgs",
            "first_shifts": 1,
        },
        {**one, "channel": "word_of_mouth"},
    ]


async def answers(client: httpx.AsyncClient) -> dict[str, Any]:
    return {
        name: (await client.get(f"/api/volunteers/{name}{PERIOD}", headers=VIEWER)).json()
        for name in ("shifts", "hours", "active", "recruitment", "certificates")
    }


async def eventually_answers(client: httpx.AsyncClient, expected: dict[str, Any]) -> None:
    got: dict[str, Any] = {}
    for _ in range(200):
        got = await answers(client)
        if got == expected:
            return
        await asyncio.sleep(0.1)
    assert got == expected


async def test_the_volunteers_read_models_count_a_month_of_volunteering_and_rebuild_the_same(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story = volunteering()
    expected = {**EXPECTED, "recruitment": expected_recruitment(story)}
    await publish(nats_server.url, story.envelopes)
    await eventually_answers(client, expected)

    # Every event again (a republish outside the dedupe window), then one new registration:
    # once that shows, the repeats before it have been passed over and changed nothing.
    later = Story()
    later.add(
        f"volunteer-{uuid4()}",
        utc(20, 9, month=4),
        VolunteerRegistered(
            volunteer_id=uuid4(),
            age_band=AgeBand.FROM_67,
            vgs_student=False,
            channel=RecruitmentChannel.LOCAL_MEDIA,
            campaign_id=None,
        ),
    )
    await publish(nats_server.url, [*story.envelopes, *later.envelopes])
    expected["active"] = {**expected["active"], "active": 4}
    expected["recruitment"] = [
        *expected["recruitment"][:1],
        {
            "channel": "local_media",
            "campaign_id": None,
            "place": None,
            "registrations": 1,
            "first_shifts": 0,
        },
        *expected["recruitment"][1:],
    ]
    await eventually_answers(client, expected)

    infra = app.state.infrastructure
    for projection in (app.state.volunteer_shifts, app.state.volunteers):
        report = await rebuild(infra.pool, infra.nats, projection)
        assert report.events > 0
    assert await answers(client) == expected


async def test_a_volunteers_period_backwards_is_refused(client: httpx.AsyncClient) -> None:
    for name in ("shifts", "hours", "active", "recruitment", "certificates", "host-coverage"):
        response = await client.get(
            f"/api/volunteers/{name}?from=2026-10-10&to=2026-10-01", headers=VIEWER
        )
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_period"


async def test_host_coverage_is_the_share_of_meirope_time_with_a_host_checked_in(
    client: httpx.AsyncClient, app: FastAPI, nats_server: NatsUnderTest
) -> None:
    story = Story()
    story.add(
        "branch-haroy",
        utc(1, 9, month=1),
        WeeklyScheduleSet(branch_id="haroy", periods=[weekly(7, "01:00", "04:00")]),
    )
    # The night the clocks go forward: 01:00 CET (00:00 UTC) to 04:00 CEST (02:00 UTC).
    night = utc(29, 0)
    host_shift, helper_shift = uuid4(), uuid4()
    shift_at(story, host_shift, "haroy", night, capacity=2)
    shift_at(story, helper_shift, "haroy", night, capacity=1, role=ShiftRole.HELPER)
    a, b, c = uuid4(), uuid4(), uuid4()
    for volunteer, shift in ((a, host_shift), (b, host_shift), (c, helper_shift)):
        place(story, ShiftClaimed, shift, volunteer, "haroy", night)
    half_hour = timedelta(minutes=30)
    check_in_and_out(story, host_shift, a, "haroy", night, night, night + 2 * half_hour)
    check_in_and_out(story, host_shift, b, "haroy", night, night + half_hour, night + 3 * half_hour)
    # A helper is no host: the last half hour stays unhosted.
    check_in_and_out(story, helper_shift, c, "haroy", night, night, night + 4 * half_hour)
    await publish(nats_server.url, story.envelopes)

    expected = [
        {
            "branch_id": "haroy",
            "week": "2026-03-23",
            "meirope_minutes": 120,
            "hosted_minutes": 90,
            "share": 0.75,
        }
    ]
    query = "/api/volunteers/host-coverage?from=2026-03-23&to=2026-03-29"
    got: object = None
    for _ in range(200):
        got = (await client.get(query, headers=VIEWER)).json()
        if got == expected:
            break
        await asyncio.sleep(0.1)
    assert got == expected

    infra = app.state.infrastructure
    await rebuild(infra.pool, infra.nats, app.state.host_coverage)
    assert (await client.get(query, headers=VIEWER)).json() == expected
