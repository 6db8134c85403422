"""Tagging speed of the shipped NER model on one core, features included.

    python bench/bench_ner.py [CONLL_FILE] [--sentences N] [--repeat R] [--articles N]
    python bench/bench_ner.py --articles 1000 --against OTHER/src
    python bench/bench_ner.py --articles 1000 --batch 1 4 16 64 [--parts]

Tags pre-tokenised sentences (default: the first 2,000 sentences of the ANERcorp train
part in ../shared/data) with a cold feature cache, sentence by sentence and as running text
(`--context 20`, what `rasid eval ner` does), then the pipeline stage (marginals
included) on the seed article, then the stage on the first N SaudiNewsNet articles
(default 300; tokenized first, not timed), and prints tokens/s and CPU ms per article;
the last lines: the cold figure with the model load counted in, and the cold figure alone.
Every figure is CPU time (`time.process_time`: the process is pinned to one core, so on a
quiet machine it is the wall time, and on a loaded one the steadier figure). Never
asserted in tests.

`--against DIR` (another checkout's ``src``, e.g. ``git archive 36f97a7 src | tar -x -C
/tmp/before``) compares instead: this checkout's NER stage and DIR's, each with its own
model load and caches, run in this one process over the same N articles, chunks of 50
alternating, so that a loaded machine slows both alike; it prints each one's CPU ms per
article, the ratio and whether their entities layers are the same. The tree loaded first
runs a few per cent slower (this tree against a copy of itself: 0.968), so compare in both
orders: `--swap` loads DIR first.

`--parts` splits the stage's CPU over the N articles by part instead (`PARTS`: CPU timers,
``time.process_time``, around each part's function, inclusive, so an "of which" line is
inside the line above it) and prints ms per article and the share of each.

`--batch K [K ...]` runs the stage over the N articles in chunks of K articles (`NERStage.pipe`:
all the sentences of a chunk tagged as one batch, what `Pipeline.pipe` does in ingest) for
each K, after one untimed pass that fills the caches: two passes per K, the order of the Ks
reversed in the second, and prints CPU ms per article, articles and tokens per CPU second
and whether every article's entities are those of the first K. With `--parts`, the parts at
each K.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner" / "anercorp" / "train.txt"
NEWS = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet" / "saudinewsnet.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conll", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: shipped)")
    ap.add_argument("--networks", type=int, default=None, help="only the first N networks (0: the CRF alone)")
    ap.add_argument("--articles", type=int, default=300, help="SaudiNewsNet articles through the stage (0: none)")
    ap.add_argument("--against", type=Path, default=None, help="another checkout's src: compare the two stages")
    ap.add_argument("--swap", action="store_true", help="with --against: load the other tree first")
    ap.add_argument("--parts", action="store_true", help="split the stage's CPU on the N articles by part")
    ap.add_argument("--batch", type=int, nargs="+", help="articles per NERStage.pipe call: time each")
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # numpy's BLAS (the networks) on one thread too
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    if args.against:
        trees = [ROOT / "src", args.against]
        compare_trees(trees[::-1] if args.swap else trees, news_texts(args.articles or 300))
        return
    if args.batch and not args.parts:
        compare_chunks(news_texts(args.articles or 300), args.batch, args.model, args.networks)
        return
    if args.parts:
        for k in args.batch or [1]:
            profile_parts(news_texts(args.articles or 300), args.model, args.networks, k)
        return

    from rasid.doc import Document
    from rasid.eval.ner import read_conll
    from rasid.stages.ner import NERStage, NERTagger
    from rasid.stages.tokenize import TokenizeStage

    t0 = time.process_time()
    tagger = NERTagger(args.model, args.networks)
    load = time.process_time() - t0
    print(f"model load {load:.2f} s")
    sents = [t for t, _ in read_conll(args.conll)][: args.sentences]
    n = sum(map(len, sents))
    cold = first = 0.0
    for r in range(args.repeat):
        t0 = time.process_time()
        tagger.tag_sentences(sents)
        dt = time.process_time() - t0
        cold, first = cold or n / dt, first or dt
        print(f"tag_sentences run {r + 1} ({'cold' if r == 0 else 'warm'} cache): {n} tokens, {n / dt:,.0f} tokens/s")
    t0 = time.process_time()
    tagger.tag_sentences(sents, context=20)
    print(f"tag_sentences with context=20 (warm cache): {n / (time.process_time() - t0):,.0f} tokens/s")

    seed = ROOT / "tests" / "resources" / "paris-2015.txt"
    if seed.exists():
        text = seed.read_text(encoding="utf-8")
        tok, ner = TokenizeStage(), NERStage(args.model, networks=args.networks)
        docs = [tok(Document(text=text)) for _ in range(20)]
        t0 = time.process_time()
        for d in docs:
            ner(d)
        dt = time.process_time() - t0
        m = sum(len(d.tokens) for d in docs)
        print(f"NERStage (marginals, seed article x20): {m / dt:,.0f} tokens/s")
    if args.articles and NEWS.exists():
        texts = news_texts(args.articles)
        tok, ner = TokenizeStage(), NERStage(args.model, networks=args.networks)
        docs = [tok(Document(text=t)) for t in texts]
        t0 = time.process_time()
        for d in docs:
            ner(d)
        dt = time.process_time() - t0
        m = sum(len(d.tokens) for d in docs)
        print(f"NERStage on {len(docs)} SaudiNewsNet articles: {1000 * dt / len(docs):.1f} ms CPU per article, "
              f"{m / dt:,.0f} tokens/s")
    print(f"tokens/s, cold start included (model load + the first tag_sentences): {n / (load + first):,.0f}")
    print(f"tokens/s {cold:.0f}")


def news_texts(n: int) -> list[str]:
    with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["content"] for line in itertools.islice(fh, n)]


#: (label, module, function or Class.method) of each part `--parts` times, in print order
PARTS = [
    ("TokenBatch (analyses, gazetteer, ptrig)", "ner_features", "TokenBatch.__init__"),
    ("  of which gazetteer matching", "ner_features", "match_sentences"),
    ("CRF scores", "ner_nn", "LinearCRF.batch_scores"),
    ("  of which new strings' sums", "ner_nn", "LinearCRF._static_scores"),
    ("network input rows and their products", "ner_nn", "BiLSTMCRF.token_gates"),
    ("  of which new strings' rows", "ner_nn", "BiLSTMCRF._token_gates"),
    ("    of which character CNN", "ner_nn", "BiLSTMCRF.char_vectors"),
    ("network: LSTM, output", "ner_nn", "BiLSTMCRF.gate_emissions"),
    ("  of which the recurrence", "ner_nn", "BiLSTMCRF._run"),
    ("forward-backward", "ner_nn", "flat_marginals"),
    ("best valid path (Viterbi where needed)", "ner", "best_bio_paths"),
    ("tag_tokens (all the above, overrides, regnal)", "ner", "NERTagger.tag_tokens"),
    ("entities found", "ner", "_found_entities"),
    ("document-level pass", "ner", "propagate_entities"),
    ("sentence groups", "ner", "group_tokens_by_sentence"),
]


def compare_chunks(texts: list[str], sizes: list[int], model: Path | None, networks: int | None) -> None:
    """The NER stage over `texts` in chunks of each of `sizes` articles (`NERStage.pipe`)."""
    from rasid.doc import Document
    from rasid.stages.ner import NERStage
    from rasid.stages.tokenize import TokenizeStage

    tok, ner = TokenizeStage(), NERStage(model, networks=networks)
    tokenized = [tok(Document(text=t)) for t in texts]
    tokens = sum(len(d.tokens) for d in tokenized)

    def run(k: int) -> tuple[float, list]:
        docs = [Document(text=d.text, tokens=d.tokens, layers={"sentences": d.layers["sentences"]}) for d in tokenized]
        t0 = time.process_time()
        for lo in range(0, len(docs), k):
            ner.pipe(docs[lo:lo + k])
        return time.process_time() - t0, [[(s.start, s.end, s.label, s.attrs) for s in d.layers["entities"]] for d in docs]

    run(sizes[0])  # the caches filled, not timed
    cpu = dict.fromkeys(sizes, 0.0)
    got = {}
    for order in (sizes, sizes[::-1]):
        for k in order:
            dt, got[k] = run(k)
            cpu[k] += dt
    n = len(texts)
    print(f"NERStage.pipe on {n} SaudiNewsNet articles ({tokens:,} tokens), two passes per chunk size, warm caches")
    for k in sizes:
        dt = cpu[k] / 2
        same = sum(a == b for a, b in zip(got[sizes[0]], got[k]))
        print(f"  {k:>4} articles a call: {1000 * dt / n:6.2f} ms CPU per article, {n / dt:7.1f} articles/s, "
              f"{tokens / dt:9,.0f} tokens/s; entities as with {sizes[0]}: {same} of {n}")


def profile_parts(texts: list[str], model: Path | None, networks: int | None, chunk: int = 1) -> None:
    """The NER stage over `texts` (`chunk` articles a call) with a CPU timer around each of
    `PARTS`; prints ms per article and share of the stage for each."""
    import importlib

    from rasid.doc import Document
    from rasid.stages.tokenize import TokenizeStage

    spent: dict[str, float] = {}
    running: set[str] = set()

    def timed(key: str, fn):
        def wrapper(*a, **k):
            if key in running:  # a call inside itself (flat_marginals of one model): counted once
                return fn(*a, **k)
            running.add(key)
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[key] = spent.get(key, 0.0) + time.process_time() - t0
                running.discard(key)
        return wrapper

    for _, mod, name in PARTS:  # before the tagger exists: its caches hold bound methods
        module = importlib.import_module(f"rasid.stages.{mod}")
        owner, _, attr = name.rpartition(".")
        holder = getattr(module, owner) if owner else module
        fn = holder.__dict__[attr]
        wrapped = timed(name, fn)
        setattr(holder, attr, wrapped)
        if not owner:  # a function other modules imported by name
            for other in [m for n, m in sys.modules.items() if n.startswith("rasid.")]:
                if getattr(other, attr, None) is fn:
                    setattr(other, attr, wrapped)
    from rasid.stages.ner import NERStage

    tok, ner = TokenizeStage(), NERStage(model, networks=networks)
    docs = [tok(Document(text=t)) for t in texts]
    t0 = time.process_time()
    for lo in range(0, len(docs), chunk):
        ner.pipe(docs[lo:lo + chunk])
    total = time.process_time() - t0
    n = len(docs)
    print(f"NERStage on {n} SaudiNewsNet articles ({sum(len(d.tokens) for d in docs):,} tokens), {chunk} a call: "
          f"{1000 * total / n:.2f} ms CPU per article (timers included)")
    for label, _, name in PARTS:
        s = spent.get(name, 0.0)
        print(f"  {label:<48} {1000 * s / n:6.2f} ms  {100 * s / total:5.1f} %")


def compare_trees(trees: list[Path], texts: list[str], chunk: int = 50) -> None:
    """The NER stage of each source tree over `texts` (tokenized by its own tokenizer, not
    timed), chunks of `chunk` articles alternating between the trees (the order swapped
    every chunk)."""
    runs = []
    for tree in trees:  # each tree's modules imported afresh under the name ``rasid``
        for name in [m for m in sys.modules if m == "rasid" or m.startswith("rasid.")]:
            del sys.modules[name]
        sys.path.insert(0, str(tree))
        try:
            from rasid.doc import Document
            from rasid.stages.ner import NERStage
            from rasid.stages.tokenize import TokenizeStage

            t0 = time.process_time()
            stage = NERStage()
            load = time.process_time() - t0
        finally:
            sys.path.pop(0)
        runs.append({"tree": tree, "stage": stage, "make": (Document, TokenizeStage()), "load": load, "cpu": 0.0})
    for run in runs:  # after both loads: a load's garbage collection does not scan the documents
        document, tok = run.pop("make")
        run["docs"] = [tok(document(text=t)) for t in texts]
    for lo in range(0, len(texts), chunk):
        for run in runs if (lo // chunk) % 2 == 0 else runs[::-1]:
            t0 = time.process_time()
            for doc in run["docs"][lo:lo + chunk]:
                run["stage"](doc)
            run["cpu"] += time.process_time() - t0
    tokens = sum(len(d.tokens) for d in runs[0]["docs"])
    for run in runs:
        print(f"{run['tree']}: model load {run['load']:.2f} s, NERStage on {len(texts)} SaudiNewsNet articles "
              f"{run['cpu']:.2f} s CPU, {1000 * run['cpu'] / len(texts):.2f} ms per article, "
              f"{tokens / run['cpu']:,.0f} tokens/s")
    layers = [[[(s.start, s.end, s.label, s.attrs) for s in d.layers["entities"]] for d in run["docs"]] for run in runs]
    same = sum(a == b for a, b in zip(*layers))
    print(f"ratio (the second tree's CPU / the first one's): {runs[1]['cpu'] / runs[0]['cpu']:.3f}; "
          f"articles with the same entities layer: {same} of {len(texts)}")


if __name__ == "__main__":
    main()
