"""The access service as ``tvers up`` runs it, for the door benchmark: ``python -m tvers_access``
as a process of its own (uvicorn, its relay, scheduler and retention job), configured through
``TVERS_*`` variables, on a database of the benchmark servers (fsync on) and their NATS, asking
the SIP2 peer; and the branches, doors and agreements the doors present to, set up through the
staff API. The process itself is launched as every benchmarked service is
(:mod:`benchmarks.service_process`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.service_process import RunningService, declare_stream, service_process
from tvers_access.testing.sip2_patrons import load_patrons
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

STAFF = bearer(Role.STAFF, audience=["access"])


@dataclass(frozen=True)
class Layout:
    """Branches and their doors: ``doors[branch_id]`` lists the door ids there."""

    doors: dict[str, list[str]]

    @classmethod
    def spread(cls, doors: int, branches: int) -> Layout:
        """``doors`` doors spread evenly over ``branches`` branches."""
        names = [f"filial-{b + 1}" for b in range(branches)]
        layout: dict[str, list[str]] = {name: [] for name in names}
        for d in range(doors):
            branch_id = names[d % branches]
            layout[branch_id].append(f"{branch_id}-dor-{len(layout[branch_id]) + 1}")
        return cls(layout)

    @property
    def door_ids(self) -> list[str]:
        """Every door, branch by branch."""
        return [door for doors in self.doors.values() for door in doors]


def _access_variables(sip2_port: int) -> dict[str, str]:
    """What ``tvers up`` gives the access process besides every service's variables: its
    patron key, and the SIP2 peer's address and login."""
    patrons = load_patrons()
    return {
        "TVERS_PATRON_KEY": "patron-key-for-the-benchmark-0123456789abcdef",
        "TVERS_SIP2_HOST": "127.0.0.1",
        "TVERS_SIP2_PORT": str(sip2_port),
        "TVERS_SIP2_LOGIN_USER": patrons.login_user,
        "TVERS_SIP2_PASSWORD": patrons.login_password,
        "TVERS_SIP2_INSTITUTION_ID": patrons.institution_id,
    }


@contextlib.asynccontextmanager
async def access_process(
    database_url: str, nats_url: str, sip2_port: int, log_path: Path
) -> AsyncIterator[RunningService]:
    """``python -m tvers_access`` until it says it is ready (database, NATS, relay, and its
    subscriber of check-ins, which needs the volunteers' stream); yields it, and stops it
    afterwards. Its log goes to ``log_path``."""
    await declare_stream(nats_url, "volunteers")
    async with service_process(
        "tvers_access", database_url, nats_url, log_path, _access_variables(sip2_port)
    ) as service:
        yield service


async def set_up(
    url: str, layout: Layout, *, kind: str, agreements: Sequence[str], min_age: int = 15
) -> None:
    """Register the branches with a schedule of ``kind`` all day, every day, and their doors;
    the patrons with ``agreements`` sign one. Through the staff API, as staff would."""
    all_day = [
        {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": kind} for d in range(1, 8)
    ]
    calls: list[tuple[str, str, object]] = []
    for branch_id, doors in layout.doors.items():
        calls += [
            ("POST", "/branches", {"branch_id": branch_id, "name": branch_id.title()}),
            ("PUT", f"/branches/{branch_id}/schedule", {"periods": all_day}),
            ("PUT", f"/branches/{branch_id}/access-rules", {"meirope_min_age": min_age}),
        ]
        calls += [
            ("POST", "/doors", {"door_id": door, "branch_id": branch_id, "name": door})
            for door in doors
        ]
    calls += [("POST", "/agreements", {"card_number": card}) for card in agreements]
    async with httpx.AsyncClient(base_url=url, headers=STAFF, timeout=10.0) as client:
        for method, path, body in calls:
            response = await client.request(method, path, json=body)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
