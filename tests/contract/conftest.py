"""The archive contract: every test in this folder runs against each engine through the
archive interface (`rasid.store.Store`) only.

Engines: ``sqlite-file``, ``sqlite-memory`` and ``postgresql``; the last is skipped unless
``RASID_TEST_PG_URL`` is set (CI sets it and then requires it). Each PostgreSQL test gets
a fresh, empty archive from ``rasid.store.postgres.create_test_archive(url)``.
"""
from __future__ import annotations

import pytest

from rasid.store import open_store

from contract_data import ENGINES, archive_location


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
def location(engine, tmp_path) -> str:
    return archive_location(engine, tmp_path)


@pytest.fixture
def archive(location):
    a = open_store(location)
    yield a
    a.close()


@pytest.fixture
def reopen(engine, location):
    """Open the same archive again (a new process would); not for :memory:."""
    if engine == "sqlite-memory":
        pytest.skip("a :memory: archive cannot be opened twice")
    return lambda: open_store(location)
