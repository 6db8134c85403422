"""K-fold cross-validation of the NER model over ANERcorp train (``rasid train ner --cv K``).

ANERcorp has no document markers; its articles follow each other as runs of sentences.
A fold is therefore one **contiguous block** of the corpus: the sentences are cut into K
blocks of equal sentence count, in corpus order, and fold i holds out block i and trains on
the other K-1 (the dev split of ``split_dev`` is inside the blocks like any other
sentence). Only the two edges of a block can cut an article, so a name repeated inside an
article is rarely on both sides. Each fold's model is written to ``--work/cv/fold-i`` and
scored through ``NERTagger`` (the shipped code path, overrides included), sentence by
sentence and as running text (the document-level pass over +-20 sentences, what
``rasid eval ner`` does). The summary gives mean, sample standard deviation and range over
the folds, per type and micro, and the micro-F1 of all the out-of-fold predictions pooled.

The learning curve (``--curve 25,50,75,100``) trains the same folds on the first p% of each
training block (contiguous runs again, spread over the corpus) and scores the same held-out
block; without ``--curve`` only 100% is run.
"""
from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Callable, Sequence

Sentence = tuple[list[str], list[str]]
TYPES = ("PER", "ORG", "LOC", "MISC")


def fold_blocks(sents: Sequence[Sentence], k: int) -> list[list[Sentence]]:
    """The corpus cut into `k` contiguous blocks of (almost) equal sentence count."""
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    n = len(sents)
    return [list(sents[n * b // k:n * (b + 1) // k]) for b in range(k)]


def training_part(blocks: list[list[Sentence]], held: int, percent: int = 100) -> list[Sentence]:
    """The training sentences of fold `held`: the first `percent`% of every other block."""
    out: list[Sentence] = []
    for b, block in enumerate(blocks):
        if b != held:
            out.extend(block[:max(1, round(len(block) * percent / 100))])
    return out


def summarize(runs: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Mean, sample standard deviation, min and max of each type's F1 and of micro P/R/F1."""
    out: dict[str, dict[str, float]] = {}
    for key in ("micro",) + TYPES:
        for metric in (("precision", "recall", "f1") if key == "micro" else ("f1",)):
            vals = [r[key][metric] for r in runs if key in r]
            if not vals:
                continue
            out[f"{key}.{metric}"] = {"mean": statistics.fmean(vals),
                                      "sd": statistics.stdev(vals) if len(vals) > 1 else 0.0,
                                      "min": min(vals), "max": max(vals), "n": len(vals)}
    return out


def format_summary(title: str, summary: dict, pooled: float | None = None) -> list[str]:
    lines = [title]
    for key, s in summary.items():
        lines.append(f"  {key:<16} {s['mean']:6.2f} ± {s['sd']:4.2f}  ({s['min']:.2f}–{s['max']:.2f}, {s['n']} folds)")
    if pooled is not None:
        lines.append(f"  {'pooled micro-F1':<16} {pooled:6.2f}")
    return lines


def run_cv(sents: Sequence[Sentence], k: int, build: Callable[[list, Path], None], work: Path,
           folds: Sequence[int] | None = None, curve: Sequence[int] = (), log: Callable[[str], None] = print) -> dict:
    """Train and score the folds; `build(train_sentences, model_dir)` writes a model
    directory. Returns the per-fold scores and their summaries (also written to
    ``work/cv/cv-K.json``)."""
    from ..eval.ner import DEFAULT_CONTEXT, score_entities
    from ..stages.ner import NERTagger

    blocks = fold_blocks(sents, k)
    folds = list(range(k)) if folds is None else list(folds)
    bad = [f for f in folds if not 0 <= f < k]
    if bad:
        raise ValueError(f"--cv-folds: fold {bad[0]} is outside 0..{k - 1}")
    percents = sorted(set(curve)) or [100]
    result: dict = {"k": k, "folds": folds, "block_sentences": [len(b) for b in blocks], "runs": {}}
    pooled: dict[tuple[int, str], tuple[list, list]] = {}
    for percent in percents:
        for f in folds:
            train = training_part(blocks, f, percent)
            test = blocks[f]
            model_dir = work / "cv" / f"fold-{f}"
            log(f"cv fold {f + 1}/{k} at {percent}%: {len(train)} train / {len(test)} held-out sentences")
            build(train, model_dir)
            tagger = NERTagger(model_dir)
            tokens, gold = [t for t, _ in test], [y for _, y in test]
            pred = {"sentence": tagger.tag_sentences(tokens), "context": tagger.tag_sentences(tokens, context=DEFAULT_CONTEXT)}
            del tagger
            for mode, tags in pred.items():
                scores = score_entities(gold, tags)
                result["runs"].setdefault(f"{mode}@{percent}", []).append(
                    {"fold": f, **{t: {m: round(v, 2) for m, v in s.items()} for t, s in scores.items()}})
                g, p = pooled.setdefault((percent, mode), ([], []))
                g.extend(gold)
                p.extend(tags)
            log(f"cv fold {f + 1}/{k} at {percent}%: micro-F1 {result['runs'][f'context@{percent}'][-1]['micro']['f1']:.2f} (running text)")
    result["summary"] = {key: summarize(runs) for key, runs in result["runs"].items()}
    result["pooled"] = {f"{mode}@{pc}": round(score_entities(g, p)["micro"]["f1"], 2) for (pc, mode), (g, p) in pooled.items()}
    out = work / "cv" / f"cv-{k}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"cv results in {out}")
    return result


def print_cv(result: dict) -> None:
    for key in sorted(result["summary"], key=lambda s: (int(s.split("@")[1]), s)):
        mode, percent = key.split("@")
        what = "each sentence alone" if mode == "sentence" else "read as running text (eval default)"
        for line in format_summary(f"cv {result['k']} folds {result['folds']}, {percent}% of the training blocks, {what}:",
                                   result["summary"][key], result["pooled"].get(key)):
            print(line)
    if "context@100" in result["summary"]:
        print(f"cv micro-F1 {result['summary']['context@100']['micro.f1']['mean']:.2f} "
              f"± {result['summary']['context@100']['micro.f1']['sd']:.2f}")
