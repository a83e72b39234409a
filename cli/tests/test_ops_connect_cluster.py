"""Which NATS servers an operator command tries on a data folder's embedded cluster."""

from __future__ import annotations

from pathlib import Path

from nats.js.api import StreamInfo

from tvers_cli.layout import DataDir, Ports
from tvers_cli.ops.status import StreamState, stream_state
from tvers_cli.ops.target import embedded_nats_urls


def test_a_command_on_a_running_cluster_knows_every_server_so_one_down_server_is_no_outage(
    tmp_path: Path,
) -> None:
    data = DataDir(tmp_path)
    for index, port in ((1, 24222), (2, 28890), (3, 30812)):
        node = data.nats / f"node-{index}"
        node.mkdir(parents=True)
        (node / "nats-server.conf").write_text(
            f'host: "127.0.0.1"\nport: {port}\nhttp_port: 1{index}\n', encoding="utf-8"
        )
    urls = embedded_nats_urls(data, Ports(nats=24222), "127.0.0.1", 3)
    assert urls == ["nats://127.0.0.1:24222", "nats://127.0.0.1:28890", "nats://127.0.0.1:30812"]


def test_a_single_server_is_its_own_port(tmp_path: Path) -> None:
    assert embedded_nats_urls(DataDir(tmp_path), Ports(nats=14222), "127.0.0.1", 1) == [
        "nats://127.0.0.1:14222"
    ]


def test_status_names_a_stream_replica_on_a_server_that_is_down() -> None:
    info = StreamInfo.from_response(
        {
            "config": {"name": "DESK", "num_replicas": 3},
            "state": {
                "messages": 1,
                "bytes": 1,
                "first_seq": 1,
                "last_seq": 1,
                "consumer_count": 0,
            },
            "cluster": {
                "name": "tvers",
                "leader": "tvers-2",
                "replicas": [
                    {"name": "tvers-1", "current": False, "offline": True, "active": 1},
                    {"name": "tvers-3", "current": True, "active": 1},
                ],
            },
        }
    )
    assert stream_state(info) == StreamState("DESK", "tvers-2", 3, ["tvers-1"])
