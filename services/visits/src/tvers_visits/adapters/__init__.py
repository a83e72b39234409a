"""Adapters of the visits service (none yet beyond the shared event store)."""
