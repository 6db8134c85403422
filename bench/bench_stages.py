"""CPU time of each pipeline stage but NER, for several source trees, rounds alternated; and
whether their output is the same.

    nice python bench/bench_stages.py --src BEFORE/src AFTER/src [--n 1000] [--rounds 3]

The first N SaudiNewsNet records are read, tokenised and tagged once (with the first tree;
NER is another bench's: `bench/bench_ner.py`) and kept in a temporary pickle. Each round then
runs, for each tree in turn in a fresh process, the tokenize stage again on every article
(on a copy, its tokens and sentences compared with the kept ones) and the other stages
(resolve, dates, places, events, summarise) after the kept NER layer, timing each stage call
with `time.process_time`. The trees alternate round by round, so a load that changes during
the run weighs on each alike; the table gives each tree's median per stage and the ratio of
the last tree to the first. Every tree's layers (and `doc.meta`) are written out and compared:
the bench says which articles differ, if any. The objects read from the pickle are frozen
out of the collector's reach (`gc.freeze`), as a worker's models are; the collector's own
CPU time is counted inside the stage that set it off, and reported apart too.

(`bench/profile_ingest.py --src` measures full ingest, store and archive steps included, one
tree after the other: on a machine whose load moves, compare its trees with care.)
"""
from __future__ import annotations

import argparse
import gc
import gzip
import hashlib
import itertools
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
STAGES = ("tokenize", "resolve", "dates", "places", "events", "summarise")


def build_cache(corpus: Path, n: int, cache: Path) -> None:
    """The first `n` records, read and run through tokenize and NER, pickled to `cache`."""
    from rasid.doc import Document
    from rasid.ingest.jsonl import read_jsonl
    from rasid.stages import build_pipeline

    sample = cache.with_suffix(".jsonl")
    with gzip.open(corpus, "rb") as fh:
        sample.write_bytes(b"".join(itertools.islice(fh, n)))
    docs = [d for d in read_jsonl(sample) if isinstance(d, Document)]
    pipeline = build_pipeline(("tokenize", "ner"), strict=False)
    pickle.dump([pipeline(d) for d in docs], cache.open("wb"))


def token_rows(tokens: list) -> list[tuple]:
    return [(t.start, t.end, t.text, t.kind, t.norm, t.clitic, t.article, t.base, t.base_start)
            for t in tokens]


def run_tree(cache: Path, out: Path) -> None:
    """One round of one tree (the tree on PYTHONPATH): CPU per stage into `out` (JSON), and
    a hash of each article's output."""
    from rasid.doc import Document
    from rasid.stages import build_pipeline

    docs = pickle.load(cache.open("rb"))
    pipeline = build_pipeline(("tokenize", "ner") + STAGES[1:], strict=False)
    stages = {s.name: s for s in pipeline.stages}
    gc.collect()
    gc.freeze()
    gc_cpu, started = [0.0], [0.0]

    def count_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            gc_cpu[0] += time.process_time() - started[0]
    gc.callbacks.append(count_gc)
    cpu = dict.fromkeys(STAGES, 0.0)
    hashes = []
    for doc in docs:
        fresh = Document(text=doc.text, title=doc.title, url=doc.url)
        c0 = time.process_time()
        pipeline.run_stage(stages["tokenize"], fresh)
        cpu["tokenize"] += time.process_time() - c0
        same = token_rows(fresh.tokens) == token_rows(doc.tokens) and \
            [s.to_dict() for s in fresh.sentences] == [s.to_dict() for s in doc.sentences]
        for name in STAGES[1:]:
            c0 = time.process_time()
            doc = pipeline.run_stage(stages[name], doc)
            cpu[name] += time.process_time() - c0
        layers = json.dumps([doc.to_dict(with_text=False)["layers"], doc.meta], sort_keys=True,
                            ensure_ascii=False)
        hashes.append(hashlib.sha1(layers.encode()).hexdigest() + ("" if same else " tokens differ"))
    out.write_text(json.dumps({"cpu": cpu, "gc": gc_cpu[0], "hashes": hashes}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, nargs="+", required=True, help="source trees")
    ap.add_argument("--n", type=int, default=1000, help="SaudiNewsNet records (default 1000)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every tree (default 3)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)  # CACHE OUT
    ap.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # CACHE
    args = ap.parse_args()
    if args.child:
        return run_tree(*args.child)
    if args.build:
        return build_cache(args.corpus, args.n, args.build)
    runs: list[list[dict]] = [[] for _ in args.src]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "tagged.pkl"

        def child(tree: Path, *extra: str) -> None:
            subprocess.run([sys.executable, __file__, "--src", str(tree), *extra],
                           env=dict(os.environ, PYTHONPATH=str(tree)), check=True)
        child(args.src[0], "--n", str(args.n), "--corpus", str(args.corpus), "--build", str(cache))
        for r in range(args.rounds):
            for k, tree in enumerate(args.src):
                out = Path(tmp) / f"{r}-{k}.json"
                child(tree, "--child", str(cache), str(out))
                runs[k].append(json.loads(out.read_text()))
                print(f"round {r + 1}, [{k}] {tree}: " + ", ".join(
                    f"{s} {runs[k][-1]['cpu'][s]:.2f}" for s in STAGES), flush=True)
    n_docs = len(runs[0][0]["hashes"])
    print(f"\nCPU s over {n_docs} articles, median of {args.rounds} rounds; trees: "
          + ", ".join(f"[{k}] {t}" for k, t in enumerate(args.src)))
    print(f"{'stage':<12}" + "".join(f"{f'[{k}]':>10}" for k in range(len(runs))) + f"{'ratio':>8}")
    rows = [(s, [statistics.median(r["cpu"][s] for r in tree_runs) for tree_runs in runs]) for s in STAGES]
    rows.append(("all", [statistics.median(sum(r["cpu"].values()) for r in tree_runs) for tree_runs in runs]))
    rows.append(("(collector)", [statistics.median(r["gc"] for r in tree_runs) for tree_runs in runs]))
    for name, cpu in rows:
        print(f"{name:<12}" + "".join(f"{c:>10.2f}" for c in cpu) + (f"{cpu[-1] / cpu[0]:>8.2f}" if cpu[0] else ""))
    first = runs[0][0]["hashes"]
    for k, tree_runs in enumerate(runs):
        differ = [i for i, h in enumerate(tree_runs[0]["hashes"]) if h != first[i]]
        print(f"[{k}] output: " + ("the same as [0] on every article" if not differ else
                                   f"{len(differ)} articles differ from [0] (first: {differ[:5]})"))


if __name__ == "__main__":
    main()
