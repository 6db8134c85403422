"""A dependency-free progress line with rate, written to stderr."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows `label: N done, R/s, elapsed` on one line, refreshed at most 5 times a second.

    Silent unless `enabled` (the CLI enables it when stderr is a terminal or with
    ``--progress``)."""

    def __init__(self, label: str, enabled: bool = True, total: int | None = None,
                 stream: TextIO | None = None):
        self.label = label
        self.enabled = enabled
        self.total = total
        self.stream = stream or sys.stderr
        self.count = 0
        self.extra = ""
        self.started = time.monotonic()
        self._last = 0.0

    def advance(self, n: int = 1, extra: str = "") -> None:
        self.count += n
        if extra:
            self.extra = extra
        now = time.monotonic()
        if self.enabled and now - self._last >= 0.2:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        of = f"/{self.total}" if self.total else ""
        line = f"\r{self.label}: {self.count}{of} ({rate:,.1f}/s, {elapsed:,.1f}s) {self.extra}"
        self.stream.write(line[:160].ljust(80))
        self.stream.flush()

    def show_stage(self, name: str, doc) -> None:
        """`Pipeline.on_stage`: name the stage now running when the article is long (a 5 MB
        article takes a minute; the line shows it is being worked on)."""
        if len(doc.text) >= 50_000:
            self.advance(0, f"{name}: article of {len(doc.text):,} characters")

    @property
    def rate(self) -> float:
        return self.count / max(time.monotonic() - self.started, 1e-9)

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
