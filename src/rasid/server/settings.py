"""Settings of the REST API and web UI, built from the registry (`rasid.settings`).

* ``api_token`` (``RASID_API_TOKEN``, or the config file): the bearer token that writing
  requires (ingest, feeds, watches).
* ``api_token_file`` (``--api-token-file``, ``RASID_API_TOKEN_FILE``): a file holding that
  token (used when ``api_token`` is unset), so the token need not appear in a process list
  or a shell history.
* ``read_open`` (``--read-open``, ``RASID_READ_OPEN``): ``1`` (default) lets anyone who
  reaches the server read; ``0`` makes reading need the token too (a ``Bearer`` header, or
  the HttpOnly ``rasid_session`` cookie that ``POST /api/v1/session`` sets after checking
  the token: it holds a credential derived from the token, which lets its holder read and
  never write).
* ``max_body_bytes``: the largest request body accepted (413 above it).

With no token configured, the server refuses every write with 403.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..settings import SETTINGS, Config, SettingsError, current_settings, resolve_settings

__all__ = ["Settings", "SettingsError"]


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    read_open: bool = SETTINGS["read_open"].default
    #: largest request body accepted, in bytes (413 above it)
    max_body_bytes: int = SETTINGS["max_body_bytes"].default

    @classmethod
    def from_config(cls, config: Config | None = None) -> "Settings":
        """From resolved settings (default: the running command's, see `current_settings`)."""
        config = current_settings() if config is None else config
        token = config.api_token or None
        if token is None and config.api_token_file:
            path = Path(config.api_token_file)
            label = config.source("api_token_file").label
            try:
                token = path.read_text(encoding="utf-8").strip() or None
            except OSError as exc:
                raise SettingsError(f"setting api_token_file (from {label}): cannot read "
                                    f"{path}: {exc.strerror}") from None
            if token is None:
                raise SettingsError(f"setting api_token_file (from {label}): {path} is empty")
        return cls(token=token, read_open=config.read_open, max_body_bytes=config.max_body_bytes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """From these environment variables (and the config file) only, no flags."""
        return cls.from_config(resolve_settings(environ=environ))

    @property
    def read_credential(self) -> str | None:
        """What the ``rasid_session`` cookie holds after sign-in: derived from the token
        (HMAC), so the cookie lets its holder read but never carries the write token."""
        if not self.token:
            return None
        return hmac.new(self.token.encode("utf-8"), b"rasid read cookie v1", "sha256").hexdigest()

    def is_read_credential(self, candidate: str | None) -> bool:
        expected = self.read_credential
        if not expected or not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8"), expected.encode("utf-8"))

    def is_token(self, candidate: str | None) -> bool:
        """Constant-time comparison with the configured token."""
        if not self.token or not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8"), self.token.encode("utf-8"))
