"""SQLite and PostgreSQL side by side, on the same machine, in one run.

    nice python bench/bench_engines.py --pg postgresql://user@127.0.0.1:PORT/db \
        [--ingest 1000] [--rounds 3] [--docs 10000] [--queries 200] [--workdir /tmp/x]

Two parts (SaudiNewsNet, /work/shared/data/news/saudinewsnet/; distinct articles in corpus
order, as bench/bench_search.py reads them):

1. **Ingest** (`--ingest` articles): each article is analysed ONCE with the full pipeline
   (`Monitor.analyze`), and the same analysed documents are then stored into a fresh SQLite
   archive and a fresh PostgreSQL database through `Monitor.store_documents` (batches of
   200: the articles plus every archive step: entity resolution, near-duplicates, stories,
   alerts, in one transaction each), `--rounds` times per engine, SQLite and PostgreSQL
   alternating so that both see the same machine load. Printed: analysis articles/s
   (shared), the statements PostgreSQL was sent per stored article (each a network round
   trip; an ``executemany`` counted once, psycopg pipelines its rows), store-only
   articles/s per engine (medians of the rounds) and their ratio, and full-ingest
   articles/s (analysis + store) per engine and their ratio.
2. **Search** (`--docs` articles, plain documents without analysis layers: search reads
   only titles and texts) stored into both engines; then `--queries` queries, a third each
   entity names (from part 1's archive), words and phrases from titles, and questions
   (ARCD, /work/shared/data/search/arcd-train/queries.tsv), each run through
   `store.search` (parse, engine, snippets; limit 10) once to warm up then timed: p50/p95.
   Known-item MRR@10: the titles of 200 random stored articles as queries, the article
   itself the one relevant answer.

The PostgreSQL database named by `--pg` must exist and be empty or hold only earlier bench
schemas: each part runs in a fresh schema (dropped at the end). Its fsync and
synchronous_commit settings are printed with the results.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from urllib.parse import quote

from rasid.doc import Document
from rasid.monitor import IngestSummary, Monitor
from rasid.search.query import QueryError
from rasid.store import SearchQuery, open_store

DATA = "/work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
QUESTIONS = "/work/shared/data/search/arcd-train/queries.tsv"


def read_docs(path: str, n: int) -> list[Document]:
    docs, seen = [], set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if len(docs) >= n:
                break
            r = json.loads(line)
            text = (r.get("content") or "").strip()
            if not text or r.get("url") in seen or text in seen:
                continue
            seen.update((r.get("url"), text))
            docs.append(Document(text=r["content"], title=r.get("title") or "", url=r.get("url"),
                                 source=r.get("source"), author=r.get("author"),
                                 published=(r.get("date_extracted") or "").replace(" ", "T") or None,
                                 origin=f"saudinewsnet:{i + 1}"))
    return docs


def analyse_docs(docs: list[Document], cache: str | None) -> tuple[list[dict], float]:
    """The documents analysed by the full pipeline (as dicts) and the seconds it took; with
    `cache`, read from that file when it holds these documents, else written to it (the
    time recorded with them), so that runs on a loaded machine can skip the analysis."""
    ids = [d.id for d in docs]
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as fh:
            saved = json.load(fh)
        if [d["id"] for d in saved["docs"]] == ids:
            return saved["docs"], saved["seconds"]
    m = Monitor(":memory:")
    t = time.perf_counter()
    analysed = [m.analyze(Document.from_dict(d.to_dict())).to_dict() for d in docs]
    seconds = time.perf_counter() - t
    m.close()
    if cache:
        with open(cache, "w", encoding="utf-8") as fh:
            json.dump({"seconds": seconds, "docs": analysed}, fh, ensure_ascii=False)
    return analysed, seconds


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def fresh_pg(url: str) -> tuple[str, str]:
    """A new schema on `url`'s database: ``(url using it, schema)``."""
    import psycopg

    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        con.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema},public')}", schema


