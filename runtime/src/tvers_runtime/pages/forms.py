"""Whether a form really comes from one of our pages, and what it says.

A page's forms are small url-encoded forms and nothing else: they are read with the standard
library's ``parse_qsl`` (at most 16 fields, each given once), not ``python-multipart``. A request
the browser marks as coming from another site (``Sec-Fetch-Site``) is refused before anything
else; a form of a signed-in page must also carry its session's form token, compared in constant
time. A refused form changes nothing.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request, status

from tvers_runtime.pages import texts
from tvers_runtime.pages.problems import PageProblem

#: The fields of every form of a signed-in page: the session's check against forged forms, and
#: the key of the page the form was on.
CHECK_FIELD = "form_token"
FORM_KEY_FIELD = "form_key"
#: A page's forms carry a handful of fields; more is not a form of ours.
_MOST_FIELDS = 16
_FORM = "application/x-www-form-urlencoded"
#: What ``Sec-Fetch-Site`` may say of a form: sent from our own pages (or by a browser that
#: does not send the header at all).
_OWN_ORIGIN = frozenset({"same-origin", "none"})


@dataclass(frozen=True)
class PostedForm:
    """A form's fields (each given once), and the idempotency key of the action it asks for."""

    fields: dict[str, str]
    idempotency_key: str | None

    def get(self, name: str) -> str:
        """A field's value; empty when it was not sent."""
        return self.fields.get(name, "")


async def read_form(request: Request) -> dict[str, str]:
    """A url-encoded form's fields; a 4xx page for anything else, or a field given twice."""
    if request.headers.get("sec-fetch-site", "none") not in _OWN_ORIGIN:
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.FORM_OUT_OF_DATE)
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != _FORM:
        raise PageProblem(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, texts.NOT_A_FORM)
    try:
        pairs = parse_qsl(
            (await request.body()).decode(),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=_MOST_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise PageProblem(status.HTTP_400_BAD_REQUEST, texts.NOT_A_FORM) from error
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise PageProblem(status.HTTP_400_BAD_REQUEST, texts.NOT_A_FORM)
    return fields


async def checked_form(request: Request, form_token: str) -> PostedForm:
    """A form of a signed-in page: it must carry the session's ``form_token`` (a 403 page
    otherwise, and nothing done)."""
    fields = await read_form(request)
    token = fields.get(CHECK_FIELD, "")
    if not hmac.compare_digest(token.encode(), form_token.encode()):
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.FORM_OUT_OF_DATE)
    key = fields.get(FORM_KEY_FIELD, "")
    # The key of the page the form was on, per action: a form sent twice (a double tap) is
    # one action; two forms of one page are two.
    idempotency_key = f"page:{key}:{request.url.path}" if 8 <= len(key) <= 64 else None
    return PostedForm(fields, idempotency_key)


def new_form_key() -> str:
    """The key the forms of one rendered page carry (see :func:`checked_form`)."""
    return secrets.token_urlsafe(16)
