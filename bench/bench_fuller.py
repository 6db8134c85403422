"""What a fuller version costs (issue 16 item 4): feed snippets replaced by their pages.

    python bench/bench_fuller.py [--n 100] [--db URL]

Takes the first N articles of the bundled sample (src/rasid/sample/saudinewsnet-200.jsonl);
each one's first paragraph stands for its feed snippet. Into a fresh archive (SQLite in a
temporary folder, or a PostgreSQL URL given with --db: use an empty database) it ingests
the snippets, then the full records (every one an update), then the full records again
(every one a no-op duplicate), and prints seconds and articles/s of each pass next to a
plain ingest of the full records into another fresh archive (SQLite only).
"""
from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path

from rasid.monitor import Monitor

SAMPLE = Path(__file__).resolve().parents[1] / "src/rasid/sample/saudinewsnet-200.jsonl"


def write(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def timed(monitor: Monitor, source: str, label: str, n: int) -> None:
    t0 = time.perf_counter()
    s = monitor.ingest([source])
    dt = time.perf_counter() - t0
    print(f"{label:<28} {dt:7.1f} s  {n / dt:6.1f} articles/s  stored {s.stored} updated {s.updated} "
          f"duplicates {s.duplicates} failed {len(s.failed)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--db", help="an empty PostgreSQL database URL (default: SQLite files)")
    args = ap.parse_args()
    with SAMPLE.open(encoding="utf-8") as fh:
        full = [json.loads(line) for line in itertools.islice(fh, args.n)]
    snippets = [dict(r, content=r["content"].strip().split("\n")[0]) for r in full]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed, pages = write(folder / "feed.jsonl", snippets), write(folder / "pages.jsonl", full)
        with Monitor(args.db or folder / "a.db") as monitor:
            timed(monitor, feed, "snippets (new)", len(full))
            timed(monitor, pages, "pages (updates)", len(full))
            timed(monitor, pages, "pages again (no-op)", len(full))
        if not args.db:
            with Monitor(folder / "b.db") as monitor:
                timed(monitor, pages, "pages into a fresh archive", len(full))


if __name__ == "__main__":
    main()
