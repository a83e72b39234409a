"""Short free text the visits events carry: a deposit's theme, a theme day's topic and place.

Free text is where a name could slip in (a pupil's, a teacher's), which no pattern can tell from
a theme. So it is held short and tight: one readable line of at most 80 characters, no ``@``
(no e-mail address) and at most seven digits in all (a year or two, ``1939-45``, never a phone
number, which has eight). The JSON Schema carries the pattern, so a third party sees the bound.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

#: The longest short text.
SHORT_TEXT_LENGTH = 80
#: No control character, no ``@``, and at most seven digits in all.
SHORT_TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f@0-9]*([0-9][^\x00-\x1f\x7f-\x9f@0-9]*){0,7}$"
#: Format characters a text may hold: the zero-width (non-)joiners some scripts need.
_JOINERS = frozenset("\u200c\u200d")


def _one_readable_line(text: str) -> str:
    """One line with a letter in it: no line or paragraph separators, no bidi overrides or other
    invisible format characters (which can make a text read as another on a screen)."""
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _JOINERS):
            raise ValueError(
                f"the text may not contain control, separator or format characters "
                f"(U+{ord(char):04X})"
            )
    if not any(unicodedata.category(char).startswith("L") for char in text):
        raise ValueError("the text must contain a letter")
    if text != text.strip():
        raise ValueError("the text may not start or end with spaces")
    return text


#: A theme, a topic or a place, as people say it: ``Dinosaurar``, ``Lesestimulering på
#: mellomtrinnet``, ``Kulturhuset, sal 2``.
ShortText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=SHORT_TEXT_LENGTH, pattern=SHORT_TEXT_PATTERN),
    AfterValidator(_one_readable_line),
    Field(
        description=(
            "A short text on one line (up to 80 characters): no e-mail address, at most seven "
            "digits (no phone number), no control characters, and never a person's name."
        )
    ),
]
