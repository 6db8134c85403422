"""Search latency on a 10k-article SQLite archive built from SaudiNewsNet with the store.

The archive holds the first 10,000 distinct articles of the corpus (duplicates by URL or
content are skipped by the store, so a few more lines are read).

    nice python bench/bench_search.py [--docs 10000] [--queries 200] [--db /tmp/x.db]

Queries (fixed seed): 1-3 words and 2-word phrases taken from article titles. Each is run
through `SqliteStore.search` (parse, FTS5 BM25 over titles and bodies, snippets on the
original text) with limit 10; p50/p95 are over the 200 timed runs (after one warm-up pass).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import tempfile
import time

from rasid.doc import Document
from rasid.search.query import QueryError
from rasid.store import SearchQuery
from rasid.store.sqlite import SqliteStore

DATA = "/work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def read_docs(path: str, n: int) -> list[Document]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if len(docs) >= n:
                break
            r = json.loads(line)
            if not (r.get("content") or "").strip():
                continue
            docs.append(Document(text=r["content"], title=r.get("title") or "", url=r.get("url"),
                                 source=r.get("source"), author=r.get("author"),
                                 published=(r.get("date_extracted") or "").replace(" ", "T") or None,
                                 origin=f"saudinewsnet:{i + 1}"))
    return docs


def make_queries(docs: list[Document], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    queries = []
    while len(queries) < n:
        words = [w for w in rng.choice(docs).title.split() if len(w) > 2 and w.isalpha()]
        if len(words) < 3:
            continue
        kind = len(queries) % 4
        if kind == 3:
            i = rng.randrange(len(words) - 1)
            queries.append(f'"{words[i]} {words[i + 1]}"')
        else:
            queries.append(" ".join(rng.sample(words, kind + 1)))
    return queries


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", default=None, help="archive file (default: a temporary one)")
    args = ap.parse_args(argv)

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = os.path.join(tmp.name, "rasid.db")
    docs = read_docs(args.data, int(args.docs * 1.1))  # the corpus has URL/content duplicates
    store = SqliteStore(args.db)
    t = time.perf_counter()
    report = store.add_documents(docs[:args.docs])
    pos = args.docs
    while store.count_documents() < args.docs and pos < len(docs):  # top up to exactly --docs
        more = store.add_documents(docs[pos:pos + args.docs - store.count_documents()])
        pos += more.total
        report.stored += more.stored
        report.duplicate += more.duplicate
    ingest_s = time.perf_counter() - t
    size_mb = sum(os.path.getsize(args.db + ext) for ext in ("", "-wal") if os.path.exists(args.db + ext)) / 1e6
    print(f"archive: {store.count_documents()} articles ({report.stored} stored, {report.duplicate} "
          f"duplicate) in {ingest_s:.1f}s ({report.stored / ingest_s:.0f} docs/s), {size_mb:.0f} MB")

    queries = make_queries(docs, args.queries, args.seed)
    for q in queries:  # warm-up (page cache, analyzer caches)
        store.search(SearchQuery(q))
    times, n_hits, errors = [], 0, 0
    for q in queries:
        t = time.perf_counter()
        try:
            n_hits += len(store.search(SearchQuery(q)))
        except QueryError:
            errors += 1
        times.append((time.perf_counter() - t) * 1000)
    print(f"search: {len(queries)} queries, {n_hits / len(queries):.1f} hits/query, {errors} errors")
    print(f"latency ms: p50 {pct(times, 50):.1f}  p95 {pct(times, 95):.1f}  "
          f"mean {statistics.mean(times):.1f}  max {max(times):.1f}")
    store.close()
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
