"""The desk domain's refusals in the page's words (matched on the domain's English messages;
the unit tests raise each through the domain, so a reworded message shows)."""

from __future__ import annotations

import re

from tvers_desk.entrypoints.desk_page import texts
from tvers_runtime.pages.refusals import Refusals

REFUSALS = Refusals(
    {"no such help record": texts.NO_SUCH_RECORD},
    [
        (re.compile(r"no innbyggartorg site "), texts.UNKNOWN_SITE),
        (re.compile(r"no category "), texts.UNKNOWN_CATEGORY),
        (re.compile(r"category '[^']*' is retired"), texts.CATEGORY_RETIRED),
        (re.compile(r"the \w+ department cannot refer a citizen to itself"), texts.OWN_DEPARTMENT),
        (re.compile(r"help record \S+ is older than"), texts.UNDO_TOO_LATE),
        (re.compile(r"help record \S+ was undone already"), texts.ALREADY_UNDONE),
    ],
)
