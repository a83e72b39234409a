"""The resource bank's search table follows the service's own page events (durable
``visits-resource-search``, see :mod:`tvers_visits.adapters.resource_search`): the version guard
per page stream and the table's own guard keep only each page's latest version."""

from __future__ import annotations

from tvers_contracts.events.visits import ResourcePageRemoved, ResourcePageWritten
from tvers_runtime.subscriber import Subscriber
from tvers_visits.adapters import resource_search

RESOURCE_SEARCH = Subscriber(
    durable="visits-resource-search",
    source="visits",
    events=(ResourcePageWritten, ResourcePageRemoved),
    effect=resource_search.apply,
)
