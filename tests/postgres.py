"""A PostgreSQL server for the tests of the PostgreSQL index backend.

The tests use the server named by ``QUOTECHECK_TEST_POSTGRES`` (a superuser's
``postgresql://`` URL: each test creates its own database and drops it after).
Without it they are skipped, with the message saying how to start one; with
``QUOTECHECK_REQUIRE_POSTGRES`` set (CI), a missing server fails them instead,
so the backend is never silently untested."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

NO_SERVER = ("no PostgreSQL server for the PostgreSQL index tests: set QUOTECHECK_TEST_POSTGRES=postgresql://… "
             "(bash scripts/start_postgres.sh starts one; .ci/run does)")


def server_url() -> str:
    """The test server's URL (skips the test, or fails it where one is required, without one)."""
    url = os.environ.get("QUOTECHECK_TEST_POSTGRES", "").strip()
    if not url:
        if os.environ.get("QUOTECHECK_REQUIRE_POSTGRES"):
            pytest.fail(f"QUOTECHECK_REQUIRE_POSTGRES is set but there is {NO_SERVER}", pytrace=False)
        pytest.skip(NO_SERVER)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("QUOTECHECK_REQUIRE_POSTGRES"):
            pytest.fail("QUOTECHECK_REQUIRE_POSTGRES is set but psycopg is not installed", pytrace=False)
        pytest.skip("psycopg is not installed (pip install 'quotecheck-news[postgresql]')")
    return url


def database_url(url: str, database: str) -> str:
    """``url`` naming another database on the same server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def admin(sql: str, params: tuple = (), url: str | None = None) -> list[tuple]:
    """Run one statement on the server (autocommit) as the test server's user;
    the rows it returns."""
    import psycopg

    with psycopg.connect(url or server_url(), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards
    (``WITH (FORCE)``: a connection a failed test left open does not keep it)."""
    url = server_url()
    name = f"qc_test_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    try:
        yield database_url(url, name)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
