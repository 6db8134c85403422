"""Keyphrase evaluation on AKEC (Arabic Keyphrase Extraction Corpus, research use only).

    rasid eval keyphrases [AKEC_DIR] [--split test|train|all] [--k 10]

AKEC_DIR holds ``documents_raw/*.txt``, ``keyphrases/sort_frequency_pure.txt`` (one line
per document: ``ID : kp1,kp2,...``, the crowd keyphrases, most often chosen first) and
``train.ids`` / ``test.ids``. Default: ``$RASID_AKEC`` or ``../shared/data/keyphrases/akec``.

Matching (exact after normalisation): both sides go through
``rasid.summarise.keyphrases.convert_phrase_key`` (harakat removed, alef/hamza/ya folded,
ta marbuta -> ha, proclitics و ف ب ك ل and the article ال removed from every word), so
للصراعات الفكرية matches صراعات فكرية; duplicates after normalisation count once.
Precision@k = matched / k (predicted), recall = matched / number of gold phrases (~63 per
document, so F1@10 is capped near 27%), F1 per document, macro-averaged. A lenient figure
("stemmed") also counts a prediction as correct when it and a gold phrase have the same
light10-stemmed words (الفكري = الفكرية); it is labelled.
The last line is ``F1@10 <percent>`` (exact).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from ..arabic.stem import stem_light10
from ..doc import Document
from ..summarise.keyphrases import (DEFAULT_KP_CONFIG, KeyphraseConfig, convert_phrase_key,
                                    extract_keyphrases)



def read_akec(root: Path, split: str) -> list[tuple[str, str, list[str]]]:
    """``[(doc_id, text, gold phrases)]`` for a split."""
    gold: dict[str, list[str]] = {}
    for line in (root / "keyphrases/sort_frequency_pure.txt").read_text("utf-8-sig").splitlines():
        doc_id, sep, rest = line.partition(" : ")
        if sep:
            gold[doc_id.strip()] = [k.strip() for k in rest.split(",") if k.strip()]
    ids: list[str] = []
    for part in (["train", "test"] if split == "all" else [split]):
        ids += [i.strip() for i in (root / f"{part}.ids").read_text("utf-8").split() if i.strip()]
    out = []
    for fname in ids:
        doc_id = fname.rsplit(".", 1)[0]
        text = (root / "documents_raw" / fname).read_text("utf-8-sig").replace("\r\n", "\n")
        out.append((doc_id, text, gold.get(doc_id, [])))
    return out


def _stem_key(key: str) -> str:
    return " ".join(stem_light10(w) for w in key.split())


def _partial(p: str, golds: set[str]) -> bool:
    ps = _stem_key(p)
    for g in golds:
        gs = _stem_key(g)
        if ps == gs:
            return True
    return False


def score_keyphrases(data, k: int = 10, config: KeyphraseConfig = DEFAULT_KP_CONFIG) -> dict[str, float]:
    tot = {"P": 0.0, "R": 0.0, "F1": 0.0, "partial_P": 0.0, "partial_F1": 0.0}
    n = 0
    for doc_id, text, gold in data:
        golds = {g for g in (convert_phrase_key(x) for x in gold) if g}
        preds = []
        for item in extract_keyphrases(Document(text=text, id=doc_id), k, config):
            if item["key"] not in preds:
                preds.append(item["key"])
        hit = sum(1 for p in preds if p in golds)
        p = hit / k
        r = hit / len(golds) if golds else 0.0
        tot["P"] += p
        tot["R"] += r
        tot["F1"] += 2 * p * r / (p + r) if p + r else 0.0
        ph = sum(1 for x in preds if _partial(x, golds))
        pp, pr = ph / k, (ph / len(golds) if golds else 0.0)
        tot["partial_P"] += pp
        tot["partial_F1"] += 2 * pp * pr / (pp + pr) if pp + pr else 0.0
        n += 1
    return {key: 100 * v / max(n, 1) for key, v in tot.items()} | {"docs": n}


def main(argv: Sequence[str] | None = None) -> int:
    from ..settings import get_setting

    ap = argparse.ArgumentParser(prog="rasid eval keyphrases", description="F1@k on AKEC")
    ap.add_argument("root", nargs="?", default=None,
                    help="the AKEC folder (default: the akec setting, $RASID_AKEC)")
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args(list(argv) if argv is not None else None)
    root = Path(args.root or get_setting("akec"))
    if not (root / "keyphrases/sort_frequency_pure.txt").exists():
        print(f"rasid eval keyphrases: AKEC not found at {root}")
        return 3
    res = score_keyphrases(read_akec(root, args.split), args.k)
    print(f"AKEC {args.split}: {res['docs']} documents, k={args.k}, exact match after normalisation")
    print(f"P@{args.k} {res['P']:.2f}  R@{args.k} {res['R']:.2f}")
    print(f"lenient (light10-stemmed match) P@{args.k} {res['partial_P']:.2f}  "
          f"F1@{args.k} {res['partial_F1']:.2f}")
    print(f"F1@{args.k} {res['F1']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
