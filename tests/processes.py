"""Helpers for tests that run rasid as a subprocess."""
from __future__ import annotations

import subprocess


def reap(proc: subprocess.Popen) -> None:
    """Kill `proc` if it still runs (a test that failed before stopping it) and wait for
    it, so that no process outlives its test."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
