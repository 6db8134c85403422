"""The archive: the `Store` interface (`base.py` + ``interface_*.py``) and its backends
(SQLite by default, ``sqlite*.py``). Nothing outside this package writes SQL.

``open_store(None)`` opens the archive the ``db`` setting names (``--db``, ``$RASID_DB``, the
config file; see `rasid.settings`), by default ``$XDG_DATA_HOME/rasid/rasid.db``, else
``~/.local/share/rasid/rasid.db``.
"""
from __future__ import annotations

import os
from pathlib import Path

from .base import DocOutcome, EntityRecord, IngestReport, SearchHit, SearchQuery, Store

__all__ = ["DocOutcome", "EntityRecord", "IngestReport", "SearchHit", "SearchQuery", "Store",
           "default_db_path", "open_store"]


def default_db_path() -> Path:
    """The ``db`` setting as a path (``$RASID_DB``, the config file, else the user data dir:
    ``$XDG_DATA_HOME/rasid/rasid.db`` or ``~/.local/share/rasid/rasid.db``)."""
    from ..settings import get_setting

    return Path(get_setting("db"))


def open_store(path_or_url: str | os.PathLike | None = None, **kwargs) -> Store:
    """Open a store from a path, ``":memory:"``, ``sqlite:///relative.db``,
    ``sqlite:////absolute.db`` or ``postgresql://...``; None means `default_db_path()`.
    A file store's parent folder is created when missing."""
    if path_or_url is None or path_or_url == "":
        from ..settings import get_setting

        path_or_url = get_setting("db")
    target = os.fspath(path_or_url)
    if target.startswith(("postgres://", "postgresql://")):
        try:
            from .postgres import PostgresStore  # type: ignore[import-not-found]
        except ImportError as exc:
            raise ValueError("the PostgreSQL store is not available in this installation") from exc
        return PostgresStore(target, **kwargs)
    if target.startswith("sqlite:"):
        rest = target[len("sqlite:"):]
        if rest in ("", "//", "///:memory:", ":memory:"):
            target = ":memory:"
        elif rest.startswith("///"):
            target = rest[3:]
        else:
            raise ValueError(f"cannot read SQLite URL {target!r}; use sqlite:///path/to/file.db")
    from .sqlite import SqliteStore

    return SqliteStore(target, **kwargs)
