"""Shared fixtures. Tests never touch the network: a socket guard allows loopback only."""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from pg_fixtures import is_pg_skip, pg_database_url, pg_fresh_url  # noqa: F401 (fixtures)

RESOURCES = Path(__file__).parent / "resources"
SHARED = Path(__file__).resolve().parents[2] / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# a developer's own ~/.config/rasid/config.toml must not change what the tests see
os.environ["XDG_CONFIG_HOME"] = str(Path(__file__).parent / "resources" / "no-config")
# the user's own RASID_* settings (an archive in RASID_DB, a token, a port, a config file) must
# neither change what the tests see nor receive what they write; the test-only ones stay
_KEEP = {"RASID_TEST_PG_URL", "RASID_REQUIRE_PG", "RASID_REQUIRE_BROWSER", "RASID_CHROMIUM",
         "RASID_SCREENSHOTS", "RASID_SHARED_DATA", "RASID_BENCH_PG_URL"}
for _name in [n for n in os.environ if n.startswith("RASID_") and n not in _KEEP]:
    del os.environ[_name]
# nothing a test writes (the default archive, the API token) lands in the user's data
# directory, so running the tests never disturbs a `rasid serve` of the same user
_DATA_HOME = tempfile.mkdtemp(prefix="rasid-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
atexit.register(shutil.rmtree, _DATA_HOME, True)
# every pipeline the tests build checks that each stage changed only the layers it declares
os.environ["RASID_STRICT_STAGES"] = "1"

_real_connect = socket.socket.connect


def _guarded_connect(self, address):  # pragma: no cover - exercised by any stray network use
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
    ):
        raise RuntimeError(f"tests may not reach the network: connect to {address!r}")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect


@pytest.fixture(scope="session")
def seed_text() -> str:
    path = RESOURCES / "paris-2015.txt"
    if not path.exists():
        path = SHARED / "seed" / "paris-2015.txt"
    return path.read_text(encoding="utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With RASID_REQUIRE_PG=1 (CI), a test skipped for want of PostgreSQL fails instead."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("RASID_REQUIRE_PG") == "1":
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if is_pg_skip(reason) or "[postgresql" in item.nodeid:
            report.outcome = "failed"
            report.longrepr = f"RASID_REQUIRE_PG=1 but the PostgreSQL case was skipped: {reason}"
