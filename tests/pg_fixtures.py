"""PostgreSQL for the tests: a fresh database per test module, from ``RASID_TEST_PG_URL``.

``RASID_TEST_PG_URL`` names a server and a database the tests may connect to (with the
right to CREATE DATABASE); `.ci/postgres.sh` starts a private one. Unset, every test that
needs PostgreSQL is skipped with a reason naming the variable; with ``RASID_REQUIRE_PG=1``
(set by `.ci/run`) such a skip fails the run instead (see `pytest_runtest_makereport` in
conftest.py).
"""
from __future__ import annotations

import os
import re
import uuid
from typing import Iterator

import pytest

PG_ENV = "RASID_TEST_PG_URL"
SKIP_REASON = f"PostgreSQL: {PG_ENV} is not set"


def require_pg_url() -> str:
    """The server URL, or skip the test (a skip that RASID_REQUIRE_PG=1 turns into a failure)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def is_pg_skip(reason: str) -> bool:
    return "PostgreSQL" in reason or PG_ENV in reason or "postgres" in reason.lower()


def replace_database(url: str, name: str) -> str:
    """`url` with its database name replaced by `name` (query string kept)."""
    m = re.match(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?(\?.*)?$", url)
    if not m:
        raise ValueError(f"{PG_ENV} is not a postgresql:// URL: {url!r}")
    return f"{m.group(1)}/{name}{m.group(3) or ''}"


def create_database(url: str, label: str = "t") -> str:
    """Create an empty database on the server of `url`; return its URL."""
    import psycopg

    name = "rasid_" + re.sub(r"[^a-z0-9]+", "_", label.lower())[-30:].strip("_") + "_" + uuid.uuid4().hex[:8]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return replace_database(url, name)


def drop_database(url: str, db_url: str) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_database_url(request) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database for this test module (dropped after)."""
    url = require_pg_url()
    db_url = create_database(url, request.module.__name__.rsplit(".", 1)[-1])
    yield db_url
    drop_database(url, db_url)


@pytest.fixture
def pg_fresh_url(request) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped after)."""
    url = require_pg_url()
    db_url = create_database(url, request.node.name)
    yield db_url
    drop_database(url, db_url)
