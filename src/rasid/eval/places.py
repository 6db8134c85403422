"""Toponym resolution accuracy on a gold list of place mentions.

    python -m rasid.eval.places [GOLD_FILE] [--split dev|test|all] [--batch first|issue14|all]
                                [--match-gazetteer safe|all|off] [--errors] [--entities]
                                [--pipeline [--via analyze [--file titled|bare|headline]]]

GOLD_FILE (default ``tests/resources/places-gold.jsonl``) holds one mention per line:
``doc``, ``split``, ``context`` (<= 400 characters), ``start``/``end``/``text`` (offsets
into the context), and the expected ``gazetteer_id`` (``gn:<geonameid>`` or a
non-GeoNames entry, or null when the place is not in the gazetteer), ``geonameid``,
``country``, ``name_en``. Each context is run through the tokenizer and ``PlaceStage``
with all its gold mentions given as LOC entities, so the resolver sees the other places
of the context. A mention is correct when the resolved entry is the gold entry
(geonameid level) and, more loosely, when the country matches (country level).
The placement score (``near``) is the issue-14 measure: a city mention is right when the
resolved point is within 0.6 degrees of the gold point, a region/province/continent within
4 degrees, a country when the country code is right. The gold point is the line's
``lat``/``lon`` when given (the issue-14 batch records it, also for places the gazetteer
lacks), else the gold gazetteer entry's.

Because each context was annotated exhaustively, the gazetteer tagger alone (no LOC
entities) is also scored: precision/recall of its spans against the gold spans.

``--pipeline`` scores end to end with no gold spans given (the shipped NER finds them);
``--via analyze`` does it through ``rasid analyze FILE --json`` on each context written as a
plain-text article file (under a title line without places; ``--file bare``: the context
alone; ``--file headline``: under its article's own title: `rasid.eval._article_file`), the
path the held-back gold is measured on.

The last line is ``toponym-accuracy <percent>`` (entry level, on the chosen split).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from ..arabic.tokenize import tokenize
from ..doc import Document, Span
from ._article_file import SHAPES, analyze_file, layer_spans, to_context
from ..geo.gazetteer import load_gazetteer
from ..stages.places import PlaceStage

DEFAULT_GOLD = "tests/resources/places-gold.jsonl"


NEAR_DEGREES = {"city": 0.6}  # anything else that is not a country: 4 degrees
REGION_DEGREES = 4.0


def read_gold(path: str | Path, batch: str = "all") -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path} line {n}: {exc}") from exc
    return [r for r in rows if batch == "all" or r.get("batch", "first") in batch.split(",")]


def convert_degrees(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in degrees of arc."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(a))))


def is_near(gold: dict, pred: Span | None) -> bool:
    """The issue-14 placement test for one gold mention and its prediction."""
    if pred is None:
        return False
    entry = load_gazetteer().by_key.get(gold.get("gazetteer_id") or "")
    feature = gold.get("feature") or (entry.feature if entry else "city")
    if feature == "country":
        return (pred.attrs.get("country") or None) == (gold["country"] or None)
    lat, lon = gold.get("lat"), gold.get("lon")
    if lat is None and entry is not None:
        lat, lon = entry.lat, entry.lon
    plat, plon = pred.attrs.get("lat"), pred.attrs.get("lon")
    if lat is None or plat is None or plon is None:
        return False
    return convert_degrees(lat, lon, plat, plon) <= NEAR_DEGREES.get(feature, REGION_DEGREES)


ORG_HEADS = ("شرطة", "أمانة", "أمين", "أمير", "إمارة", "محافظ", "بلدية", "سجون", "جامعة", "مستشفى",
             "مطار", "ميناء", "قاعدة", "بنك", "تعليم", "غرفة")


def classify_mention(gold: dict) -> str:
    """The phenomenon a gold mention stands for, for per-class figures: ``gap`` (no table
    held it when annotated), ``country``, ``region`` (province, region, continent),
    ``in organisation`` (a city named inside a body's name: شرطة جدة، أمانة منطقة الرياض),
    ``city, several words`` or ``city, one word``."""
    if gold.get("gazetteer_id") is None:
        return "gap"
    entry = load_gazetteer().by_key.get(gold["gazetteer_id"])
    feature = gold.get("feature") or (entry.feature if entry else "city")
    if feature == "country":
        return "country"
    if feature != "city":
        return "region"
    before = gold["context"][:gold["start"]].split()[-2:]
    if any(w.lstrip("وبل") in ORG_HEADS or w.lstrip("وبل").lstrip("ال") in ORG_HEADS for w in before):
        return "in organisation"
    return "city, several words" if " " in gold["text"].strip() else "city, one word"


def group_contexts(gold: list[dict]) -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in gold:
        groups[(g["doc"], g["context"])].append(g)
    return groups


def evaluate_places(gold: list[dict], stage: PlaceStage, ner=None) -> dict[str, float]:
    """Entry- and country-level accuracy with gold spans as LOC entities (plus, with `ner`
    (an NER stage), the PER/ORG entities it finds: the co-mentioned people and bodies)."""
    n = ok_id = ok_cc = ok_near = 0
    errors = []
    for (doc_id, context), mentions in group_contexts(gold).items():
        doc = Document(text=context, url=doc_id)
        doc.tokens = tokenize(context)
        others = []
        if ner is not None:
            ner(doc)
            others = [s for s in doc.layers.get("entities", []) if s.label in ("PER", "ORG")
                      and not any(s.start < m["end"] and m["start"] < s.end for m in mentions)]
        doc.layers["entities"] = [Span(m["start"], m["end"], "LOC") for m in mentions] + others
        stage(doc)
        places = [s for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"]
        for m in mentions:
            n += 1
            pred = next((s for s in places if s.start < m["end"] and m["start"] < s.end), None)
            pid = pred.attrs["gazetteer_id"] if pred else None
            pcc = pred.attrs["country"] if pred else None
            if m["gazetteer_id"] is not None and pid == m["gazetteer_id"]:
                ok_id += 1
            else:
                errors.append((m["text"], m["name_en"], m["country"],
                               pred.attrs["name_en"] if pred else None, pcc))
            if (m["country"] or None) == (pcc or None) and pred is not None:
                ok_cc += 1
            ok_near += is_near(m, pred)
    return {"n": n, "entry": 100.0 * ok_id / max(n, 1), "country": 100.0 * ok_cc / max(n, 1),
            "near": 100.0 * ok_near / max(n, 1), "errors": errors}


def evaluate_pipeline(gold: list[dict], pipeline=None, shape: str = "titled") -> dict:
    """End to end, as ``rasid analyze`` scores an article: the context goes through the
    `pipeline` (tokenizer, NER, places) with no gold spans given, or, with no pipeline,
    through ``rasid analyze FILE --json`` on a plain-text article file holding it (`shape`
    of the file: `rasid.eval._article_file`); a gold mention is right when
    a place span overlapping it passes the placement test (a mention not found is wrong;
    a nisba adjective's span counts for a country). Place spans (not adjectives)
    overlapping no gold mention are counted as false places; ``approximate``: for each
    approximately placed span on a gold mention, whether it passes the placement test."""
    n = ok_near = false = 0
    errors, spurious, placed, approximate = [], [], [], []
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (doc_id, context), mentions in group_contexts(gold).items():
        if pipeline is not None:
            spans = pipeline(Document(text=context, url=doc_id)).layers.get("places", [])
        else:
            doc = analyze_file(context, shape=shape, article=doc_id)
            spans = to_context(layer_spans(doc, "places"), doc["text"], context)
        places = [s for s in spans if s.attrs.get("relation") != "demonym"]
        for m in mentions:
            n += 1
            # a nisba adjective's span names its country (الحرب الباكستانية): it counts for
            # a gold country mention that no place span covers
            pred = next((s for s in places if s.start < m["end"] and m["start"] < s.end),
                        next((s for s in spans if s.start < m["end"] and m["start"] < s.end), None))
            cls = by_class[classify_mention(m)]
            cls[0] += 1
            if pred is not None and pred.attrs.get("relation") != "demonym":
                placed.append((pred.attrs["confidence"], is_near(m, pred)))
                if pred.attrs.get("approximate"):
                    approximate.append(is_near(m, pred))
            if is_near(m, pred):
                ok_near += 1
                cls[1] += 1
            else:
                errors.append((m["text"], m["name_en"], m["country"],
                               context[pred.start:pred.end] if pred else None,
                               pred.attrs["name_en"] if pred else None,
                               pred.attrs["country"] if pred else None))
        for s in places:
            if not any(s.start < m["end"] and m["start"] < s.end for m in mentions):
                false += 1
                spurious.append((context[s.start:s.end], s.attrs["name_en"], s.attrs["country"],
                                 context[max(0, s.start - 25):s.end + 25].replace("\n", " ")))
    return {"n": n, "near": 100.0 * ok_near / max(n, 1), "false": false,
            "errors": errors, "spurious": spurious, "by_class": dict(sorted(by_class.items())),
            "calibration": calibrate(placed), "approximate": approximate}


CONFIDENCE_BANDS = ((1.0, 1.01), (0.9, 1.0), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))


def calibrate(placed: list[tuple[float, bool]]) -> list[tuple[str, int, float]]:
    """(band, mentions, percent placed right) for the confidences of the place spans that
    overlap a gold mention (``CONFIDENCE_BANDS``: 1.0, 0.9-0.99, 0.7-0.9, 0.5-0.7, < 0.5)."""
    out = []
    for lo, hi in CONFIDENCE_BANDS:
        oks = [ok for c, ok in placed if lo <= c < hi]
        if oks:
            out.append((f"{lo:.1f}-{min(hi, 1.0):.2f}", len(oks), 100.0 * sum(oks) / len(oks)))
    return out


def evaluate_tagger(gold: list[dict], stage: PlaceStage) -> dict[str, float]:
    """Span precision/recall of the gazetteer tagger with no NER input."""
    tp = n_pred = n_gold = 0
    for (doc_id, context), mentions in group_contexts(gold).items():
        doc = Document(text=context, url=doc_id)
        doc.tokens = tokenize(context)
        doc.layers["entities"] = []
        stage(doc)
        pred = {(s.start, s.end) for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"}
        gold_spans = {(m["start"], m["end"]) for m in mentions}
        tp += len(pred & gold_spans)
        n_pred += len(pred)
        n_gold += len(gold_spans)
    p = 100.0 * tp / max(n_pred, 1)
    r = 100.0 * tp / max(n_gold, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rasid.eval.places", description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", default=DEFAULT_GOLD)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--batch", default="all",
                    help="first, issue14, issue14b, issue14c, several joined by commas, or all (default)")
    ap.add_argument("--match-gazetteer", choices=("safe", "all", "off"), default="safe")
    ap.add_argument("--errors", action="store_true", help="list the wrong resolutions")
    ap.add_argument("--pipeline", action="store_true",
                    help="end to end as rasid analyze: NER and the places stage find the mentions")
    ap.add_argument("--via", choices=("pipeline", "analyze"), default="pipeline",
                    help="with --pipeline: the stages on the context (default) or `rasid analyze "
                         "FILE --json` on it as a plain-text article file")
    ap.add_argument("--file", default="titled", choices=SHAPES,
                    help="with --via analyze, the file: the context under a title line without places "
                         "(default), the context alone, or under its article's own headline")
    ap.add_argument("--entities", action="store_true",
                    help="also give the resolver the PER/ORG entities the NER model finds")
    args = ap.parse_args(argv)
    gold = read_gold(args.gold, args.batch)
    stage = PlaceStage(match_gazetteer=args.match_gazetteer)
    ner = None
    if args.entities:
        from ..stages.ner import NERStage
        ner = NERStage()
    if args.pipeline:
        from ..stages import build_pipeline
        pipeline = build_pipeline(("tokenize", "ner", "places")) if args.via == "pipeline" else None
        for split in ("dev", "test", "all"):
            part = [g for g in gold if split == "all" or g["split"] == split]
            res = evaluate_pipeline(part, pipeline, args.file)
            print(f"{split}\tmentions {res['n']}\tpipeline-near-accuracy {res['near']:.1f}\t"
                  f"false-places {res['false']}")
            if split == args.split:
                result = res
        for cls, (total, ok) in result["by_class"].items():
            print(f"class\t{cls}\t{total}\t{100.0 * ok / total:.1f}")
        for band, total, ok in result["calibration"]:
            print(f"confidence\t{band}\t{total}\t{ok:.1f}")
        if result["approximate"]:  # placed at the place the article names (geo/approximate.py)
            near = result["approximate"]
            print(f"approximate\t{len(near)}\t{100.0 * sum(near) / len(near):.1f}")
        if args.errors:
            for e in result["errors"]:
                print("error\t" + "\t".join(str(x) for x in e))
            for e in result["spurious"]:
                print("false\t" + "\t".join(str(x) for x in e))
        print(f"pipeline-near-accuracy {result['near']:.1f}")
        return 0
    result = None
    for split in ("dev", "test", "all"):
        part = [g for g in gold if split == "all" or g["split"] == split]
        res = evaluate_places(part, stage, ner)
        tag = evaluate_tagger(part, PlaceStage(match_gazetteer=args.match_gazetteer))
        print(f"{split}\tmentions {res['n']}\tgeonameid-accuracy {res['entry']:.1f}\t"
              f"country-accuracy {res['country']:.1f}\tnear-accuracy {res['near']:.1f}\ttagger-P {tag['precision']:.1f}\t"
              f"tagger-R {tag['recall']:.1f}\ttagger-F1 {tag['f1']:.1f}")
        if split == args.split:
            result = res
    if args.errors and result:
        for e in result["errors"]:
            print("error\t" + "\t".join(str(x) for x in e))
    print(f"toponym-accuracy {result['entry']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
