"""From the wall clock to instants, across daylight-saving changes: the rule lives with the
schedule events it gives meaning to, in :mod:`tvers_contracts.wallclock` (decision 0019)."""

from __future__ import annotations

from tvers_contracts.wallclock import as_instant, local_instant, wall_instant

__all__ = ["as_instant", "local_instant", "wall_instant"]
