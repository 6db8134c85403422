"""Ingest + index throughput on SaudiNewsNet.

    python bench/bench_ingest.py [--sizes 1000 10000] [--stages tokenize,ner,dates,places]

For each size N, writes the first N articles of the corpus to a temporary JSON Lines file,
ingests it into a fresh SQLite archive (read, analyse, store, index) and prints articles/s and
words/s; then re-ingests the same file to show the cost of the idempotent no-op path, and times
200 searches (p50/p95) on that archive.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import tempfile
import time
from pathlib import Path

from rasid.monitor import Monitor
from rasid.stages import DEFAULT_STAGES

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
QUERIES = ["هجوم", "الرئيس", "داعش", "اليمن", "وزير الخارجية", "السعودية", "النفط", "الحوثيين",
           "مجلس الأمن", "\"الدولة الإسلامية\"", "سوريا", "العراق", "إيران", "الاتفاق النووي",
           "كرة القدم", "الهلال", "الأمطار", "التعليم", "الصحة", "مكة"]


def run(n: int, corpus: Path, stages: tuple[str, ...], tmp: Path) -> None:
    src = tmp / f"sample-{n}.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
        for line in itertools.islice(fh, n):
            out.write(line)
    db = tmp / f"bench-{n}.db"
    with Monitor(db, stages=stages) as monitor:
        t0 = time.perf_counter()
        summary = monitor.ingest([str(src)])
        dt = time.perf_counter() - t0
        print(f"N={n:>6}  stages={','.join(stages)}")
        print(f"  ingest+analyse+index: {summary.stored} stored, {summary.duplicates} dup, "
              f"{len(summary.rejected)} rejected in {dt:.1f}s -> {summary.read / dt:,.1f} articles/s, "
              f"{summary.words / dt:,.0f} words/s")
        t0 = time.perf_counter()
        again = monitor.ingest([str(src)])
        dt2 = time.perf_counter() - t0
        print(f"  re-ingest (idempotent): {again.stored} stored, {again.duplicates} dup in {dt2:.1f}s "
              f"-> {again.read / dt2:,.0f} articles/s")
        lat = []
        for q in itertools.islice(itertools.cycle(QUERIES), 200):
            t0 = time.perf_counter()
            monitor.search(q, limit=10)
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        print(f"  search over 200 queries: p50 {statistics.median(lat):.2f} ms, "
              f"p95 {lat[int(0.95 * len(lat)) - 1]:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--stages", default=",".join(DEFAULT_STAGES))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            run(n, args.corpus, tuple(args.stages.split(",")), Path(tmp))


if __name__ == "__main__":
    main()
