"""A person's name and e-mail address as a request body takes them (a volunteer registering, a
school librarian joining the network): a name is one line of text with a letter in it, an
address is checked by email-validator, and neither is echoed back in an error body."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    EmailStr,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

#: Format characters a name may hold: the zero-width (non-)joiners some scripts write words with.
_JOINERS = frozenset("\u200c\u200d")
#: What email-validator quotes of the address it refuses: a domain part, an IPv6 literal, a label.
_QUOTED = re.compile(r"\s*\([^)]*\)|\s*'[^']*'")


def _a_readable_name(name: str) -> str:
    """A name is one line of text with a letter in it: no control characters, no line or
    paragraph separators, no bidi overrides or other invisible format characters (which can make
    a name read as another on a staff screen), and not only invisible ones."""
    for char in name:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _JOINERS):
            raise ValueError(
                f"a name may not contain control, separator or format characters "
                f"(U+{ord(char):04X})"
            )
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ValueError("a name must contain a letter")
    return name


def _refused_without_what_was_typed(value: Any, handler: ValidatorFunctionWrapHandler) -> str:
    """An address refused with email-validator's reason, less what it quotes of the address
    (``At least 3 parts expected in 'kvalsvik'``): an error body may end up in a proxy's log."""
    try:
        address: str = handler(value)
    except ValidationError as error:
        problem = error.errors()[0]
        if problem["type"] != "value_error":
            raise
        raise PydanticCustomError("value_error", _QUOTED.sub("", problem["msg"])) from None
    return address


#: A person's name: one line, 1-200 characters, with a letter.
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_a_readable_name),
]
#: An e-mail address, refused without repeating it.
EmailAddress = Annotated[
    EmailStr, Field(max_length=254), WrapValidator(_refused_without_what_was_typed)
]
