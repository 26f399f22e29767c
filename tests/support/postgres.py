"""The PostgreSQL server the tests use, named in one place: $LEDGER_TEST_POSTGRES_URL
(the Makefile sets postgresql://postgres@127.0.0.1:5432/test)."""

from __future__ import annotations

import os

POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_admin_dsn() -> str:
    return POSTGRES_URL.split("?", 1)[0]


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(postgres_admin_dsn(), connect_timeout=3):
            return True
    except Exception:
        return False
