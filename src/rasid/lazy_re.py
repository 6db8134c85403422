"""Regular expressions compiled when first used.

Compiling a large pattern (an alternation of every month name, a date expression with
its clitics and epithets) costs milliseconds, and a cold ``rasid analyze`` compiled every
date pattern although an article triggers only some of them (docs/speed.md, "Cold start").
"""
from __future__ import annotations

import re
from typing import Iterator


class LazyPattern:
    """``re.compile(source)`` on the first search; the same matches as the compiled pattern."""

    __slots__ = ("pattern", "_rx")

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._rx: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.pattern)
        return self._rx

    def finditer(self, string: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, *bounds)
