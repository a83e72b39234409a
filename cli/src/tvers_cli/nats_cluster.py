"""``tvers up --nats-cluster``: how many NATS servers, and so how many replicas of each stream."""

from __future__ import annotations

import typer

from tvers_runtime.embedded.nats_cluster import CLUSTER_SIZES


def cluster_size(value: int) -> int:
    """NATS servers as one JetStream cluster, every stream with as many replicas: 1, or 3 to
    survive the loss of any one server. JetStream's Raft groups need a majority, so 2 servers
    survive no loss (and 4 no more than 3). With --nats-url, the size of that cluster."""
    if value not in CLUSTER_SIZES:
        raise typer.BadParameter(
            f"{value} is not 1 or 3: JetStream needs a majority of its servers (an odd quorum), "
            "so 2 survive no loss and 3 survive one"
        )
    return value
