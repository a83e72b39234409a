"""NATS and PostgreSQL from pip-installed wheels, for the embedded default and the test fixtures.

Nothing here is needed in production, where NATS and PostgreSQL are run by operations (compose or
Kubernetes); it needs the ``embedded`` extra of ``tvers-runtime``.
"""

from tvers_runtime.embedded.nats_cluster import EmbeddedNatsCluster
from tvers_runtime.embedded.nats_server import EmbeddedNats
from tvers_runtime.embedded.ports import free_port, port_is_free
from tvers_runtime.embedded.postgres_server import EmbeddedPostgres

__all__ = ["EmbeddedNats", "EmbeddedNatsCluster", "EmbeddedPostgres", "free_port", "port_is_free"]
