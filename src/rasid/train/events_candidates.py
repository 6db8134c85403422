"""Draw candidate sentences for the events gold set (tests/resources/events-gold.jsonl).

    python -m rasid.train.events_candidates [SAUDINEWSNET] [--out FILE] [--seed 2015]

Reads SaudiNewsNet (default /work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz),
splits articles into sentences and draws, with a fixed seed and at most a few sentences
per outlet and pool, from five pools chosen by broad selection words that are *not* the
stage's trigger table (so that recall is not measured only on what the table knows):
violence, protest, law enforcement, diplomacy, and any sentence (sports, economy,
opinion...). The drawn sentences were then read and annotated by hand; the pools only
decide what was read. Output: JSON Lines ``id, source, url, pool, text``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys

from ..arabic.sentences import split_sentences

DEFAULT_DATA = "/work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
POOLS = {
    "violence": r"قتل|مقتل|قتلى|جرحى|مسلح|انفجار|هجوم|غارات|قصف|اشتباك|استشهد|ضحايا|معارك|"
                r"اغتيال|اختطاف|نيران|رصاص|دامي|مفخخ|صاروخ|قذائف|انتحاري",
    "protest": r"مظاهر|تظاهر|احتج|محتج|اعتصام|إضراب|اضراب|مسيرة|شغب|متظاهر|وقفة|غاضب|"
               r"تجمهر|الشوارع|هتف|ساحة التحرير|طلعت ريحتكم",
    "law": r"القبض|اعتقال|ضبط|سرقة|تهريب|ترحيل|السجن|محاكمة|تحقيق",
    "diplomacy": r"التقى|استقبل|أدان|ندد|رفض|طالب|اتفاق|وقع|مباحثات|هدد|مساعدات|انسحاب|عقوبات",
    "any": r".",
}
QUOTAS = {"violence": 150, "protest": 110, "law": 40, "diplomacy": 50, "any": 120}
#: The second draw (``--protest``): the first gave too few real protests (most "protest"
#: pool sentences were مسيرة التنمية, مظاهر الفرح...), so a stricter protest pool.
PROTEST_POOL = {"protest2": r"متظاهر|محتجين|محتجون|تظاهر|مظاهرات|احتجاجات|اعتصام|إضراب|"
                            r"اضراب|شغب|هتف|المسيرة|مسيرات|تجمع المئات|تجمع الآلاف|نزلوا"}
PROTEST_QUOTA = {"protest2": 90}


def read_sentences(path: str):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            d = json.loads(line)
            text = d.get("content") or ""
            for k, s in enumerate(split_sentences(text)):
                sent = " ".join(text[s.start:s.end].split())
                if 50 <= len(sent) <= 320:
                    yield f"snn:{n}:{k}", d["source"], d["url"], sent


def draw(path: str, seed: int, pool_table=POOLS, quotas=QUOTAS, exclude=frozenset()) -> list[dict]:
    rng = random.Random(seed)
    pools: dict[str, dict[str, list]] = {p: {} for p in pool_table}
    for sid, source, url, sent in read_sentences(path):
        if sent in exclude:
            continue
        for pool, pattern in pool_table.items():
            if pool == "any" and rng.random() > 0.01:
                continue
            if re.search(pattern, sent):
                pools[pool].setdefault(source, []).append((sid, source, url, sent))
                break
    out, seen = [], set()
    for pool, by_source in pools.items():
        sources = sorted(by_source)
        picked: list = []
        while len(picked) < quotas[pool] and any(by_source.values()):
            for src in sources:
                if by_source[src] and len(picked) < quotas[pool]:
                    item = by_source[src].pop(rng.randrange(len(by_source[src])))
                    if item[3] not in seen:
                        seen.add(item[3])
                        picked.append(item)
        out += [{"id": i, "source": s, "url": u, "pool": pool, "text": t} for i, s, u, t in picked]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid.train.events_candidates")
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--out", default="-")
    ap.add_argument("--seed", type=int, default=2015)
    ap.add_argument("--protest", action="store_true",
                    help="the second draw: the strict protest pool only")
    ap.add_argument("--exclude", help="a previous draw's output: its sentences are skipped")
    args = ap.parse_args(argv)
    exclude = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as fh:
            exclude = {json.loads(line)["text"] for line in fh if line.strip()}
    if args.protest:
        rows = draw(args.data, args.seed, PROTEST_POOL, PROTEST_QUOTA, frozenset(exclude))
    else:
        rows = draw(args.data, args.seed, exclude=frozenset(exclude))
    fh = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    for r in rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    if fh is not sys.stdout:
        fh.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
