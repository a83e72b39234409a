"""Prometheus metrics of the shared runtime, served by every service at ``/metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_APPENDED = Counter("tvers_events_appended_total", "Events stored by the event store.")
APPEND_BATCH_SIZE = Histogram(
    "tvers_append_batch_requests",
    "Append requests written together in one commit (group commit).",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
)
RELAY_PUBLISHED = Counter(
    "tvers_relay_published_total", "Events the relay published to JetStream.", ["stream"]
)
RELAY_BACKLOG = Gauge(
    "tvers_relay_backlog_events", "Committed events the relay has not yet published.", ["stream"]
)
RELAY_FAILURES = Counter(
    "tvers_relay_failures_total", "Publish rounds that failed and were resynchronised.", ["stream"]
)
PROJECTION_LAG = Gauge(
    "tvers_projection_lag_messages",
    "Newest stream sequence minus the sequence the projection has applied.",
    ["projection", "stream"],
)
PROJECTION_APPLIED = Counter(
    "tvers_projection_applied_total", "Events applied to read models.", ["projection"]
)
DEAD_LETTERS = Gauge(
    "tvers_dead_letters", "Messages parked in a projection's dead-letter table.", ["projection"]
)
