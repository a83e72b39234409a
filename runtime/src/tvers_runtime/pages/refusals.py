"""A refusal of the domain in words a person understands, in their language.

The domain speaks English to API callers (``"this shift is full; you may join its waitlist"``).
A page says the common refusals in its own translated words, matched on the domain's message or,
for the few with values, a pattern; any other refusal gets a translated line for its kind,
followed by the domain's own English words (the templates mark them as English for screen
readers). Each service lists its own words (:class:`Refusals`) and tests them by raising each
refusal through its domain, so a reworded message shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_runtime.i18n import Locale, local_date, local_datetime
from tvers_runtime.idempotency.keys import IdempotencyKeyReused
from tvers_runtime.pages import texts


@dataclass(frozen=True)
class Words:
    """What to tell the person: a marked message with its values, and, when the message is only
    a generic line, the domain's own (English) words."""

    message: str
    values: Mapping[str, str] = field(default_factory=dict)
    detail: str | None = None

    def text(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext``."""
        return gettext(self.message).format(**self.values)


#: Patterns of refusals with values, each with the marked message that says it.
Patterns = Sequence[tuple[re.Pattern[str], str]]


def said_values(values: Mapping[str, str], locale: Locale) -> dict[str, str]:
    """The values a pattern caught, said the locale's way: the domain writes a ``moment`` as
    ``2026-12-03 17:30`` and a ``day`` as ``2026-12-03``, in Oslo time; others are kept."""
    said = dict(values)
    for name, value in values.items():
        if name.startswith("moment"):
            moment = datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)
            said[name] = local_datetime(moment, locale, form="short")
        elif name.startswith("day"):
            said[name] = local_date(date.fromisoformat(value), locale)
    return said


class Refusals:
    """A service's own words for its domain's common refusals."""

    def __init__(self, said: Mapping[str, str], patterns: Patterns = ()) -> None:
        self._said = dict(said)
        self._patterns = list(patterns)

    def words_for(self, error: DomainError, locale: Locale) -> Words:
        """What to tell the person about a refusal, in ``locale`` (for the values it names)."""
        if isinstance(error, IdempotencyKeyReused):  # a form sent again, changed (page back)
            return Words(texts.FORM_OUT_OF_DATE)
        said = self._said.get(error.message)
        if said is not None:
            return Words(said)
        for pattern, message in self._patterns:
            found = pattern.match(error.message)
            if found is not None:
                return Words(message, said_values(found.groupdict(), locale))
        if isinstance(error, NotFound):
            return Words(texts.NOT_FOUND, detail=error.message)
        if isinstance(error, Conflict):
            return Words(texts.NOT_NOW, detail=error.message)
        return Words(texts.NOT_ALLOWED, detail=error.message)
