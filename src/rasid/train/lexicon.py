"""Build the word-frequency lexicon used by the tokenizer's proclitic analysis.

    python -m rasid.train.lexicon [--corpus ../shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz]

Counts `normalize_name` forms of every word in the corpus titles and bodies and writes
words seen at least ``--min-count`` times to ``src/rasid/arabic/data/wordfreq.tsv.gz``.
Source data: SaudiNewsNet (CC BY-NC-SA 4.0); the README of ../shared/data allows it for
training unsupervised representations. Only counts are shipped, no text.
"""
from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import TOKEN_RE

DEFAULT_CORPUS = Path(__file__).resolve().parents[4] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "arabic/data/wordfreq.tsv.gz"


def count_words(corpus: Path) -> Counter:
    counts: Counter = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for field in ("title", "content"):
                for m in TOKEN_RE.finditer(rec.get(field) or ""):
                    if m.lastgroup == "word":
                        counts[normalize_name(m.group())] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--min-count", type=int, default=5)
    args = ap.parse_args(argv)
    counts = count_words(args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(b"# normalised word <TAB> count; from SaudiNewsNet (CC BY-NC-SA 4.0), counts only\n")
        for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= args.min_count:
                fh.write(f"{word}\t{n}\n".encode("utf-8"))
    print(f"{sum(1 for n in counts.values() if n >= args.min_count)} words -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
