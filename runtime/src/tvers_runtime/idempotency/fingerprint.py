"""What makes two requests "the same request" for an idempotency key.

Method, path (with its path parameters) and query, and the body. A JSON body is compared in its
RFC 8785 canonical form (JSON Canonicalization Scheme: keys sorted, no insignificant whitespace,
numbers in one spelling), so a client that re-serialises the same data in another key order, or
``1.0`` for ``1``, is still repeating itself. A body that is not JSON is compared byte for byte.

The fingerprint is an HMAC under a key of the deployment's, not a bare hash: a body may carry a
card number and a PIN, which are few enough to try them all against a bare hash of the request,
and the fingerprints are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import rfc8785


def canonical_body(body: bytes) -> bytes:
    """The body in canonical form: canonical JSON, or the bytes themselves if not JSON."""
    if not body.strip():
        return b""
    try:
        return b"json:" + rfc8785.dumps(json.loads(body))
    except (ValueError, RecursionError, rfc8785.CanonicalizationError):
        # Not JSON (or JSON that has no canonical form: NaN, integers beyond 2**53, nesting
        # deeper than the parser goes): the request is then compared as it was sent.
        return b"raw:" + body


def canonical_query(query: str) -> str:
    """The query string with its parameters sorted by name; the values of a repeated parameter
    keep their order (it may mean something, as in a list)."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0]))


def fingerprint_key(signing_key: bytes) -> bytes:
    """The fingerprints' key, derived from the token signing key (one secret to keep, two uses
    kept apart)."""
    return hmac.new(signing_key, b"tvers idempotency fingerprints", hashlib.sha256).digest()


def request_fingerprint(*, key: bytes, method: str, path: str, query: str, body: bytes) -> str:
    """HMAC-SHA-256 (hex) of the request's method, path, canonical query and canonical body."""
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in (method.upper().encode(), path.encode(), canonical_query(query).encode()):
        digest.update(len(part).to_bytes(8, "big") + part)
    digest.update(canonical_body(body))
    return digest.hexdigest()
