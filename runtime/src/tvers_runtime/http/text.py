"""Text a person types into a form (a branch's name, a day's label): refused with 422 when it is
blank or carries control characters or bidirectional overrides. Such text ends up in events kept
for good, in calendar feeds (where RFC 5545 allows no control characters) and on screens."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _plain(text: str) -> str:
    if not text.strip():
        raise ValueError("must have visible text")
    if any(unicodedata.category(c) == "Cc" for c in text) or _BIDI_CONTROLS.search(text):
        raise ValueError("must not contain control characters or direction overrides")
    return text


#: A name shown to people (a branch, a door): up to 120 characters.
PlainName = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_plain)]
#: A short label of a day or a thing: up to 80 characters.
PlainLabel = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_plain)]
