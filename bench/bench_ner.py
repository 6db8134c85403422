"""Tagging speed of the shipped NER model on one core, features included.

    python bench/bench_ner.py [CONLL_FILE] [--sentences N] [--repeat R] [--articles N]

Tags pre-tokenised sentences (default: the first 2,000 sentences of the ANERcorp train
part in ../shared/data) with a cold feature cache, sentence by sentence and as running text
(`--context 20`, what `rasid eval ner` does), then the pipeline stage (marginals
included) on the seed article, then the stage on the first N SaudiNewsNet articles
(default 300; tokenized first, not timed), and prints tokens/s and CPU ms per article.
Every figure is CPU time (`time.process_time`: the process is pinned to one core, so on a
quiet machine it is the wall time, and on a loaded one the steadier figure). Never
asserted in tests.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
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
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # numpy's BLAS (the networks) on one thread too
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass

    from rasid.doc import Document
    from rasid.eval.ner import read_conll
    from rasid.stages.ner import NERStage, NERTagger
    from rasid.stages.tokenize import TokenizeStage

    t0 = time.process_time()
    tagger = NERTagger(args.model, args.networks)
    print(f"model load {time.process_time() - t0:.2f} s")
    sents = [t for t, _ in read_conll(args.conll)][: args.sentences]
    n = sum(map(len, sents))
    cold = 0.0
    for r in range(args.repeat):
        t0 = time.process_time()
        tagger.tag_sentences(sents)
        dt = time.process_time() - t0
        cold = cold or n / dt
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
        with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
            texts = [json.loads(line)["content"] for line in itertools.islice(fh, args.articles)]
        tok, ner = TokenizeStage(), NERStage(args.model, networks=args.networks)
        docs = [tok(Document(text=t)) for t in texts]
        t0 = time.process_time()
        for d in docs:
            ner(d)
        dt = time.process_time() - t0
        m = sum(len(d.tokens) for d in docs)
        print(f"NERStage on {len(docs)} SaudiNewsNet articles: {1000 * dt / len(docs):.1f} ms CPU per article, "
              f"{m / dt:,.0f} tokens/s")
    print(f"tokens/s {cold:.0f}")


if __name__ == "__main__":
    main()
