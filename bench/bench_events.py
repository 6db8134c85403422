"""What the events stage adds to ingest time.

    python bench/bench_events.py [--n 300] [--repeat 2]

1. Per stage: the first N SaudiNewsNet articles go through the default pipeline once
   (models loaded and warmed on 20 other articles first); each stage's time is summed.
   The events share is its time over the time of all other stages.
2. Full ingest (read, analyse, store, index, stories, event groups, alerts) of the same
   N articles into a fresh SQLite archive, with the default stages and without
   ``events``, alternated `--repeat` times; the overhead is the ratio of the medians.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rasid.doc import Document
from rasid.monitor import Monitor
from rasid.stages import DEFAULT_STAGES, build_pipeline

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def read_docs(n: int, skip: int = 0) -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, skip, skip + n)]


def to_doc(d: dict) -> Document:
    return Document(text=d["content"], title=d.get("title") or "", url=d.get("url"),
                    source=d.get("source"), published=(d.get("date_extracted") or "")[:10] or None)


def per_stage(rows: list[dict], warm: list[dict]) -> None:
    pipe = build_pipeline(DEFAULT_STAGES)
    for d in warm:
        pipe(to_doc(d))
    spent: dict[str, float] = defaultdict(float)
    events = 0
    for d in rows:
        doc = to_doc(d)
        for stage in pipe.stages:
            t0 = time.perf_counter()
            doc = stage(doc)
            spent[stage.name] += time.perf_counter() - t0
        events += len(doc.layers.get("events", []))
    total = sum(spent.values())
    other = total - spent["events"]
    print(f"per stage over {len(rows)} articles ({events} events found):")
    for name in pipe.names:
        print(f"  {name:<10} {spent[name]:8.2f}s  {100 * spent[name] / total:5.1f}%")
    print(f"  events stage / all other stages: {100 * spent['events'] / other:.1f}%")


def full_ingest(src: Path, stages: tuple[str, ...], tmp: Path, tag: str) -> float:
    db = tmp / f"{tag}-{time.monotonic_ns()}.db"
    with Monitor(db, stages=stages) as monitor:
        monitor.pipeline  # load models outside the timing
        t0 = time.perf_counter()
        summary = monitor.ingest([str(src)])
        dt = time.perf_counter() - t0
    print(f"  {tag:<10} {summary.stored} stored in {dt:.1f}s ({summary.read / dt:.2f} articles/s)")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    rows = read_docs(args.n, skip=1000)
    per_stage(rows, read_docs(20, skip=5000))
    without = tuple(s for s in DEFAULT_STAGES if s != "events")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "sample.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"full ingest of {len(rows)} articles:")
        with_t, without_t = [], []
        for _ in range(args.repeat):
            without_t.append(full_ingest(src, without, tmp, "no-events"))
            with_t.append(full_ingest(src, DEFAULT_STAGES, tmp, "events"))
        a, b = statistics.median(with_t), statistics.median(without_t)
        print(f"  median with events {a:.1f}s, without {b:.1f}s: events add {100 * (a - b) / b:+.1f}%")


if __name__ == "__main__":
    main()
