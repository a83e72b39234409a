"""``TVERS_NATS_URL`` names one NATS server or every member of a cluster, comma-separated."""

import pytest

from tvers_runtime.natsio import nats_credentials, nats_servers


def test_one_url_is_one_server() -> None:
    assert nats_servers("nats://127.0.0.1:4222") == ["nats://127.0.0.1:4222"]


def test_comma_separated_urls_are_the_cluster_members_in_order_without_blanks_or_repeats() -> None:
    url = " nats://a:4222, nats://b:4222,,nats://c:4222 ,nats://a:4222"
    assert nats_servers(url) == ["nats://a:4222", "nats://b:4222", "nats://c:4222"]


def test_no_url_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="no NATS server"):
        nats_servers(" , ")


def test_the_credentials_in_a_url_go_to_every_server_the_cluster_tells_of() -> None:
    servers = ["nats://b:4222", "nats://desk:p%40ss%2Fword@a:4222"]
    bare, credentials = nats_credentials(servers)
    assert bare == ["nats://b:4222", "nats://a:4222"]
    assert credentials == {"user": "desk", "password": "p@ss/word"}


def test_urls_without_credentials_give_none_and_a_token_stays_in_its_url() -> None:
    servers = ["nats://a:4222", "nats://s3cret-token@b:4222"]
    assert nats_credentials(servers) == (servers, {})
