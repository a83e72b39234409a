"""The innbyggartorg sites: configuration, not code (decision 0043). Pure.

The five sites of *Verksemd innbyggartorg* named in the project description, by the same ids as
the library branches there (``alesund-sentrum`` ... ``sjoholt``), so that reports can put a
site's desk log beside its branch's figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: The five innbyggartorg sites by id, with their names.
DEFAULT_SITES: Mapping[str, str] = MappingProxyType(
    {
        "alesund-sentrum": "Ålesund sentrum",
        "brattvag": "Brattvåg",
        "haroy": "Harøy",
        "skodje": "Skodje",
        "sjoholt": "Sjøholt",
    }
)
