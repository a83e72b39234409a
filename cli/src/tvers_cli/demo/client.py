"""How the demo fill talks to the services: their public HTTP APIs, with a token of the right
role and an idempotency key on every request, and a progress bar per kind of request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import UUID

import httpx
from rich.progress import Progress

from tvers_cli.demo.plans import CounterReading, DoorAlarm, Presentation
from tvers_cli.system import RunningSystem
from tvers_runtime.auth import Role, Tokens

T = TypeVar("T")
CONCURRENCY = 16
#: How many times a request is sent while the service answers 503 (busy).
BUSY_RETRIES = 5
#: How long the fill waits for volunteers and visits to learn the branches from access.
BRANCHES_TIMEOUT = 60.0


class FillFailed(Exception):
    """A service refused a demo request."""


class Filler:
    """Sends the demo requests, with an idempotency key each."""

    def __init__(
        self,
        system: RunningSystem,
        http: httpx.AsyncClient,
        tenant: str,
        *,
        urls: Mapping[str, str] | None = None,
    ) -> None:
        """``urls`` gives the base URL of a service reached otherwise (in this process)."""
        tokens = Tokens(system.data.signing_key())
        self._system = system
        self._http = http
        self._tokens = tokens
        self.tenant = tenant
        self._urls = dict(urls or {})
        self.staff = tokens.issue(Role.STAFF, tenant=tenant, subject="demo-staff")
        self._doors: dict[str, str] = {}
        self._volunteers: dict[str, str] = {}
        self._schools: dict[tuple[Role, str], str] = {}
        self._desks: dict[str, str] = {}

    def url(self, service: str) -> str:
        """A service's base URL."""
        return self._urls.get(service) or self._system.url(service)

    async def send(
        self, method: str, service: str, path: str, token: str, key: str | None, body: Any = None
    ) -> dict[str, Any]:
        """One request (under an idempotency key, unless it is none), sent again a few times
        while the service is busy (503); anything else but 2xx stops the fill with what the
        service said."""
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        for _ in range(BUSY_RETRIES):
            response = await self._http.request(
                method, f"{self.url(service)}{path}", json=body, headers=headers
            )
            if response.status_code != httpx.codes.SERVICE_UNAVAILABLE:
                break
            # Busy (a lock not had in time, on a loaded machine): again, as the service asks;
            # the idempotency key makes the retry safe.
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
        if response.is_error:
            raise FillFailed(f"{method} {service}{path}: {response.status_code} {response.text}")
        result: dict[str, Any] = response.json()
        return result

    async def staff_at(
        self, method: str, path: str, key: str | None, body: Any = None, *, service: str = "access"
    ) -> dict[str, Any]:
        """A staff request (to access, unless told)."""
        return await self.send(method, service, path, self.staff, key, body)

    def door(self, door_id: str) -> str:
        """The token of one door's panel and controller, valid at that door only."""
        if door_id not in self._doors:
            self._doors[door_id] = self._tokens.issue(
                Role.DOOR, tenant=self.tenant, subject=f"door:{door_id}", door_id=door_id
            )
        return self._doors[door_id]

    async def arrive(self, arrival: Sequence[Presentation]) -> None:
        """Cards shown at a door one after the other (a guardian's, then the child's)."""
        for p in arrival:
            await self.send(
                "POST",
                "access",
                f"/doors/{p.door_id}/presentations",
                self.door(p.door_id),
                p.key,
                {
                    "card_number": p.card_number,
                    "pin": p.pin,
                    "presented_at": p.presented_at.isoformat(),
                },
            )

    async def count(self, reading: CounterReading) -> None:
        """A people counter's report at its door."""
        await self.send(
            "POST",
            "access",
            f"/doors/{reading.door_id}/counts",
            self.door(reading.door_id),
            reading.key,
            {
                "entries": reading.entries,
                "exits": reading.exits,
                "counted_at": reading.counted_at.isoformat(),
                "sequence": reading.sequence,
            },
        )

    async def alarm(self, alarm: DoorAlarm) -> None:
        """A door controller's alarm."""
        await self.send(
            "POST",
            "access",
            f"/doors/{alarm.door_id}/alarms",
            self.door(alarm.door_id),
            alarm.key,
            {"kind": alarm.kind.value, "raised_at": alarm.raised_at.isoformat()},
        )

    async def get(
        self, service: str, path: str, params: Mapping[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """A staff read; anything but 2xx stops the fill."""
        response = await self._http.get(
            f"{self.url(service)}{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.staff}"},
        )
        if response.is_error:
            raise FillFailed(f"GET {service}{path}: {response.status_code} {response.text}")
        result: list[dict[str, Any]] = response.json()
        return result

    def volunteer(self, volunteer_id: str) -> str:
        """A token for one demo volunteer."""
        if volunteer_id not in self._volunteers:
            self._volunteers[volunteer_id] = self._tokens.issue(
                Role.VOLUNTEER,
                tenant=self.tenant,
                subject=f"volunteer:{volunteer_id}",
                volunteer_id=UUID(volunteer_id),
            )
        return self._volunteers[volunteer_id]

    def school(self, role: Role, school_id: str) -> str:
        """A token of a teacher or school librarian of one school (every one of a school's
        teachers is the same caller here, as its tokens are for its affairs)."""
        if (role, school_id) not in self._schools:
            self._schools[role, school_id] = self._tokens.issue(
                role,
                tenant=self.tenant,
                subject=f"demo-{role.value}:{school_id}",
                school_id=school_id,
            )
        return self._schools[role, school_id]

    def desk(self, site_id: str) -> str:
        """The token of one innbyggartorg site's desk (whoever is on duty there)."""
        if site_id not in self._desks:
            self._desks[site_id] = self._tokens.issue(
                Role.DESK, tenant=self.tenant, subject=desk_subject(site_id), site_id=site_id
            )
        return self._desks[site_id]


def desk_subject(site_id: str) -> str:
    """Whom a site's desk token is for (its idempotency keys are this caller's)."""
    return f"demo-desk:{site_id}"


async def each(
    progress: Progress,
    label: str,
    items: Sequence[T],
    send: Callable[[T], Awaitable[Any]],
    *,
    concurrency: int = CONCURRENCY,
) -> None:
    """Send one request per item, a few at a time, with a progress bar."""
    task = progress.add_task(label, total=len(items))
    limit = asyncio.Semaphore(concurrency)

    async def one(item: T) -> None:
        async with limit:
            await send(item)
        progress.advance(task)

    await asyncio.gather(*(one(item) for item in items))


async def branches_known(
    progress: Progress, demo: Filler, services: Sequence[str], branch_ids: set[str]
) -> None:
    """Wait until the services that refer to branches have learned them from access.

    They learn them from its events (relayed to NATS, then taken by their subscribers): a moment
    after access registered them, not at once.
    """
    task = progress.add_task("branches known elsewhere", total=len(services))
    deadline = asyncio.get_running_loop().time() + BRANCHES_TIMEOUT
    for service in services:
        while True:
            listed = await demo.get(service, "/branches")
            if branch_ids <= {branch["branch_id"] for branch in listed}:
                break
            if asyncio.get_running_loop().time() > deadline:
                missing = sorted(branch_ids - {branch["branch_id"] for branch in listed})
                raise FillFailed(f"{service} has not learned the branches {missing} from access")
            await asyncio.sleep(0.2)
        progress.advance(task)
