"""Shared fixtures: a fresh store on SQLite and on PostgreSQL, and a CLI runner.

The PostgreSQL server is named in one place, support/postgres.py ($LEDGER_TEST_POSTGRES_URL).
Each test gets its own schema, dropped
afterwards. In CI (CI=true) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from support.postgres import POSTGRES_URL, postgres_admin_dsn, postgres_available

settings.register_profile(
    "ci", max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# deep: the smallest count that still gives every test at least ten times its ci
# examples (`strategies.examples` asserts it); 400 ran too long on two cores (docs/testing.md).
settings.register_profile("deep", max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=10, deadline=None)
# mutation: ci's examples, without shrinking (a caught mutant needs no minimal example).
settings.register_profile("mutation", settings.get_profile("ci"), phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def sqlite_store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def postgres_store() -> Iterator[str]:
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_admin_dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{postgres_admin_dsn()}?schema={schema}"
    finally:
        with psycopg.connect(postgres_admin_dsn(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty store on each backend."""
    fixture = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture(autouse=True)
def _no_zone_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """$KUNTALEDGER_TZ of the shell running the tests does not reach them (ADR 0025)."""
    monkeypatch.delenv("KUNTALEDGER_TZ", raising=False)
