"""The cross-department dashboard at ``/``: signing in with a viewer's (or staff) access code,
every strand's panels with charts for a period, a branch and a school year, live as events are
counted, in nynorsk with English.

- :mod:`.filters` (what to show) and :mod:`.panels` (the panels from the figures) are pure;
- :mod:`.figures` reads the read models; :mod:`.health` says in words how up to date they are;
- :mod:`.routes`, :mod:`.signing` and :mod:`.live` are the routes.
"""

from tvers_reporting.entrypoints.dashboard import routes, signing
from tvers_reporting.entrypoints.dashboard.live import LiveStreams
from tvers_reporting.entrypoints.dashboard.live import router as live_router
from tvers_reporting.entrypoints.dashboard.session import wire
from tvers_reporting.entrypoints.dashboard.site import router

__all__ = ["LiveStreams", "live_router", "router", "routes", "signing", "wire"]
