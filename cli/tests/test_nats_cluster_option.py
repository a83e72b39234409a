"""``tvers up --nats-cluster``: 1 or 3 NATS servers, and every service is told to keep its stream
with that many replicas."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tvers_cli.backing import Backing
from tvers_cli.layout import PUBLISHERS, SERVICES, DataDir, Ports
from tvers_cli.main import app
from tvers_cli.nats_accounts import users
from tvers_cli.ops.target import Where
from tvers_cli.ops.target import _embedded_nats as target_nats
from tvers_cli.supervisor import Supervisor
from tvers_runtime.embedded import EmbeddedNats, EmbeddedNatsCluster, free_port


@pytest.mark.parametrize("size", ["2", "4", "0"])
def test_a_cluster_of_other_than_one_or_three_servers_is_refused_with_why(
    tmp_path: Path, size: str
) -> None:
    result = CliRunner().invoke(
        app, ["up", "--data-dir", str(tmp_path), "--nats-cluster", size], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "odd quorum" in result.output
    assert not (tmp_path / "tvers.lock").exists()  # nothing was started


def test_every_service_keeps_its_stream_with_as_many_replicas_as_nats_servers(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    data.create()
    urls = {name: f"postgresql://{name}@127.0.0.1/{name}" for name in SERVICES}
    nats = "nats://127.0.0.1:1,nats://127.0.0.1:2,nats://127.0.0.1:3"
    backing = Backing(urls, dict.fromkeys(SERVICES, nats), nats, stream_replicas=3)
    ports = Ports(library_system=free_port())
    running = Supervisor(data, ports, "127.0.0.1", backing, Console(quiet=True))
    environments = {p.name: p.environment for p in running.processes if p.name in SERVICES}
    assert {env["TVERS_STREAM_REPLICAS"] for env in environments.values()} == {"3"}
    assert all(environments[name]["TVERS_NATS_URL"] == nats for name in PUBLISHERS)


def test_an_operator_command_on_a_stopped_cluster_starts_the_cluster_it_ran_on(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    data.create()
    for name in users():
        data.secret(f"nats-{name}.password")
    Ports().save(data.ports_file, "127.0.0.1", nats_cluster=3)
    ports, host, size = Where(tmp_path).listening()
    server = target_nats(data, ports, host, size)
    assert isinstance(server, EmbeddedNatsCluster)
    assert server.size == 3
    Ports().save(data.ports_file, "127.0.0.1")
    assert isinstance(target_nats(data, *Where(tmp_path).listening()), EmbeddedNats)
