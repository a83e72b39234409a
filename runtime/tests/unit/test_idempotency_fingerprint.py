"""Two requests are the same request for an idempotency key when method, path, query and body
mean the same, however the client spelled the JSON."""

import hashlib

import pytest

from tvers_runtime.idempotency import canonical_body, fingerprint_key, request_fingerprint

KEY = fingerprint_key(b"the-tests-signing-key")


def fingerprint(
    body: bytes, *, method: str = "POST", path: str = "/shifts", query: str = "", key: bytes = KEY
) -> str:
    return request_fingerprint(key=key, method=method, path=path, query=query, body=body)


def test_key_order_whitespace_and_number_spelling_do_not_change_the_fingerprint() -> None:
    first = fingerprint(b'{"branch_id": "skodje", "capacity": 2, "tags": ["a", "b"]}')
    assert first == fingerprint(b'{"tags":["a","b"],"capacity":2.0,\n "branch_id":"skodje"}')
    assert first == fingerprint(
        b'  {"capacity": 2e0, "branch_id": "sk\\u006fdje", "tags": ["a","b"]}'
    )


@pytest.mark.parametrize(
    "other",
    [
        b'{"branch_id": "skodje", "capacity": 3, "tags": ["a", "b"]}',
        b'{"branch_id": "skodje", "capacity": 2, "tags": ["b", "a"]}',
        b'{"branch_id": "skodje", "capacity": 2, "tags": ["a", "b"], "extra": null}',
        b'{"branch_id": "skodje", "capacity": "2", "tags": ["a", "b"]}',
    ],
)
def test_another_body_gives_another_fingerprint(other: bytes) -> None:
    assert fingerprint(other) != fingerprint(
        b'{"branch_id": "skodje", "capacity": 2, "tags": ["a", "b"]}'
    )


def test_method_path_and_query_are_part_of_the_request() -> None:
    body = b'{"a": 1}'
    base = fingerprint(body, path="/shifts/1/claims")
    assert base != fingerprint(body, path="/shifts/2/claims")
    assert base != fingerprint(body, path="/shifts/1/claims", method="PUT")
    assert base != fingerprint(body, path="/shifts/1/claims", query="dry=1")
    assert fingerprint(body, query="b=2&a=1") == fingerprint(body, query="a=1&b=2")
    assert fingerprint(body, query="a=1&a=2") != fingerprint(body, query="a=2&a=1")


def test_no_body_and_an_empty_body_are_the_same_and_unlike_an_empty_object() -> None:
    assert canonical_body(b"") == canonical_body(b"  \n") == b""
    assert fingerprint(b"") != fingerprint(b"{}")


def test_a_body_that_is_not_canonical_json_is_compared_as_sent() -> None:
    assert canonical_body(b"{not json") == b"raw:{not json"
    assert canonical_body(b'{"n": NaN}') == b'raw:{"n": NaN}'
    assert fingerprint(b'{"n": NaN}') != fingerprint(b'{"n":NaN}')
    assert canonical_body(b"[" * 100_000) == b"raw:" + b"[" * 100_000


def test_a_fingerprint_cannot_be_recomputed_without_the_deployments_key() -> None:
    """A body may carry a card number and PIN, few enough to try them all against a bare hash."""
    body = b'{"card_number": "1508000101", "pin": "2468"}'
    stored = fingerprint(body, path="/doors/skodje-hovuddor/presentations")
    bare = hashlib.sha256()
    for part in (b"POST", b"/doors/skodje-hovuddor/presentations", b""):
        bare.update(len(part).to_bytes(8, "big") + part)
    bare.update(canonical_body(body))
    assert stored != bare.hexdigest()
    other_deployment = fingerprint_key(b"another-signing-key")
    assert stored != fingerprint(
        body, path="/doors/skodje-hovuddor/presentations", key=other_deployment
    )
    assert stored == fingerprint(body, path="/doors/skodje-hovuddor/presentations")
