"""Event coding quality on the hand-annotated gold sentences.

    rasid eval events [GOLD_FILE] [--split dev|test|all] [--errors N]

GOLD_FILE (default ``tests/resources/events-gold.jsonl``; how it was made:
``tests/resources/README-events.md``) holds one sentence per line: ``id``, ``split``,
``source``, ``text`` and ``events`` (``type``, ``mode``, ``trigger``, ``actor``,
``recipient``, ``negated``, ``hypothetical``; an empty list for a sentence with no event).
Each sentence is run through the default pipeline (tokens, NER, resolution, dates,
places, events) as a one-sentence document.

Scores, at sentence level (the set of PLOVER types found in a sentence against the gold
set): precision / recall / F1 per type and micro-averaged; the ASSAULT/PROTEST check
(on sentences whose gold has ASSAULT or PROTEST: the share of those gold types found,
and the share of emitted ASSAULT/PROTEST types there that are right); and, on the
(sentence, type) pairs found, agreement of mode, negation and hypothetical flags and of
actor and recipient (a predicted argument is right when it shares a word with the gold
one). The last line is ``events-micro-f1 <percent>``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from ..arabic.normalize import normalize_name
from ..doc import Document
from ..events.lexicon import PLOVER_TYPES, strip_article

DEFAULT_GOLD = "tests/resources/events-gold.jsonl"
FOCUS = ("ASSAULT", "PROTEST")


def read_gold(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from exc
            for field in ("id", "split", "text", "events"):
                if field not in row:
                    raise ValueError(f"{path}:{lineno}: field {field!r} missing")
            for ev in row["events"]:
                if ev.get("type") not in PLOVER_TYPES:
                    raise ValueError(f"{path}:{lineno}: field type: {ev.get('type')!r} is not PLOVER")
            rows.append(row)
    return rows


def code_sentences(rows: list[dict]) -> list[list[dict]]:
    """The events the pipeline finds in each gold sentence (as JSON dicts)."""
    from ..stages import build_pipeline

    pipeline = build_pipeline(("tokenize", "ner", "resolve", "dates", "places", "events"))
    out = []
    for row in rows:
        doc = pipeline(Document(text=row["text"], url=f"gold:{row['id']}"))
        out.append([s.to_dict(doc.text) for s in doc.layers.get("events", [])])
    return out


def word_set(text: str | None) -> set[str]:
    if not text:
        return set()
    return {strip_article(w) for w in normalize_name(text).split() if len(w) > 1} - {"من", "في", "علي"}


def same_arg(gold: str | None, pred: list[dict | None]) -> bool:
    g = word_set(gold)
    return any(p and g & word_set(p.get("text")) for p in pred)


def score(rows: list[dict], preds: list[list[dict]]) -> dict:
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    agree: Counter = Counter()
    total: Counter = Counter()
    focus_gold = focus_found = focus_emitted = focus_right = 0
    errors = []
    for row, pred in zip(rows, preds):
        gold_types = {e["type"] for e in row["events"]}
        pred_types = {e["type"] for e in pred}
        for t in gold_types & pred_types:
            tp[t] += 1
            g = [e for e in row["events"] if e["type"] == t]
            p = [e for e in pred if e["type"] == t]
            total["negated"] += 1
            agree["negated"] += any(e["negated"] for e in g) == any(e["negated"] for e in p)
            total["hypothetical"] += 1
            agree["hypothetical"] += any(e["hypothetical"] for e in g) == any(e["hypothetical"] for e in p)
            modes = {e["mode"] for e in g if e.get("mode")}
            if modes:
                total["mode"] += 1
                agree["mode"] += bool(modes & {e.get("mode") for e in p})
            for role in ("actor", "recipient"):
                golds = [e[role] for e in g if e.get(role)]
                if golds:
                    total[role] += 1
                    agree[role] += any(same_arg(x, [e.get(role) for e in p]) for x in golds)
        for t in pred_types - gold_types:
            fp[t] += 1
        for t in gold_types - pred_types:
            fn[t] += 1
        if gold_types & set(FOCUS):
            focus_gold += len(gold_types & set(FOCUS))
            focus_found += len(gold_types & pred_types & set(FOCUS))
            focus_emitted += len(pred_types & set(FOCUS))
            focus_right += len(pred_types & gold_types & set(FOCUS))
        if gold_types != pred_types:
            errors.append((row, sorted(gold_types), sorted(pred_types), pred))
    return {"tp": tp, "fp": fp, "fn": fn, "agree": agree, "total": total, "errors": errors,
            "focus": (focus_gold, focus_found, focus_emitted, focus_right)}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def print_report(s: dict, n: int, out=sys.stdout) -> float:
    tp, fp, fn = s["tp"], s["fp"], s["fn"]
    print(f"{n} sentences", file=out)
    print(f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}", file=out)
    for t in PLOVER_TYPES:
        if tp[t] + fp[t] + fn[t] == 0:
            continue
        p, r, f = prf(tp[t], fp[t], fn[t])
        print(f"{t:<12} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f} {tp[t] + fn[t]:5d} {tp[t] + fp[t]:5d}",
              file=out)
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'micro':<12} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}", file=out)
    g, found, emitted, right = s["focus"]
    if g:
        print(f"ASSAULT/PROTEST check: right type found {100 * found / g:.1f}% ({found}/{g}); "
              f"emitted ASSAULT/PROTEST right {100 * right / max(emitted, 1):.1f}% ({right}/{emitted})",
              file=out)
    for key in ("mode", "negated", "hypothetical", "actor", "recipient"):
        if s["total"][key]:
            print(f"{key} agreement on found types: {100 * s['agree'][key] / s['total'][key]:.1f}% "
                  f"({s['agree'][key]}/{s['total'][key]})", file=out)
    return 100 * f


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid eval events")
    ap.add_argument("gold", nargs="?", default=DEFAULT_GOLD)
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong sentences")
    args = ap.parse_args(argv)
    rows = [r for r in read_gold(args.gold) if args.split == "all" or r["split"] == args.split]
    preds = code_sentences(rows)
    s = score(rows, preds)
    for row, gold, pred, events in s["errors"][: args.errors]:
        print(f"- {row['id']} gold={gold} pred={pred}\n  {row['text']}")
        for e in events:
            print(f"    {e['type']} {e.get('mode')} «{e['text']}» actor={(e.get('actor') or {}).get('text')} "
                  f"recipient={(e.get('recipient') or {}).get('text')} neg={e['negated']} hyp={e['hypothetical']}")
    f1 = print_report(s, len(rows))
    print(f"events-micro-f1 {f1:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
