"""Headline-style ROUGE evaluation of the extractive summariser against two baselines.

    rasid eval summaries FILE.jsonl [--limit N] [--k 1] [--stem] [--no-compress]

Each JSONL line holds ``text`` (the article body) and ``summary`` (the reference; for
SaudiNewsNet, the article title, which is *not* part of the input). For every record three
systems produce `k` sentences (default 1): Lead-k, TextRank (numpy PageRank over a TF-IDF
cosine sentence graph), and rasid (position + centrality + length, MMR; with k=1 its
sentence is compressed to a headline by ``compress_headline`` unless ``--no-compress``;
"rasid (select only)" shows the uncompressed sentence too, so the gain from compression
is visible). ROUGE-1/2/L are F1 with the Arabic-aware tokenisation of
``rasid.summarise.rouge`` (normalize_key, punctuation dropped; ``--stem`` adds light10
stemming), macro-averaged, in percent. The last line is ``rouge-L <percent>`` for rasid.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence

from ..doc import Document
from ..summarise.baselines import lead_sentences, textrank_sentences
from ..summarise.extractive import compress_headline, summarise_document
from ..summarise.rouge import average_rouge


def read_jsonl(path: str, limit: int | None = None) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("text") and rec.get("summary"):
                out.append(rec)
            if limit and len(out) >= limit:
                break
    return out


def _join(doc: Document, spans) -> str:
    spans = sorted(spans, key=lambda s: s.start)
    return " ".join(s.text_of(doc.text) for s in spans)


def run_systems(records: list[dict], k: int = 1, compress: bool = True) -> dict[str, list[tuple[str, str]]]:
    """``system -> [(candidate, reference)]`` for Lead-k, TextRank, rasid."""
    out: dict[str, list[tuple[str, str]]] = {"Lead-%d" % k: [], "TextRank": [],
                                             "rasid (select only)": [], "rasid": []}
    for rec in records:
        doc = Document(text=rec["text"])
        ref = rec["summary"]
        out["Lead-%d" % k].append((_join(doc, lead_sentences(doc, k)), ref))
        out["TextRank"].append((_join(doc, textrank_sentences(doc, k)), ref))
        spans = summarise_document(doc, k)
        plain = _join(doc, spans)
        out["rasid (select only)"].append((plain, ref))
        if k == 1 and compress and spans:
            out["rasid"].append((compress_headline(spans[0].text_of(doc.text)), ref))
        else:
            out["rasid"].append((plain, ref))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid eval summaries", description=__doc__.splitlines()[0])
    ap.add_argument("file", help="JSONL with fields text and summary (the reference)")
    ap.add_argument("--limit", type=int, default=None, help="first N usable records only")
    ap.add_argument("--k", type=int, default=1, help="sentences per summary (default 1)")
    ap.add_argument("--stem", action="store_true", help="light10-stem tokens before ROUGE")
    ap.add_argument("--no-compress", action="store_true", help="no headline compression for rasid")
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        records = read_jsonl(args.file, args.limit)
    except OSError as exc:
        print(f"rasid eval summaries: {exc}", file=sys.stderr)
        return 3
    if not records:
        print("rasid eval summaries: no records with text and summary", file=sys.stderr)
        return 3
    t0 = time.time()
    systems = run_systems(records, args.k, compress=not args.no_compress)
    print(f"{len(records)} records, k={args.k}, ROUGE F1 %, tokens: normalize_key"
          f"{' + light10 stem' if args.stem else ''}, punctuation dropped")
    print(f"{'system':22s} {'R-1':>6s} {'R-2':>6s} {'R-L':>6s}")
    final = 0.0
    for name, pairs in systems.items():
        r1, r2, rl = average_rouge(pairs, stem=args.stem).as_percent()
        print(f"{name:22s} {r1:6.2f} {r2:6.2f} {rl:6.2f}")
        if name == "rasid":
            final = rl
    print(f"({time.time() - t0:.1f}s)")
    print(f"rouge-L {final:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
