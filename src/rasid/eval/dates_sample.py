"""The samples of unused SaudiNewsNet articles the dates batches and checks are drawn from.

    python -m rasid.eval.dates_sample sentences --residue 40 [--step 199] [--before-batch issue14t] [--corpus FILE]
    python -m rasid.eval.dates_sample spans --out FILE [--residues 5,15,...,145] [--corpus FILE]
    python -m rasid.eval.dates_sample diff BEFORE AFTER

Articles: line *i* of the corpus (0-based) with ``i % 197`` in the residues, skipping every
article whose ``url`` is a ``url``/``doc``/``id`` of ``tests/resources/*.jsonl`` or
``src/rasid/**/*.jsonl`` and articles under 200 characters (tests/resources/README.md).
Every residue of 197 has been taken by a batch or a check, so batches drawn after the
session of 2026-12-07 use the second rule, ``--step 199``: ``i % 199`` the residue, and
besides the used articles, every article whose ``i % 197`` is a residue of the
unused-article checks (`CHECKED_RESIDUES`), whose rasid output earlier rounds read.

* ``sentences``: the batch rule of ``issue14d`` and later: the content with runs of spaces and
  tabs collapsed, split after ``. ! ؟ ?`` and whitespace; from each article the first two
  sentences of 40-320 characters holding at least two date cue words. One JSON line each
  (``k``, ``line``, ``id``, ``source``, ``published``, ``sentence``), to annotate by hand.
* ``spans``: the dates `extract_dates` finds in each article (its title as the first line,
  then the first 1,500 characters of its content), one JSON line a span, with context.
* ``diff``: the spans gone, new and changed between two ``spans`` files, to read.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STEP = 197
SECOND_STEP = 199
CHECK_RESIDUES = tuple(range(5, 150, 10))
#: the residues of 197 whose articles the unused-article checks read (dates and places:
#: 5, 15, ..., 145; places' eighth round: 7, 17, ..., 117); the second rule skips them
CHECKED_RESIDUES = frozenset(CHECK_RESIDUES) | frozenset(range(7, 118, 10))
_WEEKDAYS = ["السبت", "الأحد", "الاحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء",
             "الخميس", "الجمعة"]
_RELATIVE = ["أمس", "امس", "غدا", "غداً", "الماضي", "الماضية", "المقبل", "المقبلة", "القادم",
             "القادمة", "الجاري", "الحالي", "منذ"]


def default_corpus() -> Path:
    from rasid.settings import get_setting

    return Path(get_setting("shared_data")) / "news" / "saudinewsnet" / "saudinewsnet.jsonl.gz"


@lru_cache(maxsize=8)
def used_ids(before_batch: str | None = None, root: Path = ROOT) -> frozenset[str]:
    """Every url/doc/id of the test resources and the bundled samples; with `before_batch`,
    dates-gold.jsonl is read only up to that batch's first line (batches are appended in
    order), so a committed batch is drawn again as it was."""
    used = set()
    files = list((root / "tests" / "resources").glob("*.jsonl")) + list((root / "src" / "rasid").rglob("*.jsonl"))
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(d, dict):
                continue
            if before_batch and f.name == "dates-gold.jsonl" and d.get("batch") == before_batch:
                break
            used.update(d[k] for k in ("url", "doc", "id") if isinstance(d.get(k), str))
    return frozenset(used)


def unused_articles(corpus: Path, residues: tuple[int, ...], before_batch: str | None = None,
                    step: int = STEP) -> Iterator[tuple[int, dict]]:
    """(line number, record) of the unused articles at the residues of `step`, in file order;
    with another step than 197, the articles the checks read are skipped too."""
    used, wanted = used_ids(before_batch), set(residues)
    if step not in (STEP, SECOND_STEP):
        raise ValueError(f"step must be {STEP} or {SECOND_STEP}, not {step}")
    skipped = CHECKED_RESIDUES if step != STEP else frozenset()
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % step in wanted and i % STEP not in skipped:
                d = json.loads(line)
                if d["url"] not in used and len(d.get("content") or "") >= 200:
                    yield i, d


def cue_regex() -> re.Pattern[str]:
    """Date cue words as written (the month names of months.tsv unnormalised, weekdays,
    relative words, منذ), each whole or after one clitic; a number + هـ; عام + a year."""
    months = [line.split("\t")[0] for line in (ROOT / "src" / "rasid" / "stages" / "data" / "months.tsv")
              .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    words = sorted(set(months + _WEEKDAYS + _RELATIVE), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:[وبلف]?)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)"
                      r"|\d+\s*هـ|(?:عام|العام|سنة)\s+\d{4}")


def batch_sentences(corpus: Path, residue: int, before_batch: str | None = None,
                    step: int = STEP) -> Iterator[dict]:
    cues = cue_regex()
    for k, (i, d) in enumerate(unused_articles(corpus, (residue,), before_batch, step)):
        text = re.sub(r"[ \t]+", " ", d["content"])
        picked = [s.strip() for s in re.split(r"(?<=[.!؟?])\s+", text)
                  if 40 <= len(s.strip()) <= 320 and len(cues.findall(s.strip())) >= 2][:2]
        for s in picked:
            yield {"k": k, "line": i, "id": d["url"], "source": d.get("source"),
                   "published": d["date_extracted"][:10], "sentence": s}


def article_spans(corpus: Path, residues: tuple[int, ...]) -> Iterator[dict]:
    from rasid.stages.dates import extract_dates

    for i, d in unused_articles(corpus, residues):
        text = (d.get("title") or "").strip() + "\n" + d["content"][:1500]
        pub = d["date_extracted"][:10]
        for s in extract_dates(text, pub):
            yield {"i": i, "pub": pub, "s": s.start, "e": s.end, "text": text[s.start:s.end],
                   "value": s.attrs.get("value"), "gran": s.attrs.get("granularity"),
                   "ctx": text[max(0, s.start - 40):s.end + 25].replace("\n", " ")}


def diff_spans(before: list[dict], after: list[dict]) -> dict[str, list]:
    a = {(d["i"], d["s"], d["e"]): d for d in before}
    b = {(d["i"], d["s"], d["e"]): d for d in after}
    return {"gone": [a[k] for k in a if k not in b], "new": [b[k] for k in b if k not in a],
            "changed": [(a[k], b[k]) for k in a if k in b and (a[k]["value"], a[k]["gran"]) != (b[k]["value"], b[k]["gran"])]}


def _load(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid.eval.dates_sample", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("sentences")
    sp.add_argument("--residue", type=int, required=True)
    sp.add_argument("--step", type=int, default=STEP, choices=(STEP, SECOND_STEP),
                    help="the drawing rule: i %% 197 (the batches up to issue14vh) or i %% 199 (later ones)")
    sp.add_argument("--before-batch", help="draw a committed batch again (e.g. issue14t)")
    sp.add_argument("--corpus")
    sp = sub.add_parser("spans")
    sp.add_argument("--out", required=True)
    sp.add_argument("--residues", default=",".join(map(str, CHECK_RESIDUES)))
    sp.add_argument("--corpus")
    sp = sub.add_parser("diff")
    sp.add_argument("before")
    sp.add_argument("after")
    args = ap.parse_args(argv)
    if args.cmd == "diff":
        res = diff_spans(_load(args.before), _load(args.after))
        print(f"{len(_load(args.before))} -> {len(_load(args.after))} spans; {len(res['gone'])} gone, "
              f"{len(res['new'])} new, {len(res['changed'])} changed")
        for tag in ("gone", "new"):
            for d in res[tag]:
                print(tag.upper(), d["pub"], repr(d["text"]), d["value"], "|", d["ctx"])
        for x, y in res["changed"]:
            print("CHANGED", x["pub"], repr(x["text"]), x["value"], "->", y["value"], "|", x["ctx"])
        return 0
    corpus = Path(args.corpus) if args.corpus else default_corpus()
    if args.cmd == "sentences":
        for row in batch_sentences(corpus, args.residue, args.before_batch, args.step):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    residues = tuple(int(r) for r in args.residues.split(","))
    with open(args.out, "w", encoding="utf-8") as out:
        for row in article_spans(corpus, residues):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
