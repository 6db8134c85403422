"""Cost of storing analysed articles with the archive steps (entities across the archive,
near-duplicates, stories, event groups, alerts with one query watch), per step and per batch.

    nice python bench/bench_archive_steps.py [--n 1000] [--batch 200] [--cache /tmp/analysed.pkl]
        [--sample [--top 25]] [--db PATH]

Analyses the first N SaudiNewsNet records once (read as `rasid ingest` reads them; cached,
pickled: a cache written by another rasid version may not load back into this one's
Document; delete it then), then stores them with `Monitor.store_documents` (one
transaction per batch: articles + every step) into a fresh SQLite file (`--db` keeps it,
for `bench/compare_archives.py`). The analysis is not timed. Prints the CPU seconds
(`time.process_time`) of `add_documents` and of every step (`prepare` and `run`) per
batch, so that a step whose per-batch cost grows with the archive shows: the last column
is the last batches' CPU over the first ones' (a batch's cost also follows its content:
the number of its events, entities and stories).

`--sample` adds a sampling profile of each step (a ``SIGPROF`` timer every 2 ms of CPU,
the Python stack read at each tick and weighed by the CPU time since the previous one,
since ticks inside a long C call such as an SQLite statement arrive as one when it
returns; cProfile's per-call cost inflates the many small calls of the resolver): the
functions with the most CPU inside them (inclusive) and at the top of the stack (own),
per step.
"""
from __future__ import annotations

import argparse
import gc
import itertools
import os
import pickle
import signal
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rasid.doc import Document
from rasid.monitor import IngestSummary, Monitor

CORPUS = Path(os.environ.get("RASID_SHARED_DATA", "/work/shared/data")) / "news/saudinewsnet/saudinewsnet.jsonl.gz"
TICK = 0.002


def analysed(n: int, cache: Path | None) -> list[Document]:
    """The documents of the first `n` records, analysed (from `cache` when it holds that many
    records: ``{"records": count, "docs": [(record number, document), ...]}``)."""
    if cache and cache.exists():
        held = pickle.loads(cache.read_bytes())
        if isinstance(held, dict) and held.get("records", 0) >= n:
            return [d for i, d in held["docs"] if i < n]
    from rasid.ingest.jsonl import read_jsonl  # what `rasid ingest` reads, record by record

    summary = IngestSummary()
    docs = [(i, d) for i, d in enumerate(summary.take(r) for r in itertools.islice(read_jsonl(CORPUS), n)) if d]
    with tempfile.TemporaryDirectory() as tmp, Monitor(os.path.join(tmp, "a.db")) as monitor:
        docs = [(i, monitor.analyze(d)) for i, d in docs]
    if cache:
        cache.write_bytes(pickle.dumps({"records": n, "docs": docs}))
    return [d for _, d in docs]


class Sampler:
    """Samples the Python stack every `TICK` s of CPU, counted under the part running."""

    def __init__(self) -> None:
        self.part = ""
        self.own: dict[str, Counter] = defaultdict(Counter)
        self.inclusive: dict[str, Counter] = defaultdict(Counter)
        self.ticks: Counter = Counter()
        self.last = 0.0

    def start(self) -> None:
        self.last = time.process_time()
        signal.signal(signal.SIGPROF, self._tick)
        signal.setitimer(signal.ITIMER_PROF, TICK, TICK)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)

    def _tick(self, signum: int, frame: Any) -> None:
        now = time.process_time()
        # a tick that falls inside a long C call (SQLite, json) is delivered when it returns,
        # and the ticks missed meanwhile are lost: weigh each sample by the CPU since the last
        spent, self.last = now - self.last, now
        if not self.part or frame is None:
            return
        self.ticks[self.part] += spent
        seen = set()
        first = True
        while frame is not None:
            code = frame.f_code
            name = f"{Path(code.co_filename).name}:{code.co_firstlineno} {code.co_name}"
            if first:
                self.own[self.part][name] += spent
                first = False
            if name not in seen:
                seen.add(name)
                self.inclusive[self.part][name] += spent
            frame = frame.f_back

    def report(self, top: int) -> None:
        for part, ticks in sorted(self.ticks.items()):
            print(f"\n{part}: {ticks:.2f} CPU s sampled")
            print(f"  {'inclusive':>9} {'own':>6}  function")
            for name, n in self.inclusive[part].most_common(top):
                print(f"  {100 * n / ticks:>8.1f}% {100 * self.own[part][name] / ticks:>5.1f}%  {name}")