def drop_pg(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP SCHEMA "{schema}" CASCADE')


def pg_settings(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        vals = [con.execute(f"SHOW {k}").fetchone()[0] for k in ("server_version", "fsync",
                                                                 "synchronous_commit", "shared_buffers")]
    return "PostgreSQL {} (fsync={}, synchronous_commit={}, shared_buffers={})".format(*vals)


def store_all(db: str, analysed: list[dict], batch: int) -> tuple[float, int]:
    """Store the analysed documents (fresh copies) through the Monitor; seconds and count."""
    docs = [Document.from_dict(d) for d in analysed]
    with Monitor(db) as m:
        summary = IngestSummary()
        t = time.perf_counter()
        m.store_documents(iter(docs), summary, batch)
        return time.perf_counter() - t, summary.stored


class StatementCounter:
    """Counts the statements psycopg sends (``execute`` and each ``executemany`` call, the
    latter pipelined: one round trip for its rows) while it is active."""

    def __init__(self) -> None:
        import psycopg

        self.cls, self.count = psycopg.Cursor, 0
        self.saved = (self.cls.execute, self.cls.executemany)

    def __enter__(self) -> "StatementCounter":
        execute, executemany = self.saved

        def counted(method):
            def call(cur, *args, **kwargs):
                self.count += 1
                return method(cur, *args, **kwargs)
            return call

        self.cls.execute, self.cls.executemany = counted(execute), counted(executemany)
        return self

    def __exit__(self, *exc: object) -> None:
        self.cls.execute, self.cls.executemany = self.saved


def store_rounds(lite_path: str, pg_base: str, analysed: list[dict], batch: int,
                 rounds: int) -> tuple[list[float], list[float], int, int, float, str, str]:
    """Store the same documents `rounds` times into each engine, alternating SQLite and
    PostgreSQL (fresh archives each time), so that both see the same machine load; the
    seconds of each round, the stored counts, the PostgreSQL statements per article of
    the first round and the last PostgreSQL archive's URL (its schema not yet dropped)."""
    lite_s, pg_s, per_article, pg_url, schema = [], [], 0.0, "", ""
    for r in range(rounds):
        if os.path.exists(lite_path):
            os.remove(lite_path)
        s, lite_n = store_all(lite_path, analysed, batch)
        lite_s.append(s)
        if schema:
            drop_pg(pg_base, schema)
        pg_url, schema = fresh_pg(pg_base)
        with StatementCounter() as counter:
            s, pg_n = store_all(pg_url, analysed, batch)
        pg_s.append(s)
        if r == 0:
            per_article = counter.count / max(pg_n, 1)
        print(f"  round {r + 1}: SQLite {lite_s[-1]:.1f}s, PostgreSQL {pg_s[-1]:.1f}s "
              f"({counter.count} statements)", flush=True)
    return lite_s, pg_s, lite_n, pg_n, per_article, pg_url, schema


def fill(store, docs: list[Document], n: int) -> float:
    t = time.perf_counter()
    pos = 0
    while store.count_documents() < n and pos < len(docs):
        chunk = docs[pos:pos + n - store.count_documents()]
        store.add_documents(chunk, batch_size=500)
        pos += len(chunk)
    if hasattr(store, "refresh_statistics"):  # PostgreSQL: planner statistics after the load
        store.refresh_statistics()
    return time.perf_counter() - t


def make_queries(docs: list[Document], names: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    third = n // 3
    out = [rng.choice(names) for _ in range(third)] if names else []
    while len(out) < 2 * third:
        words = [w for w in rng.choice(docs).title.split() if len(w) > 2 and w.isalpha()]
        if len(words) < 3:
            continue
        if len(out) % 2:
            i = rng.randrange(len(words) - 1)
            out.append(f'"{words[i]} {words[i + 1]}"')
        else:
            out.append(" ".join(rng.sample(words, rng.randint(1, 3))))
    with open(QUESTIONS, encoding="utf-8") as fh:
        questions = [row[-1].lstrip("- ").strip() for row in csv.reader(fh, delimiter="\t")
                     if row and row[0] != "qid"]
    rng.shuffle(questions)
    out += questions[:n - len(out)]
    return out


def time_queries(store, queries: list[str]) -> tuple[list[float], float]:
    for q in queries:  # warm-up
        try:
            store.search(SearchQuery(q))
        except QueryError:
            pass
    times, hits = [], 0
    for q in queries:
        t = time.perf_counter()
        try:
            hits += len(store.search(SearchQuery(q)))
        except QueryError:
            pass
        times.append((time.perf_counter() - t) * 1000)
    return times, hits / len(queries)


def known_item_mrr(store, items: list[Document]) -> float:
    total = 0.0
    for doc in items:
        try:
            ids = [h.id for h in store.search(SearchQuery(doc.title, limit=10))]
        except QueryError:
            ids = []
        if doc.id in ids:
            total += 1 / (ids.index(doc.id) + 1)
    return total / len(items)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg", default=os.environ.get("RASID_BENCH_PG_URL"), help="PostgreSQL URL")
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--ingest", type=int, default=1000, help="articles analysed and stored (part 1)")
    ap.add_argument("--docs", type=int, default=10_000, help="articles searched (part 2)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--analysed", default=None, metavar="FILE",
                    help="reuse the part 1 analysis saved in FILE (written there when missing)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="store part 1 this many times per engine, alternating; medians")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    if not args.pg:
        sys.exit("bench_engines: give --pg postgresql://... (or RASID_BENCH_PG_URL)")
    tmp = tempfile.TemporaryDirectory(dir=args.workdir)
    print(pg_settings(args.pg), "| SQLite WAL, synchronous=NORMAL", flush=True)

    docs = read_docs(args.data, int(max(args.ingest, args.docs) * 1.05))  # the store finds a few more duplicates
    # -- part 1: ingest ------------------------------------------------------------------
    names: list[str] = []
    if args.ingest:
        analysed, analyse_s = analyse_docs(docs[:args.ingest], args.analysed)
        n = len(analysed)
        print(f"analysis: {n} articles in {analyse_s:.1f}s ({n / analyse_s:.1f} articles/s, shared"
              f"{', read from ' + args.analysed if args.analysed else ''})", flush=True)
        lite_times, pg_times, lite_n, pg_n, per_article, pg_url, schema = store_rounds(
            os.path.join(tmp.name, "ingest.db"), args.pg, analysed, args.batch, args.rounds)
        lite_s, pg_s = statistics.median(lite_times), statistics.median(pg_times)
        print(f"PostgreSQL statements per stored article (executemany counted once): {per_article:.1f}")
        try:
            with open_store(pg_url) as pg:
                names = [e["canonical"] for e in pg.top_entities(limit=300)]
                stories = len(pg.list_stories(limit=1000))
        finally:
            drop_pg(args.pg, schema)
        with open_store(os.path.join(tmp.name, "ingest.db")) as lite:
            lite_stories = len(lite.list_stories(limit=1000))
        print(f"store only (median of {args.rounds} alternating rounds): SQLite "
              f"{lite_n / lite_s:.1f} articles/s ({lite_s:.1f}s), PostgreSQL "
              f"{pg_n / pg_s:.1f} articles/s ({pg_s:.1f}s); PostgreSQL/SQLite time ratio {pg_s / lite_s:.2f}")
        print(f"full ingest (analysis + store): SQLite {n / (analyse_s + lite_s):.2f} articles/s, "
              f"PostgreSQL {n / (analyse_s + pg_s):.2f} articles/s; time ratio "
              f"{(analyse_s + pg_s) / (analyse_s + lite_s):.3f}")
        print(f"stored: SQLite {lite_n}, PostgreSQL {pg_n}; stories (up to 1000 listed): "
              f"SQLite {lite_stories}, PostgreSQL {stories}", flush=True)

    # -- part 2: search --------------------------------------------------------------------
    if args.docs:
        lite = open_store(os.path.join(tmp.name, "search.db"))
        pg_url, schema = fresh_pg(args.pg)
        try:
            pg = open_store(pg_url)
            for label, store in (("SQLite", lite), ("PostgreSQL", pg)):
                s = fill(store, docs, args.docs)
                print(f"{label}: {store.count_documents()} articles stored for search in {s:.1f}s "
                      f"({store.count_documents() / s:.0f} articles/s)", flush=True)
            queries = make_queries(docs[:args.docs], names, args.queries, args.seed)
            items = random.Random(args.seed + 1).sample(
                [d for d in docs[:args.docs] if lite.get_document(d.id) is not None and d.title.strip()],
                min(200, args.docs))
            for label, store in (("SQLite", lite), ("PostgreSQL", pg)):
                times, hits = time_queries(store, queries)
                mrr = known_item_mrr(store, items)
                print(f"{label} search over {store.count_documents()} articles, {len(queries)} queries "
                      f"({hits:.1f} hits/query): p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms, "
                      f"mean {statistics.mean(times):.1f} ms; known-item MRR@10 {mrr:.3f} "
                      f"({len(items)} titles)", flush=True)
            pg.close()
        finally:
            drop_pg(args.pg, schema)
            lite.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
