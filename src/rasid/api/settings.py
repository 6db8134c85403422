"""Settings of the REST API and web UI, read from the environment.

* ``RASID_API_TOKEN``: the bearer token that writing requires (ingest, feeds, watches).
* ``RASID_API_TOKEN_FILE``: a file holding that token (used when ``RASID_API_TOKEN`` is unset),
  so the token need not appear in a process list or a shell history.
* ``RASID_READ_OPEN``: ``1`` (default) lets anyone who reaches the server read; ``0`` makes
  reading need the token too (a ``Bearer`` header, or the HttpOnly ``rasid_session`` cookie
  that ``POST /api/v1/session`` sets after checking the token: it holds a credential derived
  from the token, which lets its holder read and never write).

With no token configured, the server refuses every write with 403.
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

FALSE_WORDS = frozenset({"0", "false", "no", "off", "closed"})
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "open"})


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    read_open: bool = True
    #: largest request body accepted, in bytes (413 above it)
    max_body_bytes: int = 20 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        token = (env.get("RASID_API_TOKEN") or "").strip() or None
        if token is None and env.get("RASID_API_TOKEN_FILE"):
            path = Path(env["RASID_API_TOKEN_FILE"]).expanduser()
            try:
                token = path.read_text(encoding="utf-8").strip() or None
            except OSError as exc:
                raise SettingsError(f"RASID_API_TOKEN_FILE: cannot read {path}: {exc.strerror}") from exc
            if token is None:
                raise SettingsError(f"RASID_API_TOKEN_FILE: {path} is empty")
        return cls(token=token, read_open=parse_bool(env.get("RASID_READ_OPEN"), True, "RASID_READ_OPEN"))

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


def parse_bool(value: str | None, default: bool, name: str) -> bool:
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {value!r}")
