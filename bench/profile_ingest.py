"""Where full ingest spends its time: reading, each pipeline stage, the store, each archive step.

    nice -n 5 timeout 3600 python bench/profile_ingest.py [--n 5000] [--stages ...] [--db PATH]
        [--src BEFORE/src AFTER/src [--keep DIR]]

Ingests the first N SaudiNewsNet articles (default 5,000) into a fresh SQLite archive through
`Monitor.ingest` (one process, the real code path) with a timer around every stage call
(`Pipeline.run_stage_chunk`: a stage over a chunk of articles, the ``ner_batch_articles``
setting; `Pipeline.run_stage` in a tree from before chunks), every archive step (`prepare` outside and `run` inside the batch
transaction), the store's `add_documents`, the transaction's commit and the readers' `next()`;
then prints one table: wall seconds and CPU seconds (`time.process_time`: steadier on a
loaded machine) and the share of the total of each, plus articles/s and words/s. "load" is
the building of the pipeline (the stages' models and tables), "other" what no timer covers
(the lazy loading of what a stage or step reads on first use, progress, the loop itself).

``--src`` profiles each source tree given (``git archive COMMIT src | tar -x -C DIR``), one
after the other in a process of its own, and then prints the CPU seconds of every part side
by side with the ratio of the last tree to the first; ``--keep DIR`` keeps their archives
(``DIR/profile-{k}.db``, k the ``--src`` index) for ``bench/compare_archives.py``.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"

TIMES: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
GC_CPU: dict[str, float] = defaultdict(float)


def time_into(key: str, fn: Any) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[key] += time.perf_counter() - t0
            CPU[key] += time.process_time() - c0
            CALLS[key] += 1
    return timed


def time_gc() -> None:
    """Count the CPU seconds of the garbage collector's passes, by generation (``gc 0`` ...):
    they fall inside whichever part allocated the object that set them off."""
    started = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            GC_CPU[f"gc {info['generation']}"] += time.process_time() - started[0]
    gc.callbacks.append(callback)


def time_iterator(key: str, items: Iterator[Any]) -> Iterator[Any]:
    it = iter(items)
    while True:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            item = next(it)
        except StopIteration:
            TIMES[key] += time.perf_counter() - t0
            CPU[key] += time.process_time() - c0
            return
        TIMES[key] += time.perf_counter() - t0
        CPU[key] += time.process_time() - c0
        CALLS[key] += 1
        yield item


def instrument(monitor: Any) -> None:
    """Wrap the stages, the archive steps and the store of this one Monitor with timers."""
    pipeline = monitor.pipeline
    if hasattr(pipeline, "run_stage_chunk"):  # a stage over a chunk of documents (Pipeline.pipe)
        run_chunk = pipeline.run_stage_chunk
        pipeline.run_stage_chunk = lambda stage, docs: time_into(f"stage {stage.name}", run_chunk)(stage, docs)
    else:  # a tree from before chunks: one document at a time
        run_stage = pipeline.run_stage
        pipeline.run_stage = lambda stage, doc: time_into(f"stage {stage.name}", run_stage)(stage, doc)
    for step in monitor.archive_steps:
        step.prepare = time_into(f"step {step.name}", step.prepare)
        step.run = time_into(f"step {step.name}", step.run)
        step.after_commit = time_into(f"step {step.name}", step.after_commit)
    store = monitor.store
    store.add_documents = time_into("store add_documents", store.add_documents)
    store.find_duplicate = time_into("store find_duplicate", store.find_duplicate)
    transaction = store.transaction

    @contextlib.contextmanager
    def timed_transaction() -> Iterator[None]:
        cm = transaction()
        cm.__enter__()
        try:
            yield
        except BaseException:
            if not cm.__exit__(*sys.exc_info()):
                raise
        else:
            t0 = time.perf_counter()
            cm.__exit__(None, None, None)
            TIMES["store commit"] += time.perf_counter() - t0
            CALLS["store commit"] += 1
    store.transaction = timed_transaction
    read_sources = monitor.read_sources
    monitor.read_sources = lambda *a, **k: time_iterator("read", read_sources(*a, **k))


def write_sample(corpus: Path, n: int, dest: Path) -> None:
    with gzip.open(corpus, "rt", encoding="utf-8") as fh, dest.open("w", encoding="utf-8") as out:
        for line in itertools.islice(fh, n):
            out.write(line)


def print_table(total: float, cpu_total: float, summary: Any) -> None:
    order = ["load", "read"] + [k for k in TIMES if k.startswith("stage ")] + \
        [k for k in TIMES if k.startswith("store ")] + [k for k in TIMES if k.startswith("step ")]
    covered, cpu_covered = sum(TIMES[k] for k in order), sum(CPU[k] for k in order)
    print(f"{'part':<28}{'seconds':>10}{'share':>8}{'CPU s':>10}{'share':>8}{'calls':>8}{'ms/call':>10}")
    for key in order:
        calls = CALLS[key] or 1
        print(f"{key:<28}{TIMES[key]:>10.2f}{100 * TIMES[key] / total:>7.1f}%{CPU[key]:>10.2f}"
              f"{100 * CPU[key] / cpu_total:>7.1f}%{CALLS[key]:>8}{1000 * TIMES[key] / calls:>10.2f}")
    print(f"{'other':<28}{total - covered:>10.2f}{100 * (total - covered) / total:>7.1f}%"
          f"{cpu_total - cpu_covered:>10.2f}{100 * (cpu_total - cpu_covered) / cpu_total:>7.1f}%")
    print(f"{'total':<28}{total:>10.2f}{100.0:>7.1f}%{cpu_total:>10.2f}{100.0:>7.1f}%")
    print(f"{summary.read} read, {summary.stored} stored, {summary.duplicates} duplicates, "
          f"{len(summary.rejected)} rejected, {len(summary.failed)} failed; "
          f"{summary.read / total:,.1f} articles/s, {summary.words / total:,.0f} words/s wall; "
          f"{summary.read / cpu_total:,.1f} articles/s, {summary.words / cpu_total:,.0f} words/s per CPU second")
    print("of which the garbage collector (inside the parts above), CPU s: " + ", ".join(
        f"{k} {v:.2f}" for k, v in sorted(GC_CPU.items())))


def compare_trees(args: argparse.Namespace) -> None:
    """Run this script once per ``--src`` tree and print the parts' CPU seconds side by side."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, tree in enumerate(args.src):
            out = Path(tmp) / f"cpu-{k}.json"
            cmd = [sys.executable, __file__, "--n", str(args.n), "--corpus", str(args.corpus),
                   "--json", str(out)] + (["--stages", args.stages] if args.stages else [])
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                db = args.keep / f"profile-{k}.db"
                db.unlink(missing_ok=True)
                cmd += ["--db", str(db)]
            print(f"== [{k}] {tree}", flush=True)
            subprocess.run(cmd, env=dict(os.environ, PYTHONPATH=str(tree)), check=True)
            runs.append(json.loads(out.read_text()))
    parts = list(dict.fromkeys(p for r in runs for p in r["cpu"]))
    print(f"\nCPU s, {args.n} articles; trees: " + ", ".join(f"[{k}] {t}" for k, t in enumerate(args.src)))
    print(f"{'part':<28}" + "".join(f"{f'[{k}]':>10}" for k in range(len(runs))) + f"{'ratio':>8}")
    for part in parts:
        cpu = [r["cpu"].get(part, 0.0) for r in runs]
        ratio = f"{cpu[-1] / cpu[0]:>8.2f}" if cpu[0] else ""
        print(f"{part:<28}" + "".join(f"{c:>10.2f}" for c in cpu) + ratio)
    print(f"{'articles per CPU second':<28}" + "".join(f"{r['read'] / r['cpu']['total']:>10.1f}" for r in runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    ap.add_argument("--stages", help="comma-separated stages (default: the default pipeline)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--db", help="archive to fill (default: a fresh temporary file)")
    ap.add_argument("--src", type=Path, nargs="+", help="source trees to profile one after the other")
    ap.add_argument("--keep", type=Path, help="with --src: keep the archives in this folder")
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # --src's child writes its CPU here
    args = ap.parse_args()
    if args.src:
        return compare_trees(args)
    from rasid.monitor import Monitor
    from rasid.stages import DEFAULT_STAGES

    stages = args.stages or ",".join(DEFAULT_STAGES)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample.jsonl"
        write_sample(args.corpus, args.n, src)
        with Monitor(args.db or Path(tmp) / "profile.db", stages=tuple(stages.split(","))) as monitor:
            t0, c0 = time.perf_counter(), time.process_time()
            time_into("load", instrument)(monitor)  # builds the pipeline: the models' loading
            time_gc()
            summary = monitor.ingest([str(src)])
            total, cpu_total = time.perf_counter() - t0, time.process_time() - c0
    print(f"full ingest of {args.n} SaudiNewsNet articles, one process, stages {stages}")
    print_table(total, cpu_total, summary)
    if args.json:
        covered = sum(CPU[k] for k in TIMES)
        cpu = dict(CPU, other=cpu_total - covered, total=cpu_total, **GC_CPU)
        args.json.write_text(json.dumps({"cpu": cpu, "read": summary.read}))


if __name__ == "__main__":
    main()
