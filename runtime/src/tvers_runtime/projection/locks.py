"""The advisory locks that keep a projection's writers apart.

- The *projection lock* (a transaction lock) is taken by every change to a live read model: each
  batch of the runner, a dead-letter retry, and a rebuild's final catch-up and swap.
- A *leader lock* (a session lock) per projection and source elects the one runner that follows
  the source; other instances wait as standbys.
- The *rebuild lock* (a session lock) lets one rebuild of a projection run at a time.
"""

from __future__ import annotations

from tvers_runtime.projection.projection import Projection


def projection_lock(projection: Projection) -> str:
    """Key of the transaction lock every change to a projection's read model takes."""
    return f"projection:{projection.name}"


def leader_lock(projection: Projection, stream: str) -> str:
    """Key of the session lock held by the runner that follows ``stream`` for ``projection``."""
    return f"projection-leader:{projection.name}:{stream}"


def rebuild_lock(projection: Projection) -> str:
    """Key of the session lock held while a rebuild of ``projection`` runs."""
    return f"projection-rebuild:{projection.name}"
