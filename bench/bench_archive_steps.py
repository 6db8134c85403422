"""Cost of storing analysed articles with the archive steps (entities across the archive,
near-duplicates, stories, alerts with one query watch), per article.

    python bench/bench_archive_steps.py [--n 400] [--batch 200] [--cache /tmp/analysed.pkl]

Analyses the first N SaudiNewsNet articles once (cached, pickled: a cache written by another
rasid version may not load back into this one's Document; delete it then), then times
`Monitor.store_documents` (one transaction per batch: articles + every step) into a fresh
SQLite file. The analysis is not timed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import tempfile
import time
from pathlib import Path

from rasid.doc import Document
from rasid.monitor import IngestSummary, Monitor

CORPUS = Path(os.environ.get("RASID_SHARED_DATA", "/work/shared/data")) / "news/saudinewsnet/saudinewsnet.jsonl.gz"


def analysed(n: int, cache: Path | None) -> list[Document]:
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())[:n]
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if (r.get("content") or "").strip():
                docs.append(Document(r["content"], title=r["title"], url=r["url"], source=r["source"]))
            if len(docs) >= n:
                break
    with tempfile.TemporaryDirectory() as tmp, Monitor(os.path.join(tmp, "a.db")) as monitor:
        docs = [monitor.analyze(d) for d in docs]
    if cache:
        cache.write_bytes(pickle.dumps(docs))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)
    docs = analysed(args.n, args.cache)
    with tempfile.TemporaryDirectory() as tmp, Monitor(os.path.join(tmp, "b.db")) as monitor:
        from rasid.alerts import add_watch

        add_watch(monitor.store, query="السعودية")
        summary = IngestSummary()
        t0 = time.perf_counter()
        monitor.store_documents(docs, summary, args.batch)
        seconds = time.perf_counter() - t0
    print(f"{summary.stored} articles stored with the archive steps in {seconds:.2f}s: "
          f"{1000 * seconds / max(1, summary.stored):.1f} ms/article (batch {args.batch})")
    for origin, reason in summary.failed[:3]:
        print(f"  failed {origin}: {reason}")
    return 0 if summary.stored else 1


if __name__ == "__main__":
    raise SystemExit(main())
