"""Where a worker's memory goes: one analysing process, measured as it loads and fills.

    nice -n 5 python bench/memory_worker.py [--n 2000] [--every 500] [--chunk K] [--trim]

Builds the default pipeline as a worker does (`rasid.workers.start_worker`), then analyses
the first N SaudiNewsNet articles as a worker is sent them (``--chunk K``: tasks of
``max(DOCS_PER_TASK, K)`` articles, each analysed K at a time, as with ``ner_batch_articles``
K; default one by one; ``--trim``: ``malloc_trim`` after each task), and prints the
resident memory (RSS, and the unshared part, USS, from ``/proc/self/smaps_rollup``; the peak RSS):

* after ``import rasid``, after the pipeline is built, and after each stage has run once on
  the first article (what that stage loads on first use: models, gazetteers, word lists);
* every ``--every`` articles;
* at the end, for every cache (each ``functools.lru_cache`` in the process, and the NER
  networks' and the search analyzer's own dict caches): entries, hit rate, and the memory
  given back when it is emptied (RSS before and after ``cache_clear`` and ``malloc_trim``).
"""
from __future__ import annotations

import argparse
import ctypes
import functools
import gc
import gzip
import itertools
import json
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def smaps() -> dict[str, float]:
    """RSS, PSS and USS of this process in MB."""
    out = {}
    for line in open("/proc/self/smaps_rollup"):
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            out[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return {"rss": out["Rss"], "pss": out["Pss"],
            "uss": out.get("Private_Clean", 0) + out.get("Private_Dirty", 0)}


def trimmed() -> float:
    """RSS in MB after a full collection and giving free heap pages back to the system."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return smaps()["rss"]


def line(label: str) -> None:
    import resource

    m = smaps()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<44} RSS {m['rss']:7.1f} MB  USS {m['uss']:7.1f} MB  peak RSS {peak:7.1f} MB", flush=True)


def records(path: Path, n: int):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for raw in itertools.islice(fh, n):
            yield json.loads(raw)


def caches() -> list[tuple[str, object]]:
    """Every cache of the process: ``(name, object)``."""
    found = []
    gc.unfreeze()  # the objects frozen after the NER model loaded are not listed otherwise
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and obj.cache_info().currsize > 0:
            found.append((f"lru {obj.__module__}.{obj.__qualname__}", obj))
    return found


#: name -> every key asked for, in order (``--hit-rates``)
STREAMS: dict[str, list] = {}
SIZES = (5_000, 10_000, 20_000, 30_000, 60_000, 100_000, 200_000)


def record_lru_keys(min_size: int = 10_000) -> None:
    """Make every ``functools.lru_cache`` of `min_size` entries or more made from now on
    record its keys (the function's arguments) in `STREAMS`."""
    real = functools.lru_cache

    def recording(maxsize=128, typed=False):
        def wrap(fn):
            cached = real(maxsize=maxsize, typed=typed)(fn)
            if not maxsize or maxsize < min_size:
                return cached
            keys = STREAMS.setdefault(f"lru {fn.__module__}.{fn.__qualname__} ({maxsize:,})", [])

            @functools.wraps(fn)
            def call(*a):
                keys.append(a)
                return cached(*a)

            call.cache_info, call.cache_clear = cached.cache_info, cached.cache_clear
            return call
        if callable(maxsize):  # @lru_cache without arguments
            fn, maxsize = maxsize, 128
            return wrap(fn)
        return wrap

    functools.lru_cache = recording


def record_row_keys() -> None:
    """Record the token strings the first NER row cache (`rasid.stages.ner_nn.RowCache`, the
    network's input rows) is asked for."""
    from rasid.stages import ner_nn

    ids = ner_nn.RowCache.ids
    tokens = STREAMS.setdefault(f"RowCache ner_nn token rows ({ner_nn.ROW_CACHE:,})", [])
    first_cache: list = []

    def recording_ids(cache, toks, infos):
        if not first_cache or cache is first_cache[0]:
            first_cache[:] = [cache]
            tokens.extend(toks)
        return ids(cache, toks, infos)

    ner_nn.RowCache.ids = recording_ids


def hit_rate(keys: list, size: int, lru: bool) -> float:
    """The share of `keys` found in a cache of `size` entries: least recently used first
    out (`lru`), or emptied when full."""
    from collections import OrderedDict

    hits = 0
    if lru:
        cache: OrderedDict = OrderedDict()
        for k in keys:
            if k in cache:
                hits += 1
                cache.move_to_end(k)
            else:
                cache[k] = None
                if len(cache) > size:
                    cache.popitem(last=False)
    else:
        seen: set = set()
        for k in keys:
            if k in seen:
                hits += 1
            else:
                if len(seen) >= size:
                    seen.clear()
                seen.add(k)
    return hits / max(1, len(keys))


def print_hit_rates() -> None:
    print(f"\n{'cache (bound now)':<64} {'lookups':>9} {'distinct':>9} " + " ".join(f"{n:>7,}" for n in SIZES))
    for name, keys in STREAMS.items():
        if len(keys) < 1000:
            continue
        lru = name.startswith("lru")
        rates = " ".join(f"{hit_rate(keys, n, lru):>7.1%}" for n in SIZES)
        print(f"{name:<64} {len(keys):>9,} {len(set(keys)):>9,} {rates}", flush=True)


def print_top_lines(limit: int = 25) -> None:
    import tracemalloc

    print("\nlive memory by the line that allocated it (tracemalloc):")
    for stat in tracemalloc.take_snapshot().statistics("lineno")[:limit]:
        frame = stat.traceback[0]
        print(f"{stat.size / 2**20:8.1f} MB {stat.count:>9,} blocks  {frame.filename.split('/src/')[-1]}:{frame.lineno}")
    tracemalloc.stop()


def measure_parent(args) -> None:
    """The parent of `Monitor.ingest` with `args.parent` workers: the one writer's memory."""
    import tempfile

    from rasid.monitor import Monitor

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample.jsonl"
        with src.open("w", encoding="utf-8") as out:
            for rec in records(args.corpus, args.n):
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if args.trace:
            import tracemalloc
            tracemalloc.start()
        line("parent: before the Monitor")

        def every(summary) -> None:
            if summary.read % args.every == 0:
                line(f"parent: {summary.read} articles read ({time.process_time():.0f} CPU s)")

        with Monitor(Path(tmp) / "a.db", workers=args.parent) as monitor:
            monitor.ingest([str(src)], on_record=every)
            line("parent: ingest done, Monitor open")
            if args.trace:
                print_top_lines()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--every", type=int, default=500)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--hit-rates", action="store_true",
                    help="record the keys each large cache is asked for and print the hit rate it "
                         "would have at several bounds (LRU, and empty-when-full for the NER networks' rows)")
    ap.add_argument("--parent", type=int, metavar="WORKERS",
                    help="measure the parent instead: `Monitor.ingest` of the N articles into a fresh "
                         "archive with this many workers, the parent's memory every --every articles")
    ap.add_argument("--chunk", type=int, default=1,
                    help="analyse the articles as a worker of `rasid ingest` does with this "
                         "`ner_batch_articles`: tasks of max(DOCS_PER_TASK, chunk) articles, "
                         "each analysed `chunk` at a time (default 1: one by one)")
    ap.add_argument("--trim", action="store_true",
                    help="give glibc's free heap pages back to the system after each task (malloc_trim)")
    ap.add_argument("--trace", action="store_true",
                    help="also trace allocations (tracemalloc: slower) and print the lines holding the most")
    args = ap.parse_args()
    if args.trace:
        import tracemalloc
        tracemalloc.start()
    line("start")
    if args.parent:
        return measure_parent(args)
    if args.hit_rates:
        record_lru_keys()
    import rasid  # noqa: F401
    from rasid.stages import DEFAULT_STAGES
    from rasid.workers import DOCS_PER_TASK, analyse_all_in_worker, analyse_in_worker, start_worker
    import rasid.workers as w
    line("import rasid")
    t0 = time.process_time()
    if args.hit_rates:
        record_row_keys()
    start_worker(DEFAULT_STAGES, False, args.chunk)
    line("pipeline built (start_worker)")
    pipeline = w._WORKER_PIPELINE

    recs = records(args.corpus, args.n)
    first = next(recs)
    from rasid.ingest.jsonl import convert_record  # what `rasid ingest` makes of a JSON line

    def document_from_json(rec):
        return convert_record(rec, "saudinewsnet")

    doc = document_from_json(first)
    for stage in pipeline.stages:
        doc = pipeline.run_stage(stage, doc)
        line(f"first article: after stage {stage.name}")
    analyse_in_worker(document_from_json(first))
    line("first article: index forms, archive preparation")
    per_task = max(DOCS_PER_TASK, args.chunk)
    k = 1
    while task := [document_from_json(rec) for rec in itertools.islice(recs, per_task)]:
        analyse_all_in_worker(task)
        if args.trim:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        if (k + len(task)) // args.every > k // args.every:
            line(f"after {k + len(task)} articles ({time.process_time() - t0:.0f} CPU s)")
        k += len(task)
    if args.hit_rates:
        print_hit_rates()
        return
    if args.trace:
        print_top_lines()
    print()
    print(f"{'cache':<64} {'entries':>8} {'hit rate':>8} {'MB freed':>8}")
    before = trimmed()
    for name, fn in caches():
        info = fn.cache_info()
        rate = info.hits / max(1, info.hits + info.misses)
        fn.cache_clear()
        after = trimmed()
        print(f"{name:<64} {info.currsize:>8,} {rate:>8.1%} {before - after:>8.1f}")
        before = after
    from rasid.stages.ner import load_tagger
    tagger = load_tagger()
    crf_size = len(tagger.crf._static)  # the networks' caches share its string table: emptied with the first
    for i, net in enumerate(tagger.nets):
        for attr in ("_token_rows",):
            cache = getattr(net, attr)
            size = len(cache)
            cache.clear()
            after = trimmed()
            print(f"{f'dict network {i} {attr}':<64} {size:>8,} {'':>8} {before - after:>8.1f}")
            before = after
    tagger.crf._static.clear()
    after = trimmed()
    print(f"{'dict crf _static':<64} {crf_size:>8,} {'':>8} {before - after:>8.1f}")
    before = after
    size = sum(x is not None for x in tagger._infos.items)  # the analyses, kept in the same table
    tagger._infos.clear()
    after = trimmed()
    print(f"{'list tagger _infos (analyses)':<64} {size:>8,} {'':>8} {before - after:>8.1f}")
    before = after
    from rasid.search.analyzer import get_analyzer
    cache = get_analyzer()._cache
    size = len(cache)
    cache.clear()
    after = trimmed()
    print(f"{'dict search analyzer _cache':<64} {size:>8,} {'':>8} {before - after:>8.1f}")
    line("caches emptied")


if __name__ == "__main__":
    main()
