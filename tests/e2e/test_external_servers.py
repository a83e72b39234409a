"""Pointed at an existing PostgreSQL, NATS and library system, ``tvers up`` runs only the
services."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tvers_access.testing.sip2_patrons import load_patrons
from tvers_cli.layout import SERVICES
from tvers_runtime.auth import Role
from tvers_runtime.embedded import free_port
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def library_system() -> Iterator[dict[str, str]]:
    """A library system of its own (the SIP2 test peer as a process); how access reaches it."""
    port = free_port()
    peer = subprocess.Popen(
        [sys.executable, "-m", "tvers_access.testing.sip2_peer", "--port", str(port)],
        stdout=subprocess.PIPE,
    )
    try:
        assert peer.stdout is not None
        assert b"listening" in peer.stdout.readline()
        directory = load_patrons()
        yield {
            "TVERS_SIP2_HOST": "127.0.0.1",
            "TVERS_SIP2_PORT": str(port),
            "TVERS_SIP2_LOGIN_USER": directory.login_user,
            "TVERS_SIP2_PASSWORD": directory.login_password,
            "TVERS_SIP2_INSTITUTION_ID": directory.institution_id,
        }
    finally:
        peer.terminate()
        peer.wait(timeout=10)


def test_up_with_external_servers_starts_no_servers_of_its_own(
    tmp_path: Path,
    make_tvers: Any,
    postgres_admin_url: str,
    nats_server: NatsUnderTest,
    library_system: dict[str, str],
) -> None:
    tvers = make_tvers(tmp_path / "data")
    for name in ("postgres", "nats", "nats-monitoring", "library-system"):
        tvers.ports.pop(name)
    tvers.environment.update(library_system)
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
        assert "sip2_peer" not in children
        assert children.count(sys.executable) == len(SERVICES), children
    finally:
        tvers.stop()
