"""Date-extraction quality gate over the hand-annotated gold list.

    python -m rasid.eval.dates [--gold tests/resources/dates-gold.jsonl] [--split dev|test|all]
                               [--batch first|issue14|issue14b|issue14c|issue14d|all]
                               [--via analyze [--file titled|bare|headline]] [-v]

Each gold line holds a context sentence, its publication date (or null), one date expression
with offsets, the expected ISO value and granularity. `extract_dates` runs on the sentence;
a line is an exact match when a predicted span has the same offsets, value and granularity,
and a span match when only the offsets agree. Lines carry a ``batch`` (none: the first gold list;
``issue14``: the second, weighted toward ranges, ordinals, Hijri and relative months). Predictions in a context that overlap no gold
span are counted as spurious (contexts are annotated for all dates they contain, as far as
the annotator saw them). The last line is ``date-accuracy <percent>`` (exact match).

``--via analyze`` measures through the path the held-back gold uses, ``rasid analyze FILE
--published DATE --json``: each context is written as a plain-text article file (under a title
line without dates; ``--file bare``: the context alone; ``--file headline``: under its
article's own title), the command runs in-process, and the
predicted offsets are moved back from the document's text to the context
(`rasid.eval._article_file`).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from rasid.eval._article_file import SHAPES, analyze_file, layer_spans, to_context
from rasid.stages.dates import extract_dates

DEFAULT_GOLD = Path(__file__).resolve().parents[3] / "tests" / "resources" / "dates-gold.jsonl"


def load_gold(path: str | Path, split: str = "all", batch: str = "all") -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path} line {n}: {exc}") from exc
    return [r for r in rows if (split == "all" or r.get("split") == split)
            and (batch == "all" or r.get("batch", "first") == batch)]


def evaluate_dates(rows: list[dict], via: str = "extract", shape: str = "titled") -> dict:
    cache: dict[tuple, list] = {}
    by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    exact = span = 0
    errors = []
    gold_spans: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        key = (r["sentence"], r["published"])
        gold_spans[key].append((r["start"], r["end"]))
        if key not in cache:
            cache[key] = extract_dates(*key) if via == "extract" else via_analyze(*key, shape, r["id"])
        preds = cache[key]
        hit = next((p for p in preds if (p.start, p.end) == (r["start"], r["end"])), None)
        ok_span = hit is not None
        ok = ok_span and hit.attrs.get("value") == r["value"] and hit.attrs.get("granularity") == r["granularity"]
        exact += ok
        span += ok_span
        c = by_cat[r["category"]]
        c[0] += 1
        c[1] += ok
        c[2] += ok_span
        if not ok:
            got = [(r["sentence"][p.start:p.end], p.attrs.get("value"), p.attrs.get("granularity"))
                   for p in preds if p.start < r["end"] and p.end > r["start"]]
            errors.append((r, got))
    spurious = []
    for key, preds in cache.items():
        for p in preds:
            if not any(p.start < e and p.end > s for s, e in gold_spans[key]):
                spurious.append((key[0][p.start:p.end], p.attrs.get("value")))
    n = len(rows) or 1
    return {"n": len(rows), "exact": 100.0 * exact / n, "span": 100.0 * span / n,
            "by_category": {k: v for k, v in sorted(by_cat.items())}, "errors": errors,
            "spurious": spurious}


def via_analyze(sentence: str, published: str | None, shape: str = "titled",
                article: str | None = None) -> list:
    """The dates `rasid analyze FILE [--published DATE] --json` finds in a plain-text article
    file holding `sentence` (`rasid.eval._article_file`), with offsets into `sentence`."""
    doc = analyze_file(sentence, published, shape, article)
    return to_context(layer_spans(doc, "dates"), doc["text"], sentence)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid.eval.dates", description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(DEFAULT_GOLD))
    ap.add_argument("--split", default="all", choices=("dev", "test", "all"))
    ap.add_argument("--batch", default="all", help="first, issue14, issue14b, issue14c, issue14d or all (default)")
    ap.add_argument("--via", default="extract", choices=("extract", "analyze"),
                    help="extract_dates on each context (default) or `rasid analyze FILE "
                         "--published DATE --json` on it as an article file")
    ap.add_argument("--file", default="titled", choices=SHAPES,
                    help="with --via analyze, the file: the context under a title line without dates "
                         "(default), the context alone, or under its article's own headline")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each miss and spurious span")
    args = ap.parse_args(argv)
    res = evaluate_dates(load_gold(args.gold, args.split, args.batch), args.via, args.file)
    print(f"gold expressions: {res['n']} (split {args.split}, batch {args.batch}, via {args.via}"
          f"{', ' + args.file + ' file' if args.via == 'analyze' else ''})")
    print(f"{'category':18} {'n':>4} {'exact%':>7} {'span%':>7}")
    for cat, (n, ok, sp) in res["by_category"].items():
        print(f"{cat:18} {n:4d} {100 * ok / n:7.1f} {100 * sp / n:7.1f}")
    print(f"span-accuracy {res['span']:.1f}")
    print(f"spurious {len(res['spurious'])}")
    if args.verbose:
        for r, got in res["errors"]:
            print(f"MISS [{r['category']}] {r['text']!r} {r['value']} {r['granularity']} pub={r['published']} got={got}")
        for text, value in res["spurious"]:
            print(f"SPURIOUS {text!r} {value}")
    print(f"date-accuracy {res['exact']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
