"""The API token kept in the data directory: made once, private, the same on every run.

``<data dir>/api-token`` (``$XDG_DATA_HOME/rasid/api-token``, else
``~/.local/share/rasid/api-token``), mode 0600 in a 0700 folder. ``rasid serve`` uses it when
neither ``api_token`` (``RASID_API_TOKEN``) nor ``api_token_file`` is set, creating it on first
use; ``rasid token show`` prints it and ``rasid token rotate`` replaces it (a running server
keeps the token it started with until it is restarted).
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Mapping

from ..settings import default_data_dir

TOKEN_FILE_NAME = "api-token"


def default_token_path(environ: Mapping[str, str] | None = None) -> Path:
    return default_data_dir(environ) / TOKEN_FILE_NAME


def make_token() -> str:
    return secrets.token_urlsafe(24)


def write_token(path: Path, token: str) -> Path:
    """Write `token` to `path` atomically, readable by its owner only (0600); the folder is
    created private (0700) when missing."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".api-token-", dir=path.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(token + "\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def read_token(path: Path) -> str | None:
    """The token in `path`, or None when the file does not exist or is empty."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def load_or_create_token(path: Path | None = None) -> tuple[str, Path, bool]:
    """``(token, path, created)``: the token kept in `path` (default: the data directory's),
    made and written there the first time."""
    path = path or default_token_path()
    token = read_token(path)
    if token is not None:
        return token, path, False
    token = make_token()
    write_token(path, token)
    return token, path, True


def rotate_token(path: Path | None = None) -> tuple[str, Path]:
    """A new token replaces the one in `path`; ``(token, path)``."""
    path = path or default_token_path()
    token = make_token()
    write_token(path, token)
    return token, path
