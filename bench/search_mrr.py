"""Choose the search analyzer by measurement: title-as-query MRR@10 on SaudiNewsNet.

Each article's title is the query; only bodies are indexed; the article's own body is the
one relevant result. Every variant uses the same SQLite FTS5 index shape as the store
(space-joined analysed terms, ``unicode61 remove_diacritics 0``, ``bm25()``), the query is
the OR of the title's analysed terms. Lucene's ArabicAnalyzer with BM25 (Lucene 9 in
pyserini's fat jar, driven through pyjnius) runs on the same sample as the peer.

    python bench/search_mrr.py                       # 10k articles, 1000 queries
    PYTHONPATH=/tmp/pyserini_pkgs python bench/search_mrr.py   # + Lucene
    (install: pip install --no-deps --target /tmp/pyserini_pkgs pyserini==0.22.1 pyjnius)

pyserini is only used here; it is not a dependency of rasid.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import importlib.util
import json
import os
import random
import sqlite3
import sys
import time
from typing import Callable

from rasid.arabic.normalize import normalize_key
from rasid.arabic.stem import stem_light10, stem_snowball
from rasid.search.analyzer import TERM_RE, Analyzer, get_analyzer

DATA = "/work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def load_sample(path: str, n_docs: int, n_queries: int, seed: int) -> tuple[list[dict], list[int]]:
    """A fixed random sample of articles with a body and a title unique in the corpus."""
    rows, title_count = [], {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            title, body = (r.get("title") or "").strip(), (r.get("content") or "").strip()
            if not title or len(body) < 200:
                continue
            key = " ".join(normalize_key(title).split())
            title_count[key] = title_count.get(key, 0) + 1
            rows.append({"title": title, "body": body, "key": key})
    rows = [r for r in rows if title_count[r["key"]] == 1]
    rng = random.Random(seed)
    docs = rng.sample(rows, min(n_docs, len(rows)))
    queries = sorted(rng.sample(range(len(docs)), min(n_queries, len(docs))))
    return docs, queries


def surfaces(text: str) -> list[str]:
    return TERM_RE.findall(text)


def _alnum(w: str) -> str:
    return "".join(c for c in w if c.isalnum())


def make_term_funcs() -> dict[str, Callable[[str], str]]:
    exact = Analyzer("none").analyze_word
    shipped = get_analyzer().analyze_word
    funcs = {
        "none (normalised surface)": lambda w: _alnum(normalize_key(w)),
        "clitic split (exact form)": lambda w: exact(w)[0],
        "light10": lambda w: _alnum(stem_light10(_alnum(normalize_key(w)))),
        "snowball": lambda w: _alnum(stem_snowball(_alnum(normalize_key(w)))),
        "light10(clitic split)": lambda w: stem_light10(exact(w)[0]) if exact(w)[0] else "",
        "snowball(clitic split)": lambda w: _alnum(stem_snowball(exact(w)[0])) if exact(w)[0] else "",
        # the shipped analyzer's stem: Snowball on the clitic-split form, whose one-letter
        # proclitics the stem also loses where the lexicon says so (`strip_bare_proclitic`)
        "shipped stem": lambda w: shipped(w)[1],
    }
    cache: dict[str, dict[str, str]] = {k: {} for k in funcs}

    def cached(name: str, f: Callable[[str], str]) -> Callable[[str], str]:
        c = cache[name]

        def g(w: str) -> str:
            v = c.get(w)
            if v is None:
                v = c[w] = f(w) or ""
            return v
        return g
    return {k: cached(k, f) for k, f in funcs.items()}


def quote(t: str) -> str:
    return '"' + t.replace('"', '""') + '"'


def run_fts(doc_words: list[list[str]], query_words: list[list[str]], targets: list[int],
            cols: list[Callable[[str], str]], weights: list[float]) -> float:
    """MRR@10 of an FTS5 index whose columns are given by term functions."""
    con = sqlite3.connect(":memory:")
    names = [f"c{i}" for i in range(len(cols))]
    con.execute(f"CREATE VIRTUAL TABLE f USING fts5({', '.join(names)}, "
                "tokenize='unicode61 remove_diacritics 0')")
    con.executemany(
        f"INSERT INTO f(rowid, {', '.join(names)}) VALUES (?, {', '.join('?' * len(cols))})",
        ((i, *(" ".join(t for t in map(f, ws) if t) for f in cols)) for i, ws in enumerate(doc_words)))
    rr = 0.0
    wsql = ", ".join(str(w) for w in weights)
    for words, target in zip(query_words, targets):
        clauses = []
        seen = set()
        for w in words:
            forms = tuple(f(w) for f in cols)
            if not all(forms) or forms in seen:
                continue
            seen.add(forms)
            clauses.append("(" + " OR ".join(f"{n} : {quote(t)}" for n, t in zip(names, forms)) + ")")
        if not clauses:
            continue
        rows = con.execute(f"SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f, {wsql}) LIMIT 10",
                           (" OR ".join(clauses),)).fetchall()
        for rank, (rowid,) in enumerate(rows, 1):
            if rowid == target:
                rr += 1.0 / rank
                break
    con.close()
    return rr / len(targets)


def run_store(docs: list[dict], queries: list[int], plain: bool = False, **settings) -> float:
    """MRR@10 of rasid's own search as shipped: bodies in a `SqliteStore`, each title run
    through the real parser, plan and engine (`search_store`). A title's ASCII double quotes
    make a strict phrase there, as a user's would; `plain` removes them first."""
    from rasid.doc import Document
    from rasid.search.searcher import search_store
    from rasid.store.base import SearchQuery
    from rasid.store.sqlite import SqliteStore

    from rasid.doc import compute_content_hash

    store = SqliteStore(":memory:")
    store.add_documents(Document(d["body"], id=f"d{i}") for i, d in enumerate(docs))
    stored_as: dict[str, str] = {}  # a body stored twice is kept once, under its first id
    for i, d in enumerate(docs):
        stored_as.setdefault(compute_content_hash(d["body"]), f"d{i}")
    rr = 0.0
    for target in queries:
        title = docs[target]["title"].replace('"', " ") if plain else docs[target]["title"]
        hits = search_store(store, SearchQuery(title, limit=10, expand=False), **settings)
        ids = [h.id for h in hits]
        want = stored_as[compute_content_hash(docs[target]["body"])]
        if want in ids:
            rr += 1.0 / (ids.index(want) + 1)
    store.close()
    return rr / len(queries)


