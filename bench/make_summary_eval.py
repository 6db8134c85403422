"""Write the headline-style summary evaluation sets from SaudiNewsNet into /tmp.

    python bench/make_summary_eval.py [--src PATH] [--out-dir /tmp] [--n 2000]

Writes ``summ-dev.jsonl`` (from the first half of the file) and ``summ-test.jsonl`` (from
the second half), each line ``{"text": content, "summary": title, "source", "url"}``.
Records are chosen deterministically: every record that passes the filters (title of
3..30 words, content of 300..20,000 characters, title not a prefix of the content, first
copy of a title) gets a sha1 rank of its URL+title, and the n lowest ranks are kept.
The data is CC BY-NC-SA 4.0 (parallelfold/SaudiNewsNet); nothing is written into the repo.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def read_records(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def is_usable(rec: dict) -> bool:
    title = (rec.get("title") or "").strip()
    text = (rec.get("content") or "").strip()
    n_words = len(title.split())
    if not (3 <= n_words <= 30) or not (300 <= len(text) <= 20_000):
        return False
    return not text.startswith(title)


def select(records: list[dict], n: int, seen: set[str]) -> list[dict]:
    ranked = []
    for rec in records:
        if not is_usable(rec):
            continue
        key = " ".join(rec["title"].split())
        if key in seen:
            continue
        seen.add(key)
        h = hashlib.sha1((rec.get("url", "") + "\t" + key).encode("utf-8")).hexdigest()
        ranked.append((h, rec))
    ranked.sort(key=lambda x: x[0])
    return [r for _, r in ranked[:n]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp"))
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args(argv)
    records = read_records(args.src)
    half = len(records) // 2
    seen: set[str] = set()
    for name, part in (("summ-dev.jsonl", records[:half]), ("summ-test.jsonl", records[half:])):
        chosen = select(part, args.n, seen)
        out = args.out_dir / name
        with out.open("w", encoding="utf-8") as fh:
            for rec in chosen:
                fh.write(json.dumps({"text": rec["content"], "summary": rec["title"],
                                     "source": rec.get("source"), "url": rec.get("url")},
                                    ensure_ascii=False) + "\n")
        print(f"{out}: {len(chosen)} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
