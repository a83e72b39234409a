"""Card numbers become keyed references: stable, and unreadable without the key."""

import pytest

from tvers_access.adapters.pseudonyms import PatronReferences

KEY = b"k" * 32


def test_the_same_card_always_gives_the_same_reference() -> None:
    refs = PatronReferences(KEY)
    assert refs.of("N00123456") == refs.of(" n00123456 ")


def test_the_reference_depends_on_the_key_and_hides_the_number() -> None:
    one, other = PatronReferences(KEY).of("N00123456"), PatronReferences(b"x" * 32).of("N00123456")
    assert one != other
    assert "123456" not in one
    assert len(one) == 32


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        PatronReferences(b"short")
