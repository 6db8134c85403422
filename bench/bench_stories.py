"""Cost per new article of the near-duplicate + story hooks at archive sizes 1k, 10k, 100k.

    nice python bench/bench_stories.py [--sizes 1000,10000,100000] [--probe 200] [--db PATH]

How the archive is built (fast, not the full pipeline):
* SaudiNewsNet (~30k articles, 21 Jul - 17 Aug 2015), sorted by date; every 33rd article
  is held out as a probe (a new set of `probe` articles for each size). The rest form the base.
* Archive article i is base article ``i mod n_base`` shifted by ``(i div n_base)`` times
  the corpus span, so the archive grows in time at the corpus' own rate (~1,000 articles
  a day) instead of getting denser: 1k ~ 1 day, 10k ~ 10 days, 100k ~ 3.5 months.
  Copies after the first pass are synthetic variants: 20% of their vector terms dropped,
  and their MinHash signature XOR-ed with a per-pass constant (so they are not
  near-duplicates of the base, while near-duplicates within one pass stay such).
* Rows are inserted straight into ``articles`` (no FTS, no NER: no entities) and the
  story/near-duplicate state is built by the same `StoryTracker.assign` and LSH code the
  hooks use. Vectors come from the `tokenize` stage only.

Measured: `probe` held-out real articles, dated at the archive's latest time (so they
meet the busiest window), go through ``store.add_documents`` (the store's own cost, shown
apart) and then the two hooks, one batch of 50 at a time, as `Monitor` runs them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta

import numpy as np

from rasid.doc import Document
from rasid.ingest.records import parse_published
from rasid.stages import build_pipeline
from rasid.stories.neardup import NearDuplicateDetector, compute_band_keys, compute_signature
from rasid.stories.tracker import StoryTracker, compute_doc_vector, convert_doc_time
from rasid.store import Store, open_store

DATA = os.environ.get("RASID_SHARED_DATA", "/work/shared/data")
FMT = "%Y-%m-%dT%H:%M:%S"


def load_corpus() -> list[dict]:
    path = os.path.join(DATA, "news", "saudinewsnet", "saudinewsnet.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if (r.get("content") or "").strip()]
    for r in rows:
        r["published"] = convert_doc_time(Document("", published=parse_published(r["date_extracted"])))
    rows.sort(key=lambda r: (r["published"], r["url"]))
    return rows


class Base:
    """Vectors and signatures of base articles, computed once, lazily."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.tok = build_pipeline(("tokenize",))
        self.cache: dict[int, tuple] = {}

    def get(self, j: int):
        if j not in self.cache:
            r = self.rows[j]
            doc = self.tok(Document(r["content"][:3000], title=r["title"]))
            self.cache[j] = (compute_doc_vector(doc), compute_signature(r["content"]))
        return self.cache[j]


def grow(store: Store, base: Base, start: int, stop: int, span: timedelta,
         detector: NearDuplicateDetector, tracker: StoryTracker) -> None:
    rng = random.Random(start)
    n_base = len(base.rows)
    for lo in range(start, stop, 1000):
        with store.transaction():
            for i in range(lo, min(stop, lo + 1000)):
                j, k = i % n_base, i // n_base
                r = base.rows[j]
                vec, sig = base.get(j)
                when = (datetime.fromisoformat(r["published"]) + k * span).strftime(FMT)
                if k:
                    keep = [t for t in vec if rng.random() > 0.2]
                    vec = {t: vec[t] for t in keep}
                    if sig is not None:
                        sig = sig ^ np.uint32((k * 2654435761) & 0xFFFFFFFF)
                aid = f"b{i:07d}"
                store.import_records("articles", [{  # a stand-in article: no text to index
                    "id": aid, "url": f"{r['url']}#{k}", "title": "", "text": aid, "source": r["source"],
                    "published": when, "layers": {}, "meta": {}, "images": []}])
                dup = None
                if sig is not None:
                    keys = compute_band_keys(sig)
                    best = detector.find_best(store, sig, keys)
                    store.add_signature(aid, sig.astype("<u4").tobytes(), keys)
                    if best:
                        store.add_near_duplicate(aid, best[0], best[1])
                        dup = best
                if dup is None or tracker._join_duplicate(store, aid, when, dup) is None:
                    tracker.assign(store, aid, r["title"], when, vec, {})


def probe(store: Store, probes: list[dict], when: str, tag: str, detector, tracker,
          batch: int = 50) -> tuple[float, float]:
    """``(ms per article for the hooks, ms per article for add_documents)``."""
    tok = build_pipeline(("tokenize",))
    docs = [tok(Document(r["content"], title=r["title"], url=f"{r['url']}#probe-{tag}",
                         source=r["source"], published=when)) for r in probes]
    t_hooks = t_store = 0.0
    for i in range(0, len(docs), batch):
        chunk = docs[i:i + batch]
        t0 = time.perf_counter()
        with store.transaction():
            report = store.add_documents(chunk)
            t1 = time.perf_counter()
            stored = {o.id for o in report.outcomes if o.outcome == "stored"}
            chunk = [d for d in chunk if d.id in stored]
            detector.process(store, chunk)
            tracker.process(store, chunk)
        t2 = time.perf_counter()
        t_store += t1 - t0
        t_hooks += t2 - t1
    return 1000 * t_hooks / len(docs), 1000 * t_store / len(docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--probe", type=int, default=200)
    ap.add_argument("--db", default=None, help="archive file (default: a temporary file)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    t_start = time.time()
    rows = load_corpus()
    held = rows[::33][:args.probe * len(sizes)]  # a fresh probe set per size
    held_urls = {r["url"] for r in held}
    base = Base([r for r in rows if r["url"] not in held_urls])
    first, last = base.rows[0]["published"], base.rows[-1]["published"]
    span = datetime.fromisoformat(last) - datetime.fromisoformat(first) + timedelta(days=1)
    tmp = tempfile.TemporaryDirectory()
    store = open_store(args.db or os.path.join(tmp.name, "bench.db"))
    detector, tracker = NearDuplicateDetector(), StoryTracker()
    print(f"base {len(base.rows)} SaudiNewsNet articles over {span.days} days; {len(held)} probes; "
          "tokenize stage only (no NER, so no entities)")
    print(f"{'archive':>8} {'hooks ms/art':>13} {'store ms/art':>13} {'stories':>8} {'build s':>8}")
    results = {}
    done = 0
    for size in sizes:
        t0 = time.time()
        grow(store, base, done, size, span, detector, tracker)
        done = size
        latest = store.list_stories(limit=1)[0]["last_published"]
        part = held[len(results) * args.probe:(len(results) + 1) * args.probe]
        hooks_ms, store_ms = probe(store, part, latest, str(size), detector, tracker)
        n_stories = sum(1 for _ in store.iter_records("stories"))
        results[size] = hooks_ms
        print(f"{size:>8} {hooks_ms:>13.2f} {store_ms:>13.2f} {n_stories:>8} {time.time() - t0:>8.0f}",
              flush=True)
    if len(sizes) > 1:
        print(f"ratio {sizes[-1]}/{sizes[0]} (hooks): {results[sizes[-1]] / results[sizes[0]]:.2f}")
    print(f"({time.time() - t_start:.0f}s)")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
