"""Questions as queries: rasid search against Lucene's ArabicAnalyzer + BM25 on ARCD.

ARCD's train split re-cast as passage retrieval (/work/shared/data/search/arcd-train: 231
Arabic Wikipedia passages, 693 crowd-written questions, one relevant passage each). Every
passage is stored in an in-memory `SqliteStore` (title + text) and each question runs
through `Store.search` exactly as a user's query does (the real parser, stopwords, plan
and engine). The peer is Lucene 9 (pyserini 0.22.1's fat jar through pyjnius) with
``ArabicAnalyzer`` and ``BM25Similarity(1.2, 0.75)``, indexing title and text in one field,
the question parsed by ``QueryParser`` (OR of its terms).

Ranking settings are chosen by cross-validation: the questions are split into `--folds`
folds by passage (a passage's three questions stay together); for each fold the best grid
point on the other folds is chosen and measured on it. The pooled held-out figure is what
to compare with Lucene. The shipped setting and Lucene are also reported on two halves of
the questions split by article (a Wikipedia article's three passages stay together, seed
5): query-side changes (question words) were chosen on half A and are reported on half B.

    PYTHONPATH=src:/tmp/pyserini_pkgs python bench/search_arcd.py
    (install: pip install --no-deps --target /tmp/pyserini_pkgs pyserini==0.22.1 pyjnius)
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rasid.doc import Document  # noqa: E402
from rasid.search.query import QueryError  # noqa: E402
from rasid.search.searcher import search_store  # noqa: E402
from rasid.store.base import SearchQuery  # noqa: E402
from rasid.store.sqlite import SqliteStore  # noqa: E402

DATA = "/work/shared/data/search/arcd-train"


def load_arcd(folder: str) -> tuple[list[dict], list[tuple[str, str]], dict[str, str]]:
    with open(os.path.join(folder, "corpus.jsonl"), encoding="utf-8") as fh:
        corpus = [json.loads(line) for line in fh if line.strip()]
    with open(os.path.join(folder, "queries.tsv"), encoding="utf-8") as fh:
        next(fh)
        queries = [tuple(line.rstrip("\n").split("\t", 1)) for line in fh if line.strip()]
    qrels = {}
    with open(os.path.join(folder, "qrels.txt"), encoding="utf-8") as fh:
        for line in fh:
            qid, _, pid, rel = line.split()
            if int(rel) > 0:
                qrels[qid] = pid
    return corpus, queries, qrels


def reciprocal_ranks(ranked: list[list[str]], targets: list[str]) -> list[tuple[float, bool]]:
    """Per query ``(RR@10, found in top 10)``."""
    out = []
    for ids, target in zip(ranked, targets):
        ids = ids[:10]
        out.append((1.0 / (ids.index(target) + 1), True) if target in ids else (0.0, False))
    return out


def summarise(rr: list[tuple[float, bool]]) -> tuple[float, float]:
    return sum(r for r, _ in rr) / len(rr), sum(f for _, f in rr) / len(rr)


def run_rasid(store: SqliteStore, queries: list[tuple[str, str]], **settings) -> list[list[str]]:
    """Per query the ids of the first ten hits of `search_store`, as a user gets them."""
    out = []
    for _, text in queries:
        try:
            out.append([h.id for h in search_store(store, SearchQuery(text, limit=10), **settings)])
        except QueryError:
            out.append([])
    return out


def run_lucene(jar: str, corpus: list[dict], queries: list[tuple[str, str]]) -> list[list[str]]:
    from search_mrr import start_lucene  # the JVM set-up shared with the known-item bench

    J = start_lucene(jar)
    analyzer = J.ArabicAnalyzer()
    directory = J.Directory()
    cfg = J.IWC(analyzer)
    cfg.setSimilarity(J.BM25(1.2, 0.75))
    writer = J.IndexWriter(directory, cfg)
    for d in corpus:
        ld = J.LDocument()
        ld.add(J.StringField("id", d["pid"], J.Store.YES))
        ld.add(J.TextField("body", d["title"] + "\n" + d["text"], J.Store.NO))
        writer.addDocument(ld)
    writer.commit()
    writer.close()
    reader = J.cast("org.apache.lucene.index.IndexReader", J.DirectoryReader.open(directory))
    searcher = J.IndexSearcher(reader)
    searcher.setSimilarity(J.BM25(1.2, 0.75))
    J.BooleanQuery.setMaxClauseCount(4096)
    parser = J.QueryParser("body", analyzer)
    out = []
    for _, text in queries:
        q = parser.parse(J.QueryParser.escape(text))
        hits = searcher.search(q, 10).scoreDocs
        out.append([searcher.storedFields().document(h.doc).get("id") for h in hits])
    return out


GRID = {
    "title": [1.0, 2.0, 3.0, 5.0],
    "exact": [0.5, 1.0, 2.0],
    "msm_share": [0.0, 0.34, 0.5],
}
SHIPPED = (3.0, 1.0, 0.34)


def describe(point: tuple) -> str:
    title, exact, share = point
    return f"title {title:g}, exact/stem {exact:g}, msm share {share:g}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--lucene-jar", default=None)
    ap.add_argument("--no-lucene", action="store_true")
    ap.add_argument("--top", type=int, default=15, help="settings listed")
    ap.add_argument("--no-fill", action="store_true",
                    help="no fill-up below the strict matches (as before it)")
    ap.add_argument("--grid", choices=["full", "small"], default="full",
                    help="small: title weight 3, exact 1, msm share 0/0.34 (a quick check)")
    args = ap.parse_args(argv)

    if args.grid == "small":
        GRID.update(title=[3.0], exact=[1.0], msm_share=[0.0, 0.34])
    corpus, queries, qrels = load_arcd(args.data)
    targets = [qrels[qid] for qid, _ in queries]
    store = SqliteStore(":memory:")
    store.add_documents(Document(d["text"], title=d["title"], id=d["pid"]) for d in corpus)
    print(f"ARCD train: {len(corpus)} passages, {len(queries)} questions", flush=True)

    t = time.time()
    results = {}
    for point in itertools.product(GRID["title"], GRID["exact"], GRID["msm_share"]):
        title, exact, share = point
        print(f"  {describe(point)} ({time.time() - t:.0f}s)", flush=True)
        ranked = run_rasid(store, queries, weights=(title, title * exact, 1.0, exact),
                           msm_share=share, fill=not args.no_fill)
        results[describe(point)] = (point, reciprocal_ranks(ranked, targets))
    print(f"grid of {len(results)} settings in {time.time() - t:.1f}s", flush=True)

    pids = sorted({d["pid"] for d in corpus})
    random.Random(args.seed).shuffle(pids)
    fold_of = {pid: i % args.folds for i, pid in enumerate(pids)}
    qfold = [fold_of[t] for t in targets]
    held_out: list[tuple[float, bool]] = []
    print("\n| fold | chosen on the other folds | held-out MRR@10 |")
    print("|---:|---|---:|")
    for k in range(args.folds):
        train = [i for i, f in enumerate(qfold) if f != k]
        test = [i for i, f in enumerate(qfold) if f == k]
        best = max(results, key=lambda name: (summarise([results[name][1][i] for i in train])[0],
                                              name == describe(SHIPPED)))
        fold_rr = [results[best][1][i] for i in test]
        held_out.extend(fold_rr)
        print(f"| {k} | {best} | {summarise(fold_rr)[0]:.4f} |")
    cv_mrr, cv_recall = summarise(held_out)

    print("\n| setting (all 693 questions) | MRR@10 | recall@10 |")
    print("|---|---:|---:|")
    for name, (_, rr) in sorted(results.items(), key=lambda kv: -summarise(kv[1][1])[0])[:args.top]:
        mrr, rec = summarise(rr)
        print(f"| {name} | {mrr:.4f} | {rec:.3f} |")
    shipped = summarise(results[describe(SHIPPED)][1])
    print(f"| shipped: {describe(SHIPPED)} | {shipped[0]:.4f} | {shipped[1]:.3f} |")
    print(f"| **rasid, cross-validated ({args.folds} folds, held-out pooled)** | **{cv_mrr:.4f}** | "
          f"**{cv_recall:.3f}** |")

    if not args.no_lucene:
        from search_mrr import find_lucene_jar

        jar = find_lucene_jar(args.lucene_jar)
        if jar is None:
            print("| Lucene: skipped (pyserini not importable; see the docstring) | | |")
        else:
            lucene = reciprocal_ranks(run_lucene(jar, corpus, queries), targets)
            mrr, rec = summarise(lucene)
            print(f"| Lucene 9 ArabicAnalyzer + BM25 (peer) | {mrr:.4f} | {rec:.3f} |")
            print(f"\nrasid (cross-validated) - Lucene: {cv_mrr - mrr:+.4f} MRR@10")
            print_halves(corpus, targets, results[describe(SHIPPED)][1], lucene)


def print_halves(corpus: list[dict], targets: list[str], rasid: list, lucene: list,
                 seed: int = 5) -> None:
    """The shipped setting and Lucene on two halves of the questions split by article."""
    titles = sorted({d["title"] for d in corpus})
    random.Random(seed).shuffle(titles)
    half_of = {t: i % 2 for i, t in enumerate(titles)}
    title_of = {d["pid"]: d["title"] for d in corpus}
    half = [half_of[title_of[t]] for t in targets]
    print("\n| half (by article) | questions | rasid shipped MRR@10 | Lucene MRR@10 | rasid - Lucene |")
    print("|---|---:|---:|---:|---:|")
    for k, name in enumerate("AB"):
        idx = [i for i, h in enumerate(half) if h == k]
        r, lu = summarise([rasid[i] for i in idx])[0], summarise([lucene[i] for i in idx])[0]
        print(f"| {name} | {len(idx)} | {r:.4f} | {lu:.4f} | {r - lu:+.4f} |")


if __name__ == "__main__":
    main()
