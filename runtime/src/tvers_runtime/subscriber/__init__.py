"""Cross-service subscribers: a service reacting to another service's events, where only the
latest state per key matters (the projection runner stays for read models whose numbers depend
on order).

FastStream pull subscribers on durable JetStream consumers; each event is recorded in an inbox
table in the same transaction as its effect (a redelivery changes nothing), behind a version guard
per source stream (reordering changes nothing). A service declares :class:`Subscriber` s and hands
them to :class:`~tvers_runtime.service.ServiceHost`, which runs them.
"""

from pathlib import Path

from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.subscriber.inbox import Taken, take_once
from tvers_runtime.subscriber.runner import SubscriberRunner
from tvers_runtime.subscriber.spec import Effect, Subscriber

MIGRATIONS = MigrationSource("subscriber", Path(__file__).parent / "migrations")

__all__ = ["MIGRATIONS", "Effect", "Subscriber", "SubscriberRunner", "Taken", "take_once"]