def find_lucene_jar(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    spec = importlib.util.find_spec("pyserini")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        jars = sorted(glob.glob(os.path.join(loc, "resources", "jars", "*fatjar*.jar")))
        if jars:
            return jars[-1]
    return None


def start_lucene(jar: str):
    """Start the JVM on `jar` (once) and return the Lucene classes the benches use."""
    from types import SimpleNamespace

    if "JAVA_HOME" not in os.environ:
        java = os.path.realpath("/usr/bin/java")
        os.environ["JAVA_HOME"] = os.path.dirname(os.path.dirname(java))
    import jnius_config

    if not jnius_config.vm_running:
        jnius_config.set_classpath(jar)
    from jnius import autoclass, cast

    names = {
        "ArabicAnalyzer": "org.apache.lucene.analysis.ar.ArabicAnalyzer",
        "BM25": "org.apache.lucene.search.similarities.BM25Similarity",
        "Directory": "org.apache.lucene.store.ByteBuffersDirectory",
        "IWC": "org.apache.lucene.index.IndexWriterConfig",
        "IndexWriter": "org.apache.lucene.index.IndexWriter",
        "LDocument": "org.apache.lucene.document.Document",
        "TextField": "org.apache.lucene.document.TextField",
        "StringField": "org.apache.lucene.document.StringField",
        "StoredField": "org.apache.lucene.document.StoredField",
        "Store": "org.apache.lucene.document.Field$Store",
        "DirectoryReader": "org.apache.lucene.index.DirectoryReader",
        "IndexSearcher": "org.apache.lucene.search.IndexSearcher",
        "QueryParser": "org.apache.lucene.queryparser.classic.QueryParser",
        "BooleanQuery": "org.apache.lucene.search.BooleanQuery",
    }
    return SimpleNamespace(cast=cast, **{k: autoclass(v) for k, v in names.items()})


def run_lucene(jar: str, docs: list[dict], queries: list[int]) -> float:
    """MRR@10 of Lucene's ArabicAnalyzer + BM25 (k1=1.2, b=0.75), in memory."""
    J = start_lucene(jar)
    ArabicAnalyzer, BM25, Directory, IWC = J.ArabicAnalyzer, J.BM25, J.Directory, J.IWC
    IndexWriter, LDocument, TextField, StoredField = J.IndexWriter, J.LDocument, J.TextField, J.StoredField
    Store, DirectoryReader, IndexSearcher = J.Store, J.DirectoryReader, J.IndexSearcher
    QueryParser, BooleanQuery, cast = J.QueryParser, J.BooleanQuery, J.cast

    analyzer = ArabicAnalyzer()
    directory = Directory()
    cfg = IWC(analyzer)
    cfg.setSimilarity(BM25())
    writer = IndexWriter(directory, cfg)
    for i, d in enumerate(docs):
        ld = LDocument()
        ld.add(StoredField("id", i))
        ld.add(TextField("body", d["body"], Store.NO))
        writer.addDocument(ld)
    writer.commit()
    writer.close()
    reader = cast("org.apache.lucene.index.IndexReader", DirectoryReader.open(directory))
    searcher = IndexSearcher(reader)
    searcher.setSimilarity(BM25())
    BooleanQuery.setMaxClauseCount(4096)
    parser = QueryParser("body", analyzer)
    rr = 0.0
    for target in queries:
        q = parser.parse(QueryParser.escape(docs[target]["title"]))
        hits = searcher.search(q, 10).scoreDocs
        for rank, hit in enumerate(hits, 1):
            if int(searcher.storedFields().document(hit.doc).get("id")) == target:
                rr += 1.0 / rank
                break
    return rr / len(queries)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--lucene-jar", default=None, help="Lucene/Anserini fat jar (default: pyserini's)")
    ap.add_argument("--no-lucene", action="store_true")
    ap.add_argument("--window", type=int, default=None, help="override the plan's scoring window")
    ap.add_argument("--msm-share", type=float, default=None, help="override min-should-match share")
    ap.add_argument("--no-fill", action="store_true",
                    help="store run: no fill-up below the strict matches (as before it)")
    ap.add_argument("--plain-titles", action="store_true",
                    help="store run: remove ASCII double quotes from titles (no phrases)")
    ap.add_argument("--with-iv", action="store_true",
                    help="with --store-only: also the FTS variant (iv) as the analyzer study ran it")
    ap.add_argument("--store-only", action="store_true",
                    help="only rasid's shipped search through the store (and Lucene)")
    args = ap.parse_args(argv)

    t0 = time.time()
    docs, queries = load_sample(args.data, args.docs, args.queries, args.seed)
    doc_words = [surfaces(d["body"]) for d in docs]
    query_words = [surfaces(docs[i]["title"]) for i in queries]
    print(f"sample: {len(docs)} articles, {len(queries)} title queries (seed {args.seed}); "
          f"loaded in {time.time() - t0:.1f}s", flush=True)

    f = make_term_funcs()
    variants: list[tuple[str, list[Callable[[str], str]], list[float]]] = [
        ("(i) none: normalised surface form", [f["none (normalised surface)"]], [1.0]),
        ("none + clitic split (exact form)", [f["clitic split (exact form)"]], [1.0]),
        ("(ii) light10", [f["light10"]], [1.0]),
        ("(iii) snowball (PyStemmer)", [f["snowball"]], [1.0]),
        ("light10 on clitic-split form", [f["light10(clitic split)"]], [1.0]),
        ("snowball on clitic-split form", [f["snowball(clitic split)"]], [1.0]),
        ("light10 + exact (2 columns)", [f["light10"], f["clitic split (exact form)"]], [1.0, 1.0]),
        ("snowball + exact (2 columns)",
         [f["snowball"], f["clitic split (exact form)"]], [1.0, 1.0]),
        ("snowball + exact, exact weight 0.5",
         [f["snowball"], f["clitic split (exact form)"]], [1.0, 0.5]),
        ("(iv) shipped analyzer: its stem + exact (2 columns)",
         [f["shipped stem"], f["clitic split (exact form)"]], [1.0, 1.0]),
        ("snowball(clitic split) + exact, exact weight 0.5",
         [f["snowball(clitic split)"], f["clitic split (exact form)"]], [1.0, 0.5]),
    ]
    results: list[tuple[str, float, float]] = []
    t = time.time()
    overrides = {k: v for k, v in (("window", args.window), ("msm_share", args.msm_share)) if v is not None}
    if args.no_fill:
        overrides["fill"] = False
    mrr = run_store(docs, queries, plain=args.plain_titles, **overrides)
    label = "rasid search as shipped (store, parser, plan)" + (
        ", titles without quotes" if args.plain_titles else "") + (f" {overrides}" if overrides else "")
    results.append((label, mrr, time.time() - t))
    print(f"  {results[-1][0]:48s} MRR@10 {mrr:.4f}  ({time.time() - t:.1f}s)", flush=True)
    if args.store_only:
        variants = [v for v in variants if v[0].startswith("(iv)")] if args.with_iv else []
    for name, cols, weights in variants:
        t = time.time()
        mrr = run_fts(doc_words, query_words, queries, cols, weights)
        results.append((name, mrr, time.time() - t))
        print(f"  {name:48s} MRR@10 {mrr:.4f}  ({time.time() - t:.1f}s)", flush=True)

    if not args.no_lucene:
        jar = find_lucene_jar(args.lucene_jar)
        if jar is None:
            print("  Lucene: skipped (pyserini not importable; see the docstring)")
        else:
            t = time.time()
            try:
                mrr = run_lucene(jar, docs, queries)
                results.append(("Lucene 9 ArabicAnalyzer + BM25 (peer)", mrr, time.time() - t))
                print(f"  {'Lucene 9 ArabicAnalyzer + BM25 (peer)':48s} MRR@10 {mrr:.4f}  "
                      f"({time.time() - t:.1f}s)", flush=True)
            except Exception as exc:  # report, do not hide
                print(f"  Lucene failed: {type(exc).__name__}: {exc}", file=sys.stderr)

    print()
    print("| analyzer | MRR@10 | seconds |")
    print("|---|---:|---:|")
    for name, mrr, secs in results:
        print(f"| {name} | {mrr:.4f} | {secs:.1f} |")


if __name__ == "__main__":
    main()
