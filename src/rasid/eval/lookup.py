"""Entity lookup over an archive: ``rasid eval lookup --db ARCHIVE [PAIRS] [--split test]``.

For each pair of ``tests/resources/entity-lookup-pairs.tsv`` (name1, name2, same, split)
it looks name1 up as ``rasid entity name1 --json`` does (`Monitor.entity_profiles`) and
predicts "same" when name2, normalised, is among the first record's names (its canonical
and every form seen). Precision and recall of that prediction per split; the last line is
``lookup-precision <p> recall <r>`` for the chosen split (``--split test`` by default:
tune on dev only). ``--errors`` lists the wrong decisions with what the lookup answered.
name2 is compared as a lookup would read it (titles before a name, a clitic). With
``--attested-in ARTICLES.jsonl`` only the pairs whose Arabic names both occur in those
articles count (a name absent from the archive measures the sample, not rasid).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..entities.lookup import compute_query_forms
from ..entities.names import normalize_entity_name
from ..entities.translit import is_latin
from .resolve import PairScores, read_pairs

DEFAULT_PAIRS = Path(__file__).resolve().parents[3] / "tests" / "resources" / "entity-lookup-pairs.tsv"


def predict_same(monitor, name1: str, name2: str) -> tuple[bool, str]:
    """(name2 is among the first record's names, what the lookup answered)."""
    profiles = monitor.entity_profiles(name1, limit=1)
    if not profiles:
        return False, "not found"
    first = profiles[0]
    names = {normalize_entity_name(n) for n in [first["canonical"], *first.get("aliases", [])]}
    wanted = set().union(*compute_query_forms(name2)) or {normalize_entity_name(name2)}
    return bool(names & wanted), f"{first['canonical']} (id={first['id']})"


def read_attested_texts(path: Path) -> list[str]:
    """Normalised title + content of every article of a JSON Lines file."""
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            texts.append(" " + normalize_entity_name(f"{rec.get('title', '')} {rec.get('content', '')}") + " ")
    return texts


def is_attested(row: dict[str, str], texts: list[str]) -> bool:
    """Every Arabic name of the pair occurs (normalised, as whole words) in some article."""
    names = [n for n in (row["name1"], row["name2"]) if not is_latin(n)]
    return all(any(f" {normalize_entity_name(n)} " in t for t in texts) for n in names)


def evaluate_lookups(monitor, rows: list[dict[str, str]], split: str,
                     errors: list[str] | None = None) -> PairScores:
    scores = PairScores()
    for row in rows:
        if split != "all" and row.get("split") != split:
            continue
        if row.get("attested") == "0":
            continue
        gold = row["same"] == "1"
        pred, answer = predict_same(monitor, row["name1"], row["name2"])
        scores.add(gold, pred)
        if errors is not None and gold != pred:
            errors.append(f"{'FN' if gold else 'FP'}\t{row['name1']}\t{row['name2']}\t-> {answer}")
    return scores


def main(argv: list[str] | None = None) -> int:
    from ..monitor import Monitor

    ap = argparse.ArgumentParser(prog="rasid eval lookup", description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="?", type=Path, default=DEFAULT_PAIRS)
    ap.add_argument("--db", required=True, help="the archive to look names up in")
    ap.add_argument("--split", default="test", help="dev, test or all (the last line)")
    ap.add_argument("--errors", action="store_true", help="list the wrong decisions")
    ap.add_argument("--attested-in", type=Path, metavar="JSONL",
                    help="only the pairs whose Arabic names occur in these articles (the ones "
                         "the archive was built from)")
    args = ap.parse_args(argv)
    rows = read_pairs(args.pairs)
    if args.attested_in:
        texts = read_attested_texts(args.attested_in)
        for row in rows:
            row["attested"] = "1" if is_attested(row, texts) else "0"
    errors: list[str] = []
    with Monitor(args.db) as monitor:
        for split in ("dev", "test", "all"):
            s = evaluate_lookups(monitor, rows, split, errors if args.errors and split == args.split else None)
            print(f"{split}\tpairs {s.tp + s.fp + s.fn + s.tn}\tP {s.precision:.3f}\tR {s.recall:.3f}"
                  f"\tTP {s.tp} FP {s.fp} FN {s.fn} TN {s.tn}")
            if split == args.split:
                final = s
    for e in errors:
        print(e)
    print(f"lookup-precision {final.precision:.4f} recall {final.recall:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
