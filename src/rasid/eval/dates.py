"""Date-extraction quality gate over the hand-annotated gold list.

    python -m rasid.eval.dates [--gold tests/resources/dates-gold.jsonl] [--split dev|test|all]
                               [--batch first|issue14|issue14b|issue14c|issue14d|all]
                               [--via analyze] [-v]

Each gold line holds a context sentence, its publication date (or null), one date expression
with offsets, the expected ISO value and granularity. `extract_dates` runs on the sentence;
a line is an exact match when a predicted span has the same offsets, value and granularity,
and a span match when only the offsets agree. Lines carry a ``batch`` (none: the first gold list;
``issue14``: the second, weighted toward ranges, ordinals, Hijri and relative months). Predictions in a context that overlap no gold
span are counted as spurious (contexts are annotated for all dates they contain, as far as
the annotator saw them). The last line is ``date-accuracy <percent>`` (exact match).

``--via analyze`` measures through the path the held-back gold uses, ``rasid analyze FILE
--published DATE --json``: each context is written as the body of a plain-text article file
(under a title line without dates), the command runs in-process, and the predicted offsets are
moved back from the document's text (whose lines the reader strips) to the context.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

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


def extract_via_analyze(sentence: str, published: str | None) -> tuple[list, str]:
    """The dates layer that `rasid analyze FILE [--published DATE] --json` prints for an
    article whose body is `sentence`, as Spans, and the document's text."""
    import contextlib
    import io
    import tempfile

    from rasid.cli.main import main as cli_main
    from rasid.doc import Span

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(f"خبر\n\n{sentence}\n", "utf-8")
        out = io.StringIO()
        argv = ["analyze", str(path), "--json", "--no-sentences"]
        with contextlib.redirect_stdout(out):
            code = cli_main(argv + (["--published", published] if published else []))
    if code != 0:
        raise RuntimeError(f"rasid analyze exited {code} on {sentence[:60]!r}")
    doc = json.loads(out.getvalue())
    spans = [Span(d["start"], d["end"], "DATE", {k: v for k, v in d.items()
                                                 if k not in ("id", "start", "end", "label", "text")})
             for d in doc["layers"].get("dates", [])]
    return spans, doc["text"]


def evaluate_dates(rows: list[dict], via: str = "extract") -> dict:
    cache: dict[tuple, list] = {}
    by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    exact = span = 0
    errors = []
    gold_spans: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        key = (r["sentence"], r["published"])
        gold_spans[key].append((r["start"], r["end"]))
        if key not in cache:
            cache[key] = extract_dates(r["sentence"], r["published"]) if via == "extract" \
                else _to_sentence(*extract_via_analyze(*key), r["sentence"])
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


def _to_sentence(spans: list, doc_text: str, sentence: str) -> list:
    """`spans` (offsets into `doc_text`, the reader's text of an article whose body is
    `sentence`, with its lines stripped) with offsets into `sentence`: the characters other
    than whitespace are paired in order from where the sentence begins."""
    words = sentence.split()
    at = doc_text.find(words[0]) if words else -1
    if at < 0:
        return []  # the reader lost the text: every gold line of it counts as missed
    pos = {}  # doc offset -> sentence offset, for the characters that are not whitespace
    j = at
    for i, ch in enumerate(sentence):
        if ch.isspace():
            continue
        while j < len(doc_text) and doc_text[j].isspace():
            j += 1
        if j >= len(doc_text) or doc_text[j] != ch:
            return []
        pos[j] = i
        j += 1
    kept = []
    for sp in spans:
        if sp.start in pos and sp.end - 1 in pos:
            sp.start, sp.end = pos[sp.start], pos[sp.end - 1] + 1
            kept.append(sp)
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid.eval.dates", description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(DEFAULT_GOLD))
    ap.add_argument("--split", default="all", choices=("dev", "test", "all"))
    ap.add_argument("--batch", default="all", help="first, issue14, issue14b, issue14c, issue14d or all (default)")
    ap.add_argument("--via", default="extract", choices=("extract", "analyze"),
                    help="extract_dates on each context (default) or `rasid analyze FILE "
                         "--published DATE --json` on it as an article file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each miss and spurious span")
    args = ap.parse_args(argv)
    res = evaluate_dates(load_gold(args.gold, args.split, args.batch), args.via)
    print(f"gold expressions: {res['n']} (split {args.split}, batch {args.batch}, via {args.via})")
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
