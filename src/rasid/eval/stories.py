"""Near-duplicate and story-tracking evaluation.

    rasid eval stories [--data DIR] [--gold FILE] [--tune] [--cache FILE] [--skip-ans]

(a) **ANS headline pairs** (``DIR/news/ans-stance/{train,dev}.csv``): ``agree`` (paraphrase)
    = same story; ``disagree`` and ``other`` = not. Each pair is scored with the tracker's
    own function (`rasid.stories.tracker.score_documents`: the second headline against a
    story made of the first; headlines only, so no entities). The decision threshold is
    tuned on train (best F1) and reported on dev, next to the tracker's join threshold.
(b) **Hand-grouped SaudiNewsNet stories** (``tests/resources/stories-gold.jsonl``: url,
    title, date, story label, dev/test split by story; texts are read from
    ``DIR/news/saudinewsnet/saudinewsnet.jsonl.gz`` by url). The articles go through the
    ``tokenize, ner, resolve, dates, places`` pipeline once (cached with ``--cache``), then
    into a fresh in-memory archive in publication order, in batches of 50, with the
    near-duplicate and story hooks after each batch, exactly as `Monitor` runs them.
    Pairwise and B-cubed precision/recall/F1 are computed per split over the stored gold
    articles (an article the archive drops as an exact duplicate is left out). ``--tune``
    runs a small grid on the dev split first.
(c) **Near-duplicates**: 300 SaudiNewsNet articles and edited copies (words replaced or
    deleted at 2-20%, a dateline added, another URL and title): share detected; and the
    share of 3,000 distinct articles flagged as near-duplicates of another.

Shared data absent: the parts that need it are skipped with a note. The last line is
``story-bcubed-F1 <value>`` (test split; ``nan`` when skipped).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from ..doc import Document

GOLD = Path(__file__).resolve().parents[3] / "tests" / "resources" / "stories-gold.jsonl"
STAGES = ("tokenize", "ner", "resolve", "dates", "places")


# -- metrics ----------------------------------------------------------------------------------
def score_pairwise(gold: dict[str, str], pred: dict[str, object]) -> tuple[float, float, float]:
    """Precision, recall, F1 over all unordered pairs of the items in `gold`."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_g, same_p = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_g and same_p
        fp += (not same_g) and same_p
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_bcubed(gold: dict[str, str], pred: dict[str, object]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (Bagga & Baldwin) over the items in `gold`."""
    by_g: dict[str, set[str]] = defaultdict(set)
    by_p: dict[object, set[str]] = defaultdict(set)
    for i in gold:
        by_g[gold[i]].add(i)
        by_p[pred[i]].add(i)
    ps, rs = [], []
    for i in gold:
        g, p = by_g[gold[i]], by_p[pred[i]]
        inter = len(g & p)
        ps.append(inter / len(p))
        rs.append(inter / len(g))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _fmt(prf: tuple[float, float, float]) -> str:
    return f"P {prf[0]:.3f}  R {prf[1]:.3f}  F1 {prf[2]:.3f}"


# -- (a) ANS pairs ----------------------------------------------------------------------------
def read_ans(path: Path) -> list[tuple[str, str, bool]]:
    with open(path, encoding="utf-8") as fh:
        return [(r["s1"], r["s2"], r["stance"] == "agree") for r in csv.DictReader(fh)]


def evaluate_ans(data: Path, config) -> None:
    from ..stories.tracker import score_documents

    folder = data / "news" / "ans-stance"
    if not (folder / "train.csv").exists():
        print(f"(a) ANS pairs: skipped, {folder} not found")
        return
    scored = {}
    for part in ("train", "dev"):
        pairs = read_ans(folder / f"{part}.csv")
        scored[part] = [(score_documents(Document(a), Document(b), config), y) for a, b, y in pairs]

    def prf(items, t):
        tp = sum(1 for s, y in items if s >= t and y)
        fp = sum(1 for s, y in items if s >= t and not y)
        fn = sum(1 for s, y in items if s < t and y)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    grid = [round(0.05 * i, 2) for i in range(1, 17)]
    best_t = max(grid, key=lambda t: (prf(scored["train"], t)[2], -t))
    n_pos = sum(y for _, y in scored["dev"])
    print(f"(a) ANS headline pairs: train {len(scored['train'])}, dev {len(scored['dev'])} "
          f"({n_pos} agree); headline-only score (no entities)")
    print(f"    threshold tuned on train: {best_t:.2f}  dev {_fmt(prf(scored['dev'], best_t))}")
    print(f"    tracker join threshold {config.join_threshold:.2f}: dev {_fmt(prf(scored['dev'], config.join_threshold))}")


# -- (b) hand-grouped stories -----------------------------------------------------------------
def read_gold(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(data: Path, urls: set[str]) -> dict[str, dict]:
    path = data / "news" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    out: dict[str, dict] = {}
    if not path.exists():
        return out
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("url") in urls and rec["url"] not in out:
                out[rec["url"]] = rec
    return out


def analyse_gold(gold: list[dict], texts: dict[str, dict], cache: Path | None) -> list[Document]:
    """Analysed documents in publication order; pickled to `cache` if given. (Not JSON:
    ``Span.to_dict`` lets attrs named ``start``/``end`` — the dates layer has them —
    overwrite the offsets, so a JSON round trip fails.)"""
    import pickle

    if cache and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    from ..ingest.records import parse_published
    from ..stages import build_pipeline

    pipe = build_pipeline(STAGES)
    out = []
    for g in sorted(gold, key=lambda g: (g["date"], g["url"])):
        rec = texts.get(g["url"])
        if not rec:
            continue
        doc = Document(rec.get("content") or "", title=rec.get("title") or "", url=rec["url"],
                       source=rec.get("source"), published=parse_published(rec.get("date_extracted")))
        out.append(pipe(doc))
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def run_tracker(analysed: list[Document], config, batch: int = 50) -> tuple[dict[str, int], dict[str, str], int]:
    """``({url: story_id}, {url: duplicate_of}, seconds)`` after an online run."""
    from ..entities.archive import resolve_article_entities
    from ..stories import NearDuplicateDetector, StoryTracker
    from ..store import open_store

    store = open_store(":memory:")
    detector, tracker = NearDuplicateDetector(), StoryTracker(config)
    t0 = time.time()
    docs = pickle.loads(pickle.dumps(analysed))  # a copy: the store writes entity ids into spans
    for i in range(0, len(docs), batch):
        chunk = docs[i:i + batch]
        with store.transaction():
            report = store.add_documents(chunk)
            stored = {o.id for o in report.outcomes if o.outcome == "stored"}
            chunk = [d for d in chunk if d.id in stored]
            if chunk:
                for doc in chunk:
                    resolve_article_entities(store, doc)
                detector.process(store, chunk)
                tracker.process(store, chunk)
    seconds = time.time() - t0
    url = {d.id: d.url for d in docs}
    story = {url[m["article_id"]]: m["story_id"] for m in store.list_story_members()}
    dups = {url[n["article_id"]]: n["duplicate_of"] for n in store.list_near_duplicates()}
    store.close()
    return story, dups, seconds


def score_split(gold: list[dict], story: dict[str, int], split: str):
    g = {r["url"]: r["story"] for r in gold if r["split"] == split and r["url"] in story}
    p = {u: story[u] for u in g}
    return len(g), len(set(g.values())), score_pairwise(g, p), score_bcubed(g, p)


def evaluate_gold(data: Path, gold_path: Path, config, tune: bool, cache: Path | None) -> float:
    if not gold_path.exists():
        print(f"(b) hand-grouped stories: skipped, {gold_path} not found")
        return float("nan")
    gold = read_gold(gold_path)
    texts = load_texts(data, {g["url"] for g in gold})
    if not texts:
        print("(b) hand-grouped stories: skipped, SaudiNewsNet not found under", data)
        return float("nan")
    t0 = time.time()
    docs = analyse_gold(gold, texts, cache)
    print(f"(b) hand-grouped SaudiNewsNet stories: {len(gold)} gold articles, {len(docs)} with text "
          f"(analysed in {time.time() - t0:.0f}s)")
    if tune:
        import dataclasses

        print("    tuning on dev (join_threshold, w_entities, window_days): pairwise F1 / B-cubed F1")
        best = None
        for jt, we, win in itertools.product((0.15, 0.2, 0.25, 0.3), (0.0, 0.25), (2.0, 4.0)):
            cfg = dataclasses.replace(config, join_threshold=jt, w_entities=we, window_days=win)
            story, _, _ = run_tracker(docs, cfg)
            _, _, pw, b3 = score_split(gold, story, "dev")
            print(f"      {jt:.2f} {we:.2f} {win:.0f}d  {pw[2]:.3f} / {b3[2]:.3f}")
            if best is None or b3[2] > best[0]:
                best = (b3[2], cfg)
        config = best[1]
        print(f"    best on dev: join_threshold {config.join_threshold}, w_entities {config.w_entities}, "
              f"window_days {config.window_days}")
    story, dups, seconds = run_tracker(docs, config)
    print(f"    online run: {len(story)} articles in {len(set(story.values()))} stories, "
          f"{len(dups)} near-duplicates, {1000 * seconds / max(1, len(docs)):.1f} ms/article (store + archive steps)")
    final = float("nan")
    for split in ("dev", "test"):
        n, k, pw, b3 = score_split(gold, story, split)
        print(f"    {split:4s} ({n} articles, {k} gold stories): pairwise {_fmt(pw)} | B-cubed {_fmt(b3)}")
        final = b3[2]
    by_url = {g["url"]: g for g in gold}
    wrong = [(u, d) for u, d in dups.items() if u in by_url and d]
    print(f"    near-duplicates among gold articles: {len(wrong)}")
    return final


# -- (c) near-duplicates ------------------------------------------------------------------------
def perturb_text(text: str, rate: float, rng: random.Random) -> str:
    words = text.split()
    out = []
    for w in words:
        x = rng.random()
        if x < rate / 2:
            continue  # deleted
        if x < rate:
            out.append(rng.choice(words))  # replaced
        else:
            out.append(w)
    return " ".join(out)


def evaluate_neardup(data: Path, n_edit: int = 300, n_distinct: int = 3000) -> None:
    from ..stories.neardup import NearDuplicateDetector
    from ..store import open_store

    path = data / "news" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    if not path.exists():
        print("(c) near-duplicates: skipped, SaudiNewsNet not found")
        return
    rng = random.Random(13)
    recs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if len(rec.get("content") or "") > 400:
                recs.append(rec)
    rng.shuffle(recs)
    det = NearDuplicateDetector()
    # edited copies
    base = recs[:n_edit]
    store = open_store(":memory:")
    originals = [Document(r["content"], title=r["title"], url=r["url"]) for r in base]
    store.add_documents(originals)
    det.process(store, originals)
    print(f"(c) near-duplicates (char 5-shingles, 128 MinHash, 32x4 LSH, threshold {det.threshold}):")
    for rate in (0.02, 0.05, 0.10, 0.15, 0.20):
        copies = [Document("الرياض - واس: " + perturb_text(o.text, rate, rng), title="عاجل: " + o.title,
                           url=f"http://copies.example/{int(rate * 100)}/{i}") for i, o in enumerate(originals)]
        report = store.add_documents(copies)
        stored = {o.id for o in report.outcomes if o.outcome == "stored"}
        pairs = [(c, o) for c, o in zip(copies, originals) if c.id in stored]
        found = det.process(store, [c for c, _ in pairs])
        hit = sum(1 for c, o in pairs if found.get(c.id, ("",))[0] == o.id)
        print(f"    words edited {int(rate * 100):2d}%: linked to the original {hit}/{len(pairs)}")
    store.close()
    # distinct articles
    store = open_store(":memory:")
    docs = [Document(r["content"], title=r["title"], url=r["url"]) for r in recs[n_edit:n_edit + n_distinct]]
    report = store.add_documents(docs)
    stored = {o.id for o in report.outcomes if o.outcome == "stored"}
    t0 = time.time()
    found = det.process(store, [d for d in docs if d.id in stored])
    ms = 1000 * (time.time() - t0) / max(1, len(stored))
    print(f"    {len(stored)} distinct SaudiNewsNet articles: {len(found)} flagged as near-duplicates "
          f"of another ({100 * len(found) / max(1, len(stored)):.1f}%; these include real wire copies "
          f"across outlets), {ms:.1f} ms/article")
    store.close()


def main(argv: Sequence[str] | None = None) -> int:
    from ..settings import add_flags, get_setting
    from ..stories.tracker import TrackerConfig

    ap = argparse.ArgumentParser(prog="rasid eval stories", description=__doc__.splitlines()[0])
    add_flags(ap, ("shared_data",), aliases={"shared_data": ("--data",)})
    ap.add_argument("--gold", default=str(GOLD), help="hand-grouped gold JSONL")
    ap.add_argument("--cache", default=None, help="cache the analysed gold articles here (JSONL)")
    ap.add_argument("--tune", action="store_true", help="grid-search the tracker on the dev split first")
    ap.add_argument("--skip-ans", action="store_true")
    ap.add_argument("--skip-neardup", action="store_true")
    args = ap.parse_args(list(argv) if argv is not None else None)
    data = Path(args.shared_data or get_setting("shared_data"))
    config = TrackerConfig()
    t0 = time.time()
    if not args.skip_ans:
        evaluate_ans(data, config)
    final = evaluate_gold(data, Path(args.gold), config, args.tune, Path(args.cache) if args.cache else None)
    if not args.skip_neardup:
        evaluate_neardup(data)
    print(f"({time.time() - t0:.0f}s)")
    print(f"story-bcubed-F1 {final:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
