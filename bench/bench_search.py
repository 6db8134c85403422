"""Search latency on a SQLite archive built from SaudiNewsNet with the store.

The archive holds the first `--docs` distinct articles of the corpus (duplicates by URL or
content are skipped by the store, so a few more lines are read). SaudiNewsNet has about
30k articles; beyond that (``--docs 100000``) the corpus is resampled: copy k of an
article has its paragraphs rotated by k (so its content hash differs and the store keeps
it; its vocabulary, and so every term's statistics, is the article's), no URL, and its
date moved k x 28 days later. Only the store's own index analysis runs (no pipeline
stages: full analysis runs at 10-15 articles/s here), which is all search reads.

    nice python bench/bench_search.py [--docs 100000] [--queries 200] [--db /tmp/x.db]

Queries (fixed seed), a mix: name-like word pairs and 1-3 title words, 2-word quoted
phrases, and questions built from title words (``ما هو موقف X من Y؟``, ``متى ...``,
``من هو ...``, plus a long one). Each runs through `Store.search` (parse, plan, FTS5 BM25
over titles and bodies, fill-up below the strict matches, snippets on the original text)
with limit 10; p50/p95 are over the timed runs (after one warm-up pass), with the CPU
seconds of the timed pass (comparable under load) and how many pages had partial hits.
The slowest query is printed. An existing ``--db`` with enough articles is reused as it is.
"""
from __future__ import annotations

import argparse
import itertools
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


def resample(docs: list[Document], n: int) -> list[Document]:
    """`docs` then rotated copies until there are `n` (see the module docstring)."""
    from datetime import datetime, timedelta

    out = list(docs)
    k = 1
    while len(out) < n:
        for d in docs:
            if len(out) >= n:
                break
            paras = [p for p in d.text.split("\n") if p.strip()]
            if len(paras) < 2:
                sents = d.text.split(". ")
                paras = sents if len(sents) > 1 else [d.text, f"({k})"]
            r = k % len(paras) or 1
            text = "\n".join(paras[r:] + paras[:r]) + f"\n({k})"  # the number keeps copies distinct
            published = d.published
            if published:
                try:
                    published = (datetime.fromisoformat(published) + timedelta(days=28 * k)).isoformat()
                except ValueError:
                    pass
            out.append(Document(text=text, title=d.title, source=d.source, published=published,
                                origin=f"{d.origin}#copy{k}"))
        k += 1
    return out


QUESTION_FORMS = ["ما هو موقف {a} من {b}؟", "متى {a} {b}؟", "من هو {a} {b}؟",
                  "لماذا {a} {b} {c}؟", "ماذا قال {a} عن {b} و{c}؟"]


def make_queries(docs: list[Document], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    queries = []
    while len(queries) < n:
        words = [w for w in rng.choice(docs).title.split() if len(w) > 2 and w.isalpha()]
        if len(words) < 3:
            continue
        kind = len(queries) % 6
        if kind == 3:
            i = rng.randrange(len(words) - 1)
            queries.append(f'"{words[i]} {words[i + 1]}"')
        elif kind == 4:
            a, b, c = rng.sample(words, 3)
            queries.append(rng.choice(QUESTION_FORMS).format(a=a, b=b, c=c))
        elif kind == 5:  # a long query: a whole title
            queries.append(" ".join(words))
        elif kind == 0:  # a name-like pair: two neighbouring title words
            i = rng.randrange(len(words) - 1)
            queries.append(f"{words[i]} {words[i + 1]}")
        else:
            queries.append(" ".join(rng.sample(words, kind)))
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
    if len(docs) < args.docs:
        docs = resample(docs, int(args.docs * 1.1))
    store = SqliteStore(args.db)
    t = time.perf_counter()
    missing = max(0, args.docs - store.count_documents())
    # only articles not stored yet (a cheap hash lookup), so an interrupted build resumes
    fresh = itertools.islice((d for d in docs if not store.has_document(d)), missing)
    report = store.add_documents(fresh)
    ingest_s = time.perf_counter() - t
    size_mb = sum(os.path.getsize(args.db + ext) for ext in ("", "-wal") if os.path.exists(args.db + ext)) / 1e6
    print(f"archive: {store.count_documents()} articles ({report.stored} stored, {report.duplicate} "
          f"duplicate) in {ingest_s:.1f}s ({report.stored / ingest_s:.0f} docs/s), {size_mb:.0f} MB")

    queries = make_queries(docs, args.queries, args.seed)
    for q in queries:  # warm-up (page cache, analyzer caches)
        store.search(SearchQuery(q))
    times, n_hits, errors, filled = [], 0, 0, 0
    cpu = time.process_time()
    for q in queries:
        t = time.perf_counter()
        try:
            hits = store.search(SearchQuery(q))
            n_hits += len(hits)
            filled += any(getattr(h, "partial", False) for h in hits)  # (older code: none)
        except QueryError:
            errors += 1
        times.append((time.perf_counter() - t) * 1000)
    cpu = time.process_time() - cpu
    print(f"search: {len(queries)} queries, {n_hits / len(queries):.1f} hits/query, {errors} errors, "
          f"{filled} pages filled up with partial hits; {cpu:.2f} CPU s in all")
    print(f"latency ms: p50 {pct(times, 50):.1f}  p95 {pct(times, 95):.1f}  "
          f"mean {statistics.mean(times):.1f}  max {max(times):.1f}")
    slow = sorted(zip(times, queries), reverse=True)[:5]
    for ms, q in slow:
        print(f"  slow: {ms:7.1f} ms  {q}")
    store.close()
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
