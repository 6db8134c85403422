"""Full ingest with 1 and with N analysing processes, on the same input, in one run.

    nice -n 5 timeout 3600 python bench/bench_workers.py [--n 2000] [--workers 1 2]
        [--src DIR [DIR ...]] [--keep DIR]

Writes the first N SaudiNewsNet articles to a temporary JSON Lines file, then for each worker
count ingests it into a fresh SQLite archive through `Monitor.ingest` (workers started and models
loaded inside the timing, as `rasid ingest --workers N` does) and prints articles/s, words/s,
the speed-up over the first count, the CPU seconds of the parent (the one writer) and of its
workers together, and the peak resident memory of the parent and of its workers (VmHWM; their
sum bounds the peak of the whole run).

``--src`` runs each worker count with each source tree given (default: this checkout's
``src``), so that two versions are measured in one run (the ratio is against the first worker
count of that tree); ``--keep DIR`` keeps the archives there (``w{N}-{k}.db``, k the ``--src`` index) for
`bench/compare_archives.py`.
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
cpu = time.process_time()  # the parent's own (its workers were reaped when the Monitor closed)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
print(json.dumps({"read": s.read, "stored": s.stored, "words": s.words, "seconds": dt,
                  "parent_cpu": cpu, "workers_cpu": kids.ru_utime + kids.ru_stime,
                  "parent_mb": hwm(),
                  "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


SRC = Path(__file__).resolve().parents[1] / "src"


def run(src: Path, db: Path, workers: int, code: Path = SRC) -> dict:
    """One ingest in a fresh process (cold, like the command) importing rasid from `code`,
    its figures as a dict."""
    import json

    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", RUN_ONE, str(src), str(db), str(workers)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--src", type=Path, nargs="+", default=[SRC],
                    help="source trees to run, each with every worker count (default: this checkout's)")
    ap.add_argument("--keep", type=Path, help="keep the archives in this directory")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"full ingest of the first {args.n} SaudiNewsNet articles; os.cpu_count()={os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
            for line in itertools.islice(fh, args.n):
                out.write(line)
        base: dict[int, float] = {}  # the first worker count's rate, per source tree
        for workers in args.workers:
            for k, code in enumerate(args.src):
                db = (args.keep or Path(tmp)) / f"w{workers}-{k}.db"
                db.unlink(missing_ok=True)
                r = run(src, db, workers, code)
                rate = r["read"] / r["seconds"]
                base.setdefault(k, rate)
                name = f" [{code}]" if len(args.src) > 1 else ""
                print(f"--workers {workers}{name}: {r['stored']} stored in {r['seconds']:.1f}s -> "
                      f"{rate:,.1f} articles/s, {r['words'] / r['seconds']:,.0f} words/s, x{rate / base[k]:.2f}; "
                      f"CPU s parent {r['parent_cpu']:.2f}, workers {r['workers_cpu']:.2f}; peak RSS parent "
                      f"{r['parent_mb']:,.0f} MB, largest worker {r['children_mb']:,.0f} MB, at most "
                      f"{r['parent_mb'] + (workers if workers > 1 else 0) * r['children_mb']:,.0f} MB "
                      f"together (load average now {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
