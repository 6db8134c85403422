"""Name-pair evaluation of entity resolution: ``python -m rasid.eval.resolve [FILE]``.

Reads a labelled pair file (``tests/resources/name-pairs.tsv``: name1, name2, type,
same, split, source) and scores the "same entity" decision (``is_same_entity``) with
pairwise precision / recall / F1, per split. The last line is ``pair-F1 <value>`` for the
chosen split (``--split test`` by default; tune only on dev).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ..entities.linking import is_same_entity

DEFAULT_PAIRS = Path(__file__).resolve().parents[3] / "tests" / "resources" / "name-pairs.tsv"


@dataclass
class PairScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        """Count one decision: a true or false positive or negative."""
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_pairs(path: Path) -> list[dict[str, str]]:
    rows = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        rows.append(dict(zip(header, fields)))
    return rows


def evaluate_pairs(rows: list[dict[str, str]], split: str | None = None,
                   errors: list[str] | None = None) -> PairScores:
    scores = PairScores()
    for row in rows:
        if split and split != "all" and row.get("split") != split:
            continue
        gold = row["same"] == "1"
        pred = is_same_entity(row["name1"], row["name2"], row["type"])
        scores.add(gold, pred)
        if errors is not None and gold != pred:
            errors.append(f"{'FN' if gold else 'FP'}\t{row['type']}\t{row['name1']}\t{row['name2']}")
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rasid eval resolve", description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="?", type=Path, default=DEFAULT_PAIRS)
    ap.add_argument("--split", default="test", help="dev, test or all (the pair-F1 line)")
    ap.add_argument("--errors", action="store_true", help="list the wrong decisions")
    args = ap.parse_args(argv)
    rows = read_pairs(args.pairs)
    errors: list[str] = []
    for split in ("dev", "test", "all"):
        s = evaluate_pairs(rows, split, errors if args.errors and split == args.split else None)
        print(f"{split}\tpairs {s.tp + s.fp + s.fn + s.tn}\tP {s.precision:.3f}\tR {s.recall:.3f}\tF1 {s.f1:.3f}")
    for e in errors:
        print(e)
    final = evaluate_pairs(rows, args.split)
    print(f"pair-F1 {final.f1:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
