"""SQLite's CPU for the statements of storing N analysed articles, replayed on each page size.

    nice python bench/bench_page_size.py [--n 1000] [--cache /tmp/analysed.pkl] [--sizes 4096 16384]
        [--rounds 2]

Stores the first N SaudiNewsNet records, analysed beforehand (`bench/bench_archive_steps.py`'s
`analysed` and its ``--cache``), with `Monitor.store_documents` into a temporary archive while
recording every statement the store runs and its arguments (the articles, the archive steps,
the commits); then replays the recording on a fresh archive made with each page size, in
turn, `--rounds` times, and prints the CPU seconds of the replay (`time.process_time`: the
statements alone, no Python of rasid's) and of its commits. Foreign keys are off in the replay
(the bench's one query watch is added before the recording starts). Alternating the sizes in
one process is what makes a 10 % difference visible on a loaded machine.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_archive_steps  # noqa: E402  (the analysed records and the bench's store run)


class Recorder:
    """A connection that records each statement and its arguments before running it."""

    def __init__(self, con: sqlite3.Connection, log: list[tuple[str, str, Any]]):
        self._con, self._log = con, log

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        self._log.append(("one", sql, tuple(args)))
        return self._con.execute(sql, args)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        rows = list(rows)
        self._log.append(("many", sql, rows))
        return self._con.executemany(sql, rows)


def record(n: int, cache: Path | None) -> list[tuple[str, str, Any]]:
    log: list[tuple[str, str, Any]] = []
    instrument = bench_archive_steps.instrument

    def recording(monitor: Any, sampler: Any) -> Any:
        monitor.store.con = Recorder(monitor.store.con, log)
        return instrument(monitor, sampler)

    bench_archive_steps.instrument = recording
    args = ["--n", str(n)] + (["--cache", str(cache)] if cache else [])
    bench_archive_steps.main(args)
    return log


def replay(log: list[tuple[str, str, Any]], page_size: int) -> tuple[float, float]:
    """``(CPU s of every statement, CPU s of the commits)`` on a fresh archive of `page_size`."""
    from rasid.store import sqlite as engine

    with tempfile.TemporaryDirectory() as tmp:
        kept, engine.PAGE_SIZE = engine.PAGE_SIZE, page_size
        try:
            store = engine.SqliteStore(os.path.join(tmp, "replay.db"))
        finally:
            engine.PAGE_SIZE = kept
        con = store.con
        con.execute("PRAGMA foreign_keys = OFF")
        total = commits = 0.0
        for kind, sql, args in log:
            c0 = time.process_time()
            if kind == "many":
                con.executemany(sql, args)
            else:
                con.execute(sql, args).fetchall()
            spent = time.process_time() - c0
            total += spent
            if sql == "COMMIT":
                commits += spent
        store.close()
    return total, commits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--sizes", type=int, nargs="+", default=[4096, 16384])
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    log = record(args.n, args.cache)
    print(f"\n{len(log)} statements recorded; replayed, CPU s:")
    for r in range(args.rounds):
        for size in args.sizes:
            total, commits = replay(log, size)
            print(f"round {r + 1}  page size {size:>6}: statements {total:6.2f}  of which commits {commits:5.2f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
