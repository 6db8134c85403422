"""The NER output of this checkout, for checking that a speed change keeps it identical.

    PYTHONPATH=src python bench/dump_ner.py OUT.json [--n 300]
    python bench/dump_ner.py --compare BEFORE.json AFTER.json

Writes, as JSON: the tags and confidences `NERTagger.tag_sentences` gives the ANERcorp dev
split (`rasid.train.ner.split_dev` of the shared train part; read as running text, as
`rasid eval ner` does) and the ``entities`` layer (start, end, label, confidence, norm) of
the first N SaudiNewsNet articles through the tokenize and ner stages, with the CPU seconds
of each part; and, next to it (``OUT.npy``), the ensemble's posteriors of every token of both
(``NERTagger.posteriors``: the dev split, then each article's sentence groups). ``--compare`` reports whether two dumps are identical (tags, spans, labels and
norms exactly; confidences, which the layer rounds to the fourth decimal, may differ by one
unit there: a posterior that moved by float rounding across a rounding boundary) and exits
1 if not; it prints how many confidences differ and by how much at most, and how far the
posteriors of the two ``.npy`` files are apart.
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

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # numpy's BLAS on one thread, as bench_ner.py: steadier CPU times
import numpy as np  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def dump(out: Path, n: int) -> None:
    from rasid.doc import Document
    from rasid.eval.ner import DEFAULT_CONTEXT, read_conll
    from rasid.stages import build_pipeline
    from rasid.stages.ner import group_tokens_by_sentence, load_tagger
    from rasid.train.ner import split_dev

    _, dev = split_dev(read_conll(DATA / "ner/anercorp/train.txt"))
    t0 = time.process_time()
    tagger = load_tagger()
    t1 = time.process_time()
    dev_tags = tagger.tag_sentences([toks for toks, _ in dev], context=DEFAULT_CONTEXT)
    t2 = time.process_time()
    with gzip.open(DATA / "news/saudinewsnet/saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in itertools.islice(fh, n)]
    pipeline = build_pipeline(["tokenize", "ner"])
    docs = [Document(text=r["content"], title=r.get("title") or "") for r in records]
    t3 = time.process_time()
    layers = []
    for doc in docs:
        pipeline(doc)
        layers.append([[s.start, s.end, s.label, s.attrs["confidence"], s.attrs["norm"]]
                       for s in doc.layers["entities"]])
    t4 = time.process_time()
    groups = [[t.text for t in toks] for doc in docs for _, toks in group_tokens_by_sentence(doc)]
    posts = tagger.posteriors([toks for toks, _ in dev]) + tagger.posteriors(groups)
    np.save(out.with_suffix(".npy"), np.concatenate(posts))
    out.write_text(json.dumps({"dev": dev_tags, "articles": layers,
                               "cpu_s": {"load": t1 - t0, "dev": t2 - t1, "articles": t4 - t3}},
                              ensure_ascii=False), encoding="utf-8")
    print(f"load {t1 - t0:.2f} s, dev {len(dev)} sentences {t2 - t1:.2f} s, "
          f"{n} articles (tokenize + ner) {t4 - t3:.2f} s CPU")


def compare(a_path: Path, b_path: Path) -> int:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (a_path, b_path))
    dev_diff = sum(x != y for x, y in zip(a["dev"], b["dev"])) + abs(len(a["dev"]) - len(b["dev"]))
    art_diff = sum(_spans_differ(x, y) for x, y in zip(a["articles"], b["articles"]))
    art_diff += abs(len(a["articles"]) - len(b["articles"]))
    spans = sum(len(x) for x in a["articles"])
    conf = [abs(s[3] - t[3]) for x, y in zip(a["articles"], b["articles"]) if len(x) == len(y) for s, t in zip(x, y)]
    print(f"dev sentences with other tags: {dev_diff} of {len(a['dev'])}; "
          f"articles with another entities layer: {art_diff} of {len(a['articles'])} ({spans} spans); "
          f"confidences that differ: {sum(d > 0 for d in conf)}, by at most {max(conf, default=0):.4f}")
    pa, pb = (np.load(p.with_suffix(".npy")) for p in (a_path, b_path))
    if pa.shape == pb.shape:
        d = np.abs(pa - pb)
        print(f"posteriors of {len(pa)} tokens: differ by at most {d.max():.1e} (mean {d.mean():.1e})")
    for key in a["cpu_s"]:
        print(f"  CPU {key}: {a['cpu_s'][key]:.2f} s -> {b['cpu_s'][key]:.2f} s")
    return 1 if dev_diff or art_diff else 0


def _spans_differ(x: list, y: list) -> bool:
    """Two entities layers differ: another span, label or norm, or a confidence more than
    one unit of the fourth decimal away."""
    return len(x) != len(y) or any(s[:3] != t[:3] or s[4:] != t[4:] or abs(s[3] - t[3]) > 1.5e-4
                                   for s, t in zip(x, y))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--compare", action="store_true")
    args = ap.parse_args()
    if args.compare:
        return compare(*args.paths[:2])
    dump(args.paths[0], args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
