"""Full ingest with 1 and with N analysing processes, on the same input, in one run.

    nice -n 5 timeout 3600 python bench/bench_workers.py [--n 2000] [--workers 1 2]

Writes the first N SaudiNewsNet articles to a temporary JSON Lines file, then for each worker
count ingests it into a fresh SQLite archive through `Monitor.ingest` (workers started and models
loaded inside the timing, as `rasid ingest --workers N` does) and prints articles/s, words/s,
the speed-up over the first count and the peak resident memory of the parent and of its
workers (VmHWM; their sum bounds the peak of the whole run).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"

RUN_ONE = """
import json, resource, sys, time
from rasid.monitor import Monitor
src, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
with Monitor(db, workers=workers) as monitor:
    s = monitor.ingest([src])
dt = time.perf_counter() - t0
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
print(json.dumps({"read": s.read, "stored": s.stored, "words": s.words, "seconds": dt,
                  "parent_mb": hwm(),
                  "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run(src: Path, db: Path, workers: int) -> dict:
    """One ingest in a fresh process (cold, like the command), its figures as a dict."""
    import json

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    out = subprocess.run([sys.executable, "-c", RUN_ONE, str(src), str(db), str(workers)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    print(f"full ingest of the first {args.n} SaudiNewsNet articles; os.cpu_count()={os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
            for line in itertools.islice(fh, args.n):
                out.write(line)
        base = None
        for workers in args.workers:
            r = run(src, Path(tmp) / f"w{workers}.db", workers)
            rate = r["read"] / r["seconds"]
            base = base or rate
            print(f"--workers {workers}: {r['stored']} stored in {r['seconds']:.1f}s -> {rate:,.1f} articles/s, "
                  f"{r['words'] / r['seconds']:,.0f} words/s, x{rate / base:.2f}; peak RSS parent "
                  f"{r['parent_mb']:,.0f} MB, largest worker {r['children_mb']:,.0f} MB, at most "
                  f"{r['parent_mb'] + (workers if workers > 1 else 0) * r['children_mb']:,.0f} MB together "
                  f"(load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
