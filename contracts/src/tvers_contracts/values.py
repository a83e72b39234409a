"""Value types shared by the events of several services."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

#: Branches, doors and schools are data, named by short slugs staff choose: ``alesund-sentrum``.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]

#: A keyed hash (HMAC-SHA256, per-deployment secret) of a library card number, hex, 32 characters.
#: The card number itself never leaves the door gateway.
PatronRef = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]


class OpeningKind(StrEnum):
    """What kind of opening hours a moment falls in."""

    STAFFED = "staffed"
    MEIROPE = "meirope"
    CLOSED = "closed"
