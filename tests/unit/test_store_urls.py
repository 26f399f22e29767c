"""A store URL is printed with its password masked, wherever it is printed."""

from __future__ import annotations

import pytest

from ledger.errors import InvalidInput
from ledger.store.url import masked_url, parse_store_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://kirjanpito:salainen@db.example.fi:5432/talous?schema=kunta",
         "postgresql://kirjanpito:***@db.example.fi:5432/talous?schema=kunta"),
        ("postgresql://kirjanpito:p%40ss:w@db/talous", "postgresql://kirjanpito:***@db/talous"),
        ("postgresql://kirjanpito@db/talous", "postgresql://kirjanpito@db/talous"),
        ("postgresql://:salainen@db/talous", "postgresql://:***@db/talous"),
        ("sqlite:///kunta.db", "sqlite:///kunta.db"),
        ("sqlite:////tmp/a:b@c.db", "sqlite:////tmp/a:b@c.db"),
    ],
)  # fmt: skip
def test_a_password_is_masked_and_nothing_else_changes(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_a_malformed_store_url_is_refused_without_its_password() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_store_url("postgresql://kirjanpito:salainen@/talous")

    assert "salainen" not in str(refused.value) and "kirjanpito:***@" in str(refused.value)


def test_a_store_configuration_does_not_show_its_password_in_its_repr() -> None:
    config = parse_store_url("postgresql://kirjanpito:salainen@db/talous")

    assert "salainen" not in repr(config)
