"""Fixtures shared by the integration tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spark():
    """A `local[2]` Spark session for one test module (the Spark tests skip without pyspark
    before asking for it)."""
    from rasid.batch.job import start_spark

    session = start_spark("local[2]")
    yield session
    session.stop()
