"""Idempotency keys: the same key with the same request is a safe repeat; the same key with
another request is refused (409 ``idempotency_key_reused``) instead of answered with the first
request's result.

A key is scoped to its caller (tenant and token subject): another caller's key of the same text is
another key. Per key, the fingerprint of the first request (method, path with its parameters and
query, canonical JSON body) is stored in the service's own database; see :mod:`.keys`.
"""

from tvers_runtime.idempotency.fingerprint import (
    canonical_body,
    canonical_query,
    fingerprint_key,
    request_fingerprint,
)
from tvers_runtime.idempotency.keys import (
    MIGRATIONS,
    IdempotencyKeyReused,
    IdempotencyKeys,
    InMemoryIdempotencyKeys,
    KeyClaim,
    PostgresIdempotencyKeys,
)

__all__ = [
    "MIGRATIONS",
    "IdempotencyKeyReused",
    "IdempotencyKeys",
    "InMemoryIdempotencyKeys",
    "KeyClaim",
    "PostgresIdempotencyKeys",
    "canonical_body",
    "canonical_query",
    "fingerprint_key",
    "request_fingerprint",
]
