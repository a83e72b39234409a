"""Pointed at an existing PostgreSQL and NATS by URL, ``tvers up`` runs only the services."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tvers_runtime.auth import Role
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow]


def test_up_with_external_servers_starts_no_servers_of_its_own(
    tmp_path: Path, make_tvers: Any, postgres_admin_url: str, nats_server: NatsUnderTest
) -> None:
    tvers = make_tvers(tmp_path / "data")
    tvers.ports.pop("postgres")
    tvers.ports.pop("nats")
    tvers.ports.pop("nats-monitoring")
    tvers.start("up", "--postgres-url", postgres_admin_url, "--nats-url", nats_server.url)
    try:
        tvers.wait_ready()
        assert "(external)" in tvers.output
        assert not (tvers.data_dir / "postgres").exists()
        assert not (tvers.data_dir / "nats").exists()
        with tvers.client() as http:
            response = http.post(
                f"{tvers.url('access')}/branches",
                json={"branch_id": "sjoholt", "name": "Sjøholt"},
                headers=tvers.token(Role.STAFF),
            )
            assert response.status_code == 201, response.text
        children = subprocess.run(
            ["ps", "-o", "args=", "--ppid", str(tvers.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        assert "postgres" not in children
        assert "nats-server" not in children
        assert children.count(sys.executable) == 4, children
    finally:
        tvers.stop()
