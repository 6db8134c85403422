"""Entity-level evaluation of the NER model on a CoNLL-style file (conlleval semantics).

    python -m rasid.eval.ner GOLD_FILE [--model DIR]

The file holds one ``token TAG`` per line (ANERcorp style; the tag is the last
whitespace-separated field, tab separation is accepted), a blank line between sentences;
tags are BIO with types PERS/PER, ORG, LOC, MISC (``B-PERS`` is read as ``B-PER``).
The tokens are tagged *as given* (no re-tokenisation); the file is read as running
text, so the stage's document-level pass sees the sentences within ``--context`` (20)
of each sentence as its document. Prints precision, recall and F1
per type and micro-averaged (an entity counts only with the exact span and type), the
tagging speed in tokens per second (the document-level pass included), and, as the last line, ``micro-F1 <percent>``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

from ..stages.ner_features import extract_entities

# A CoNLL file has no document boundaries; neighbouring sentences stand in for the
# document in the stage's one-sense-per-discourse pass (about an article's length).
DEFAULT_CONTEXT = 20
TAG_ALIASES = {"PERS": "PER", "MIS": "MISC", "PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}


def normalize_tag(tag: str) -> str:
    """Map ``B-PERS`` -> ``B-PER`` etc.; anything unreadable becomes ``O``."""
    tag = tag.strip()
    if not tag or tag == "O" or "-" not in tag:
        return "O"
    prefix, _, typ = tag.partition("-")
    prefix = prefix.upper()
    if prefix not in ("B", "I"):
        return "O"
    typ = typ.upper()
    return f"{prefix}-{TAG_ALIASES.get(typ, typ)}"


def read_conll(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Read a CoNLL-style file into ``[(tokens, tags), ...]`` per sentence."""
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n").replace("\u200e", "")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            if "\t" in line:
                parts = line.split("\t")
                word, tag = parts[0], parts[-1] if len(parts) > 1 else "O"
            else:
                word, _, tag = line.rpartition(" ")
                if not word:  # a single field: a token without a tag
                    word, tag = tag, "O"
            word = word.strip()
            if not word:
                continue
            toks.append(word)
            tags.append(normalize_tag(tag))
    if toks:
        sents.append((toks, tags))
    return sents


def score_entities(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict[str, dict[str, float]]:
    """Per-type and ``micro`` precision/recall/F1 (percent) plus counts."""
    counts: dict[str, list[int]] = {}  # type -> [tp, n_pred, n_gold]
    for g, p in zip(gold, pred):
        gs, ps = set(extract_entities(g)), set(extract_entities(p))
        for e in gs | ps:
            c = counts.setdefault(e[2], [0, 0, 0])
            c[0] += e in gs and e in ps
            c[1] += e in ps
            c[2] += e in gs
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    out = {t: _prf(*c) for t, c in sorted(counts.items())}
    out["micro"] = _prf(*total)
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = 100.0 * tp / n_pred if n_pred else 0.0
    r = 100.0 * tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": n_pred, "gold": n_gold}


def format_scores(scores: dict[str, dict[str, float]]) -> list[str]:
    lines = [f"{'type':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for t, s in scores.items():
        if t == "micro":
            continue
        lines.append(f"{t:<6} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f} {s['gold']:6d} {s['pred']:6d}")
    m = scores["micro"]
    lines.append(f"{'micro':<6} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f} {m['gold']:6d} {m['pred']:6d}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid eval ner", description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path, help="CoNLL-style file: token TAG per line")
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: shipped)")
    ap.add_argument("--context", type=int, default=DEFAULT_CONTEXT, metavar="N",
                    help="read the file as running text: a name found within N sentences either side "
                    f"is also tagged where it recurs (default {DEFAULT_CONTEXT}; 0: each sentence alone)")
    ap.add_argument("--networks", type=int, default=None, metavar="N",
                    help="use only the ensemble's first N networks (0: the CRF alone; default: all)")
    args = ap.parse_args(argv)

    from ..stages.ner import ModelError, load_tagger

    try:
        tagger = load_tagger(args.model, args.networks)
    except ModelError as exc:
        print(f"rasid eval ner: {exc}", file=sys.stderr)
        return 2
    sents = read_conll(args.gold)
    n_tokens = sum(len(t) for t, _ in sents)
    t0 = time.perf_counter()
    pred = tagger.tag_sentences([t for t, _ in sents], context=args.context)
    elapsed = time.perf_counter() - t0
    scores = score_entities([g for _, g in sents], pred)
    print(f"{args.gold}: {len(sents)} sentences, {n_tokens} tokens")
    for line in format_scores(scores):
        print(line)
    print(f"tokens/s {n_tokens / elapsed if elapsed > 0 else 0.0:.0f}")
    print(f"micro-F1 {scores['micro']['f1']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
