"""The relay: publishes each service's committed events to its JetStream stream, in order."""

from tvers_runtime.relay.relay import MIGRATIONS, Relay, backlog
from tvers_runtime.relay.streams import StreamSettings, ensure_stream

__all__ = ["MIGRATIONS", "Relay", "StreamSettings", "backlog", "ensure_stream"]
