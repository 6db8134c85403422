"""Engines and data shared by the contract tests (tests/contract/conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.settings import resolve_settings

ENGINES = ("sqlite-file", "sqlite-memory", "postgresql")
RESOURCES = Path(__file__).resolve().parents[1] / "resources"
RECORDS = [json.loads(line) for line in
           (RESOURCES / "saudinewsnet-search.jsonl").read_text(encoding="utf-8").splitlines()]


def make_docs() -> list[Document]:
    """The 20 SaudiNewsNet records of tests/resources/README-search.md; `published` is spread
    over July 2015 (day i+1) for the date tests."""
    return [Document(text=r["content"], title=r["title"], url=r["url"], source=r["source"],
                     author=r["author"], published=f"2015-07-{i + 1:02d}T10:00:00")
            for i, r in enumerate(RECORDS)]


def archive_location(engine: str, folder: Path) -> str:
    """Where a fresh archive of `engine` lives (opened with `open_store`)."""
    if engine == "sqlite-file":
        return str(folder / "archive" / "rasid.db")
    if engine == "sqlite-memory":
        return ":memory:"
    url = resolve_settings()["test_pg_url"]
    if not url:
        pytest.skip("postgresql: RASID_TEST_PG_URL is not set")
    try:
        from rasid.store.postgres import create_test_archive  # type: ignore[import-not-found]
    except ImportError:
        pytest.fail("RASID_TEST_PG_URL is set but rasid.store.postgres.create_test_archive is missing")
    return create_test_archive(url)
