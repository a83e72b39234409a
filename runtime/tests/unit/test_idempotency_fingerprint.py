"""Two requests are the same request for an idempotency key when method, path, query and body
mean the same, however the client spelled the JSON."""

import pytest

from tvers_runtime.idempotency import canonical_body, request_fingerprint


def fingerprint(
    body: bytes, *, method: str = "POST", path: str = "/shifts", query: str = ""
) -> str:
    return request_fingerprint(method=method, path=path, query=query, body=body)


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