def instrument(monitor: Monitor, sampler: Sampler | None) -> dict[str, list[float]]:
    """Wrap `add_documents` and each step's `prepare` and `run` with CPU timers, one entry
    per batch (a step's `prepare` and `run` of one batch are added together)."""
    cpu: dict[str, list[float]] = defaultdict(list)

    def timed(key: str, fn: Any, new_batch: bool) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if sampler:
                outer, sampler.part = sampler.part, key
            c0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - c0
                if new_batch or not cpu[key]:
                    cpu[key].append(spent)
                else:
                    cpu[key][-1] += spent
                if sampler:
                    sampler.part = outer
        return wrapper

    monitor.store.add_documents = timed("store add_documents", monitor.store.add_documents, True)
    for step in monitor.archive_steps:
        step.prepare = timed(f"step {step.name}", step.prepare, True)
        step.run = timed(f"step {step.name}", step.run, False)
    return cpu


def print_table(cpu: dict[str, list[float]], batch: int, stored: int, wall: float) -> None:
    batches = max(len(v) for v in cpu.values())
    cols = range(batches)
    print(f"{'CPU s per batch of ' + str(batch):<28}" + "".join(f"{i + 1:>7}" for i in cols)
          + f"{'total':>9}{'ms/art':>8}{'last/first':>11}")
    quarter = max(1, batches // 4)
    for key, values in cpu.items():
        first, last = sum(values[:quarter]) / quarter, sum(values[-quarter:]) / quarter
        print(f"{key:<28}" + "".join(f"{v:>7.2f}" for v in values) + f"{sum(values):>9.2f}"
              f"{1000 * sum(values) / max(stored, 1):>8.2f}{(last / first if first else 0):>10.2f}x")
    steps = sum(sum(v) for k, v in cpu.items() if k.startswith("step "))
    print(f"{stored} articles stored in {wall:.1f} s wall; archive steps {steps:.2f} CPU s "
          f"({1000 * steps / max(stored, 1):.2f} ms/article); 'last/first': CPU of the last "
          f"quarter of the batches over the first quarter's")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--db", type=Path, default=None, help="archive to fill (default: a temporary file)")
    ap.add_argument("--sample", action="store_true", help="sampling profile of each step")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    docs = analysed(args.n, args.cache)
    # the N documents held at once (ingest holds one batch) would make every garbage
    # collection walk them all: out of the collector's sight, as the models are in ingest
    gc.collect()
    gc.freeze()
    sampler = Sampler() if args.sample else None
    with tempfile.TemporaryDirectory() as tmp, Monitor(args.db or os.path.join(tmp, "b.db")) as monitor:
        from rasid.alerts import add_watch

        add_watch(monitor.store, query="السعودية")
        cpu = instrument(monitor, sampler)
        summary = IngestSummary()
        t0 = time.perf_counter()
        if sampler:
            sampler.start()
        monitor.store_documents(docs, summary, args.batch)
        if sampler:
            sampler.stop()
        wall = time.perf_counter() - t0
    print_table(cpu, args.batch, summary.stored, wall)
    for origin, reason in summary.failed[:3]:
        print(f"  failed {origin}: {reason}")
    if sampler:
        sampler.report(args.top)
    return 0 if summary.stored else 1


if __name__ == "__main__":
    raise SystemExit(main())
