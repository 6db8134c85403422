"""Full ingest with 1 and with N analysing processes, on the same input, in one run.

    nice -n 5 timeout 3600 python bench/bench_workers.py [--n 2000] [--workers 1 2]
        [--src DIR [DIR ...]] [--keep DIR] [--rounds R] [--store-only [K] [--one]] [--breakdown [K]]

Writes the first N SaudiNewsNet articles to a temporary JSON Lines file, then for each worker
count ingests it into a fresh SQLite archive through `Monitor.ingest` (workers started and models
loaded inside the timing, as `rasid ingest --workers N` does) and prints articles/s, words/s,
the speed-up over the first count, the CPU seconds of the parent (the one writer) and of its
workers together, and memory: every 5 s, and once more just before the workers stop, a sampler
reads ``/proc/PID/smaps_rollup`` of the parent and of every process under it (the template
server the workers are forked from, the workers, multiprocessing's resource tracker) and keeps
each one's peak RSS, the peak of their summed RSS (pages shared by the template and its workers
counted once per process) and the peak of their summed PSS (each shared page split between the
processes sharing it: the memory the run really uses). The sampler is a thread of the parent
and its CPU counts in the parent's: reading ``smaps_rollup`` of a process of several hundred
MB takes some 7 ms, so it samples every 5 s, not 2 (every 2 s it took 0.8 CPU s of a 64 s run
on the loaded machine, on cores the workers need); its own CPU is printed apart.

Then one line per process, where its time went (`accounting`): user and kernel CPU seconds,
minor page faults (after the fork, mostly a page of the template copied on its first write),
and of its lifetime, the seconds its main thread ran, waited for a core (the load) and was
blocked (a worker waiting for documents, the parent waiting for the workers), with what its
other threads ran (the parent's: the pool's result and feeder threads), how often its main
thread moved to another core and was switched out (blocking, or preempted); and the parent's
garbage collector (runs and CPU seconds per generation, from ``gc.callbacks``).

With more than one worker it also prints when the first analysed document came back (the
template server's start-up, one core mostly idle) with the parent's CPU by then, the start's
timeline (the template asked for, the parent's tables warm, its read-ahead done and how many
documents, the workers up: wall and the parent's CPU seconds at each) and the parent's tail: how
long, in wall and CPU seconds, it went on storing after the last one came back (the other core
idle), of which stopping the workers and closing the archive. Every run prints each batch's CPU
seconds and the last batch's by part (`prepare_archive_steps`, ``add_documents`` and its rows
built before the lock, each archive step, ``replace_fuller_versions``, ``after_commit``), then
what followed it until `ingest` returned, with the parent's collections there.

``--rounds R`` runs the worker counts R times, the order reversed every other round (``1 2``,
then ``2 1``, ...), and prints each round's ratio and their median: on this machine a process
measured a minute later can run a few per cent slower or faster for the same work (the CPU
seconds of one process's run moved by 6 % between the lead's quiet runs), and with one round
the two-worker run is always the one measured second.

``--profile DIR`` writes the parent's cProfile (its 40 costliest functions by own time).

``--store-only [K]`` measures the parent's serial share alone, without the noise of the workers
running beside it: each tree analyses the N articles once as its workers would
(`rasid.workers.analyse_and_prepare`: what they carry back, pickled), then times, in a fresh
process and K times (the trees interleaved), the parent's part: unpickling them and
`Monitor.store_documents` (the store and every archive step, batches of 200) into a fresh
SQLite file, with its parts (each archive step, the store's ``add_documents``, the unpickling:
`bench/profile_ingest.py`'s timers); ``--one`` gives it documents as one process analyses
them (nothing carried).

``--breakdown [K]`` decomposes what the analysing side of a two-worker run spends beyond one process,
without the two workers running beside each other (so the load does not blur it): in a fresh process
per tree it builds the template as the forkserver does (`rasid.workers.build_template`, its CPU
printed), then forks from it one child that analyses every document and two that each analyse every
other task (the workers' split), the tasks and chunks those of a run (`max(DOCS_PER_TASK,
ner_batch_articles)` documents to a task, analysed `ner_batch_articles` at a time: `analyse_chunks`,
each stage over a chunk timed), each timing every stage, the archive steps'
per-document values, the index forms, the layer rows and, in the two, pickling each task's results as
a worker sends them; with their minor faults and kernel CPU. The three never run at once: they take
turns of `BREAKDOWN_TURN` tasks (the order reversed every other turn), so that the machine running
faster or slower for a while (the load) weighs on the three alike. Then a fresh process unpickles
the two children's results as the parent does (interleaved, a window of 200 kept). K rounds
(default 1).

``--src`` runs each worker count with each source tree given (default: this checkout's
``src``), so that two versions are measured in one run (the ratio is against the first worker
count of that tree); ``--keep DIR`` keeps the archives there (``w{N}-{k}.db``, k the ``--src`` index) for
`bench/compare_archives.py`.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"

RUN_ONE = """
import json, os, resource, sys, threading, time
from rasid.monitor import Monitor
sys.path.insert(0, sys.argv[4])
from bench_workers import MemorySampler
src, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
sampler = MemorySampler(os.getpid())
sampler.start()
from rasid import workers as W
marks = {}  # when the first and the last analysed document reached the parent: (wall, CPU)
def mark():
    marks["last"] = (time.perf_counter(), time.process_time())
    marks.setdefault("first", marks["last"])
if hasattr(W.AnalysisPool, "_results"):  # a task's documents (rasid.workers.DOCS_PER_TASK)
    take = W.AnalysisPool._results
    def timed_results(self, *args):
        for out in take(self, *args):
            mark()
            yield out
    W.AnalysisPool._results = timed_results
else:  # one document per task (trees before b9df184's successor)
    take_one = W.AnalysisPool._result
    def timed_result(self, *args):
        out = take_one(self, *args)
        mark()
        return out
    W.AnalysisPool._result = timed_result
start = {}  # the start's timeline: (wall s since t0, the parent's CPU s) at each point
if hasattr(W.AnalysisPool, "_start_reading_ahead"):
    reading_ahead = W.AnalysisPool._start_reading_ahead
    def now():
        return (round(time.perf_counter() - t0, 3), round(time.process_time() - c0, 3))
    def timed_start(self, first, tasks, while_starting):
        start["template asked"] = now()
        def read(tasks=tasks):
            for task in tasks:
                yield task
                if "first task sent (workers up)" not in start:
                    start["read ahead"] = now()
                    start["documents read ahead"] = start.get("documents read ahead", len(first)) + len(task)
        def warm():
            if while_starting is not None:
                while_starting()
            start["tables warm"] = now()
        out = reading_ahead(self, first, read(), warm)
        start["first task sent (workers up)"] = now()
        return out
    W.AnalysisPool._start_reading_ahead = timed_start
close = W.AnalysisPool.close
def sampled_close(self):  # the workers' last accounting, just before they stop (not timed)
    t, c = time.perf_counter(), time.process_time()
    sampler.sample()
    marks["sample"], marks["sample_cpu"] = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    close(self)
    marks["close"], marks["close_cpu"] = time.perf_counter() - t, time.process_time() - c
W.AnalysisPool.close = sampled_close
from rasid.store.sql_writing import ArticleWritingMethods
close_store = ArticleWritingMethods.close
def timed_close_store(self):
    t, c = time.perf_counter(), time.process_time()
    close_store(self)
    marks["store_close"] = (time.perf_counter() - t, time.process_time() - c)
ArticleWritingMethods.close = timed_close_store
batches = []  # per stored batch: (CPU s) of each part of `Monitor._store_batch` (the last one: the tail's)
collector = {}  # generation -> [collections, CPU s] of the parent's cyclic garbage collector
def on_collection(phase, info, started=[0.0]):
    if phase == "start":
        started[0] = time.process_time()
    else:
        got = collector.setdefault(info["generation"], [0, 0.0])
        got[0] += 1
        got[1] += time.process_time() - started[0]
        if batches and "end" in batches[-1]:  # after the last batch stored so far
            batches[-1].setdefault("collections after it", []).append(
                (info["generation"], round(time.process_time() - started[0], 3)))
import gc
gc.callbacks.append(on_collection)
def parted(owner, name, part=None):
    # time `owner.name` (CPU s) into the current batch's parts (part None: a batch begins)
    inner = getattr(owner, name, None)
    if inner is None:
        return
    def timed(*args, **kwargs):
        if part is None:
            batches.append({"docs": len(args[1]), "at": time.perf_counter()})
        c = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            key = part or "total"
            batches[-1][key] = batches[-1].get(key, 0.0) + time.process_time() - c
            if part is None:
                batches[-1]["end"] = (time.perf_counter(), time.process_time())
    setattr(owner, name, timed)
from rasid import archive_steps as A, monitor_ingest as MI
from rasid.ingest import updates as U
from rasid.store.sql_writing import ArticleWritingMethods as AW
parted(MI.IngestMethods, "_store_batch")
parted(A, "prepare_archive_steps", "prepare")
parted(AW, "add_documents", "add_documents")
parted(AW, "_prepare_batch", "(of which its rows before the lock)")
parted(U, "replace_fuller_versions", "replace")
for step in A.STEP_TYPES.values():
    parted(step, "run", step.name)
    parted(step, "after_commit", "after_commit")
profile = None
if sys.argv[5]:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
t0, c0 = time.perf_counter(), time.process_time()
with Monitor(db, workers=workers) as monitor:
    s = monitor.ingest([src])
    marks["ingest returned"] = (time.perf_counter(), time.process_time())
dt = time.perf_counter() - t0 - marks.get("sample", 0.0)  # rasid's time, not the bench's last sample
first, last = marks.get("first", (t0, 0.0)), marks.get("last", (t0 + dt, time.process_time()))
if profile:
    import pstats
    profile.disable()
    with open(sys.argv[5], "w") as fh:
        pstats.Stats(profile, stream=fh).sort_stats("tottime").print_stats(40)
sampler.stop()
sampler.sample()  # the parent's own, at the end
cpu = time.process_time()  # the parent's own (its workers were reaped when the Monitor closed)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"read": s.read, "stored": s.stored, "words": s.words, "seconds": dt,
                  "start": start, "batches": [(b["docs"], round(b.get("total", 0.0), 3)) for b in batches], "first_s": first[0] - t0, "first_cpu": first[1] - c0, "tail_s": t0 + dt - last[0], "tail_cpu": cpu - last[1] - marks.get("sample_cpu", 0.0),
                  "close_cpu": marks.get("close_cpu", 0.0),
                  "returned": [x - y for x, y in zip(marks["ingest returned"], batches[-1]["end"])] if batches else [], "store_close": marks.get("store_close", (0.0, 0.0)),
                  "last_sample_s": marks.get("sample", 0.0),
                  "close_s": marks.get("close", 0.0), "collector": collector,
                  "last_batch": dict(batches[-1], at=batches[-1]["at"] - last[0],
                                     end=(t0 + dt - batches[-1]["end"][0],
                                          cpu - batches[-1]["end"][1] - marks.get("sample_cpu", 0.0))) if batches else {},
                  "parent_cpu": cpu, "workers_cpu": kids.ru_utime + kids.ru_stime,
                  "children_mb": kids.ru_maxrss / 1024, **sampler.figures()}))
"""


def smaps_rollup(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of process `pid` in MB, or (0, 0) once it is gone."""
    rss = pss = 0.0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def descendants(root: int) -> dict[int, str]:
    """The processes under `root` (children, grandchildren: the forkserver's workers), each
    with its role: "template" (the forkserver), "worker" (a process it forked), "tracker"
    (multiprocessing's resource tracker) or "child"."""
    parent_of, cmd = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent_of[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    cmd[int(entry)] = fh.read()
            except OSError:
                continue
    roles: dict[int, str] = {}
    todo = [root]
    while todo:
        p = todo.pop()
        for child, parent in parent_of.items():
            if parent == p:
                if b"forkserver import main" in cmd.get(child, b""):
                    roles[child] = "worker" if roles.get(p) == "template" else "template"
                elif b"resource_tracker" in cmd.get(child, b""):
                    roles[child] = "tracker"
                else:
                    roles[child] = "worker" if roles.get(p) == "template" else "child"
                todo.append(child)
    return roles


class MemorySampler:
    """Samples every `every_s` seconds the RSS and PSS of process `root` and every process
    under it; keeps each process's peak RSS and the peak of the summed PSS (pages shared by
    several processes counted once, split between them) and of the summed RSS."""

    def __init__(self, root: int, every_s: float = 5.0):
        import threading

        self.root, self.every_s = root, every_s
        self.peak_rss: dict[int, tuple[str, float]] = {}
        self.peak_pss_sum = self.peak_rss_sum = 0.0
        self.pss_at_peak: dict[str, float] = {}
        #: the latest `accounting` of every process seen, with its role
        self.accounts: dict[int, tuple[str, dict]] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.sampler_tid = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        import threading

        self.sampler_tid = threading.get_native_id()
        while not self._done.wait(self.every_s):
            self.sample()

    def sample(self) -> None:
        procs = {self.root: "parent", **descendants(self.root)}
        rss_sum = pss_sum = 0.0
        by_role: dict[str, float] = {}
        for pid, role in procs.items():
            if (acct := accounting(pid)) is not None:
                # a thread's time is kept after it ended (a pool's threads end before the last sample)
                seen = self.accounts.get(pid, ("", {"threads": {}}))[1]["threads"]
                acct["threads"] = {**seen, **acct["threads"]}
                self.accounts[pid] = (role, acct)
            rss, pss = smaps_rollup(pid)
            rss_sum += rss
            pss_sum += pss
            by_role[role] = by_role.get(role, 0.0) + pss
            if rss > self.peak_rss.get(pid, ("", 0.0))[1]:
                self.peak_rss[pid] = (role, rss)
        self.peak_rss_sum = max(self.peak_rss_sum, rss_sum)
        if pss_sum > self.peak_pss_sum:
            self.peak_pss_sum, self.pss_at_peak = pss_sum, by_role

    def figures(self) -> dict:
        def peak(role: str) -> list[float]:
            return sorted((mb for r, mb in self.peak_rss.values() if r == role), reverse=True)

        return {"parent_mb": peak("parent")[0] if peak("parent") else 0.0, "template_mb": peak("template"),
                "workers_mb": peak("worker"), "other_mb": peak("tracker") + peak("child"),
                "rss_sum_peak_mb": self.peak_rss_sum, "pss_sum_peak_mb": self.peak_pss_sum,
                "pss_at_peak": self.pss_at_peak,
                "sampler_s": self.accounts.get(self.root, ("", {"threads": {}}))[1]["threads"].pop(self.sampler_tid, 0.0),
                "accounts": sorted(((role, acct) for role, acct in self.accounts.values()),
                                   key=lambda ra: ("parent template worker tracker child".find(ra[0]),
                                                   ra[1]["lifetime_s"]))}


TICKS = os.sysconf("SC_CLK_TCK")


def accounting(pid: int) -> dict | None:
    """Where process `pid`'s time went so far: CPU seconds in user and kernel mode, minor and
    major page faults (``/proc/PID/stat``: a minor fault after a fork is mostly a shared page
    copied on write), its lifetime, and of that lifetime the seconds its main thread spent
    runnable but waiting for a core (``/proc/PID/task/PID/schedstat``: the load) and
    blocked (lifetime minus running minus waiting: idle, waiting for work or for the
    workers); None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/task/{pid}/schedstat") as fh:
            run_ns, wait_ns = (int(v) for v in fh.read().split()[:2])
        threads = {}  # what each of its other threads ran so far (a pool's result and feeder threads)
        for tid in os.listdir(f"/proc/{pid}/task"):
            if tid != str(pid):
                with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/schedstat") as fh:
                    threads[int(tid)] = int(fh.read().split()[0]) / 1e9
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        moves = sched_counts(pid)
    except OSError:
        return None
    # fields from the state on (stat's field 3): minflt 10, majflt 12, utime 14, stime 15, starttime 22
    minflt, majflt, utime, stime, start = (int(fields[i - 3]) for i in (10, 12, 14, 15, 22))
    lifetime = uptime - start / TICKS
    return {"user": utime / TICKS, "sys": stime / TICKS, "minflt": minflt, "majflt": majflt, **moves,
            "lifetime_s": lifetime, "main_run_s": run_ns / 1e9, "threads": threads, "main_wait_s": wait_ns / 1e9,
            "main_blocked_s": max(0.0, lifetime - (run_ns + wait_ns) / 1e9)}


def sched_counts(pid: int) -> dict:
    """How often the main thread of `pid` moved to another core (``se.nr_migrations``: its
    caches start cold there) and was switched out because it blocked (voluntary) or was
    preempted (involuntary), from ``/proc/PID/sched``; zeros where the kernel does not say."""
    wanted = {"se.nr_migrations": "migrations", "nr_voluntary_switches": "voluntary",
              "nr_involuntary_switches": "involuntary"}
    out = dict.fromkeys(wanted.values(), 0)
    with contextlib.suppress(OSError), open(f"/proc/{pid}/sched") as fh:
        for line in fh:
            name, _, value = line.partition(":")
            if name.strip() in wanted:
                out[wanted[name.strip()]] = int(float(value))
    return out


def print_accounts(accounts: list) -> None:
    """One line per process of the run (`accounting`, sampled last just before the workers stop)."""
    for role, a in accounts:
        print(f"    {role:<8} user {a['user']:6.2f} sys {a['sys']:5.2f} CPU s, minor faults {a['minflt']:>8,}, "
              f"major {a['majflt']:>4}; lived {a['lifetime_s']:6.1f}s: main thread ran {a['main_run_s']:6.2f} "
              f"(other threads {sum(a['threads'].values()):.2f}), "
              f"waited for a core {a['main_wait_s']:6.2f}, blocked {a['main_blocked_s']:6.2f}; moved to another core "
              f"{a.get('migrations', 0):,} times, switched out {a.get('voluntary', 0):,} blocking and "
              f"{a.get('involuntary', 0):,} preempted", flush=True)


SRC = Path(__file__).resolve().parents[1] / "src"


STORE_ONLY = """
import json, os, pickle, sys, tempfile, time
from rasid.doc import Document
from rasid.monitor import IngestSummary, Monitor
from rasid import workers as W
src, cache, one = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
if not os.path.exists(cache):
    from rasid.ingest import read_paths
    W.build_template()
    docs = (d for d in read_paths([src]) if isinstance(d, Document))
    out = (W.analyse_safely(W._WORKER_PIPELINE, d) if one else W.analyse_and_prepare(d) for d in docs)
    blobs = [pickle.dumps(d) for d in out if not isinstance(d, str)]
    with open(cache, "wb") as fh:
        pickle.dump(blobs, fh)
    sys.exit(0)
with open(cache, "rb") as fh:
    blobs = pickle.load(fh)
sys.path.insert(0, sys.argv[4])
import profile_ingest as P  # the parts' timers (CPU seconds per archive step, the store)
with tempfile.TemporaryDirectory() as tmp, Monitor(os.path.join(tmp, "a.db")) as monitor:
    P.instrument(monitor)
    summary, t0 = IngestSummary(), time.process_time()
    monitor.store_documents(P.time_iterator("unpickle", (pickle.loads(b) for b in blobs)), summary, 200)
    print(json.dumps({"stored": summary.stored, "cpu": time.process_time() - t0,
                      "kb": sum(map(len, blobs)) / len(blobs) / 1024, "parts": P.CPU}))
"""


def store_only(src: Path, trees: list[Path], repeat: int, one: bool, tmp: Path) -> None:
    """The parent's part alone (``--store-only``), each tree `repeat` times, interleaved."""
    import json

    caches = [tmp / f"analysed-{k}.pkl" for k in range(len(trees))]
    for code, cache in zip(trees, caches):
        subprocess.run([sys.executable, "-c", STORE_ONLY, str(src), str(cache), str(int(one))],
                       env=dict(os.environ, PYTHONPATH=str(code)), check=True)
    cpu: dict[int, list[float]] = {k: [] for k in range(len(trees))}
    for _ in range(repeat):
        for k, (code, cache) in enumerate(zip(trees, caches)):
            out = subprocess.run([sys.executable, "-c", STORE_ONLY, str(src), str(cache), str(int(one)),
                                  str(Path(__file__).parent)],
                                 env=dict(os.environ, PYTHONPATH=str(code)), capture_output=True,
                                 text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            cpu[k].append(r["cpu"])
            parts = ", ".join(f"{name} {s:.2f}" for name, s in sorted(r["parts"].items(), key=lambda kv: -kv[1]))
            print(f"[{code}] {r['stored']} stored: parent's part {r['cpu']:.2f} CPU s ({parts}; "
                  f"{r['kb']:.0f} KB per pickled document); load average {os.getloadavg()[0]:.1f}", flush=True)
    for k, code in enumerate(trees):
        runs = sorted(cpu[k])
        print(f"[{code}] median {runs[len(runs) // 2]:.2f} CPU s, runs {' / '.join(f'{c:.2f}' for c in runs)}"
              + (f", x{runs[len(runs) // 2] / sorted(cpu[0])[len(runs) // 2]:.2f} of the first tree" if k else ""))


BREAKDOWN = """
import json, os, pickle, resource, sys, time
from collections import defaultdict
src, out, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
from rasid import workers as W
from rasid.doc import Document
from rasid.ingest import read_paths
from rasid.store.base import iter_batches
seen, docs = set(), []
for d in read_paths([src]):  # the documents a run analyses: each text once (the archive skips copies)
    if isinstance(d, Document) and d.text not in seen:
        seen.add(d.text)
        docs.append(d)
t = time.process_time()
W.build_template()
figures = {"template": time.process_time() - t, "docs": len(docs)}
from rasid.pipeline import chunk_size
CHUNK = chunk_size()  # the run's path: tasks of max(DOCS_PER_TASK, chunk), analysed in chunks
tasks = list(iter_batches(docs, max(W.DOCS_PER_TASK, CHUNK)))
SHARE = {"one": lambda k: True, "w0": lambda k: k % 2 == 0, "w1": lambda k: k % 2 == 1}

def child(name, orders, done):
    from multiprocessing.reduction import ForkingPickler
    from rasid.archive_steps import attach_prepared
    from rasid.search.analyzer import attach_index_forms
    from rasid.store.sql_writing import attach_layer_rows
    W.start_worker(tuple(W._WORKER_PIPELINE.names), False)
    cpu, pipeline, send = defaultdict(float), W._WORKER_PIPELINE, name != "one"
    run_stage_chunk = pipeline.run_stage_chunk
    def timed(stage, docs):
        t = time.process_time()
        try:
            return run_stage_chunk(stage, docs)
        finally:
            cpu["stage " + stage.name] += time.process_time() - t
    pipeline.run_stage_chunk = timed
    parts = [("archive steps' values", lambda d: attach_prepared(W._WORKER_PREPARERS, d)),
             ("index forms", attach_index_forms), ("layer rows", attach_layer_rows)]
    if send:
        parts.append(("shed tokens", W.shed_tokens))
    r0, spent, blobs = resource.getrusage(resource.RUSAGE_SELF), 0.0, []
    with os.fdopen(orders, "rb", buffering=0) as orders, os.fdopen(done, "wb", buffering=0) as done:
        while (line := orders.readline().strip()):
            first = int(line)
            t0 = time.process_time()
            for k in range(first, min(first + chunk, len(tasks))):
                if not SHARE[name](k):
                    continue
                outs = []
                for _, got in W.analyse_chunks(pipeline, tasks[k], CHUNK):
                    for part, fn in parts if not isinstance(got, str) else ():
                        t = time.process_time()
                        fn(got)
                        cpu[part] += time.process_time() - t
                    outs.append(got)
                if send:
                    t = time.process_time()
                    blobs.append(bytes(ForkingPickler.dumps(outs)))
                    cpu["pickle the results"] += time.process_time() - t
            spent += time.process_time() - t0
            done.write(b"ok\\n")
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    res = {"cpu": dict(cpu), "all": spent, "minflt": r1.ru_minflt - r0.ru_minflt,
           "sys": r1.ru_stime - r0.ru_stime, "kb": sum(map(len, blobs)) / 1024}
    with open(out + "." + name, "wb") as fh:
        pickle.dump((res, blobs), fh)

# the three children live side by side but run one at a time, in turns of `chunk` tasks (the order
# reversed every other turn), so that a machine running faster or slower for a while (the load) weighs
# on the three alike
kids = {}
for name in SHARE:
    orders_r, orders_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(orders_w)
            os.close(done_r)
            child(name, orders_r, done_w)
        finally:
            os._exit(0)
    os.close(orders_r)
    os.close(done_w)
    kids[name] = (pid, os.fdopen(orders_w, "wb", buffering=0), os.fdopen(done_r, "rb", buffering=0))
for turn, first in enumerate(range(0, len(tasks), chunk)):
    for name in (list(SHARE) if turn % 2 == 0 else list(SHARE)[::-1]):
        kids[name][1].write(b"%d\\n" % first)
        kids[name][2].readline()
for name, (pid, orders, done) in kids.items():
    orders.write(b"\\n")  # the end (each child holds the others' pipes too: no end of file)
    os.waitpid(pid, 0)
    with open(out + "." + name, "rb") as fh:
        figures[name] = pickle.load(fh)[0]
print(json.dumps(figures))
"""

UNPICKLE = """
import json, pickle, resource, sys, time
from collections import deque
from rasid.monitor import Monitor  # the parent's imports
from rasid.archive_steps import build_archive_steps, warm_archive_steps
t = time.process_time()
warm_archive_steps(build_archive_steps())
warm = time.process_time() - t
blobs = []
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        blobs.append(pickle.load(fh)[1])
kept = deque(maxlen=50)  # some 200 documents in the parent at a time, as in a run
r0, t = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
for pair in zip(*blobs):
    for blob in pair:
        kept.append(pickle.loads(blob))
cpu, r1 = time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"unpickle": cpu, "minflt": r1.ru_minflt - r0.ru_minflt, "warm": warm}))
"""


#: tasks per turn in ``--breakdown`` (80 articles with tasks of 8: some 1.1 CPU s of one process's analysis)
BREAKDOWN_TURN = 10


def breakdown(src: Path, trees: list[Path], rounds: int, tmp: Path) -> None:
    """``--breakdown``: the analysing side of one process against two workers' halves, each tree
    in a fresh process per round, then the parent's unpickling of the halves' results."""
    import json

    for round_ in range(rounds):
        for k, code in enumerate(trees):
            env = dict(os.environ, PYTHONPATH=str(code))
            out = tmp / f"breakdown-{k}"
            got = subprocess.run([sys.executable, "-c", BREAKDOWN, str(src), str(out), str(BREAKDOWN_TURN)],
                                 env=env, capture_output=True, text=True)
            if got.returncode:
                sys.exit(f"--breakdown with {code} failed:\n{got.stderr}")
            r = json.loads(got.stdout.strip().splitlines()[-1])
            got = subprocess.run([sys.executable, "-c", UNPICKLE, f"{out}.w0", f"{out}.w1"], env=env,
                                 capture_output=True, text=True, check=True)
            u = json.loads(got.stdout.strip().splitlines()[-1])
            print_breakdown(r, u, f"[{code}] round {round_ + 1}")


def print_breakdown(r: dict, u: dict, title: str) -> None:
    one, w0, w1 = r["one"], r["w0"], r["w1"]
    print(f"{title}: {r['docs']} documents; the template's build {r['template']:.2f} CPU s, the parent's "
          f"tables {u['warm']:.2f} CPU s", flush=True)
    print(f"    {'CPU s':<26}{'one process':>12}{'worker 0':>10}{'worker 1':>10}{'two':>8}{'excess':>8}")
    rows = sorted(set(one["cpu"]) | set(w0["cpu"]), key=lambda k: (not k.startswith("stage"), k))
    for key in rows + ["all"]:
        a, b, c = (x["cpu"].get(key, 0.0) if key != "all" else x["all"] for x in (one, w0, w1))
        print(f"    {key:<26}{a:12.2f}{b:10.2f}{c:10.2f}{b + c:8.2f}{b + c - a:+8.2f}")
    for key, what, fmt in (("sys", "of which kernel", ".2f"), ("minflt", "minor faults", ",.0f")):
        a, b, c = one[key], w0[key], w1[key]
        print(f"    {what:<26}{a:12{fmt}}{b:10{fmt}}{c:10{fmt}}{b + c:8{fmt}}{b + c - a:+8{fmt}}")
    excess = w0["all"] + w1["all"] - one["all"]
    print(f"    the parent unpickling the two halves' results ({(w0['kb'] + w1['kb']) / r['docs']:.0f} KB a "
          f"document): {u['unpickle']:.2f} CPU s, {u['minflt']:,} minor faults; the analysing side's excess "
          f"{excess:+.2f} + unpickling {u['unpickle']:.2f} = {excess + u['unpickle']:+.2f} CPU s", flush=True)


def run(src: Path, db: Path, workers: int, code: Path = SRC, profile: Path | None = None) -> dict:
    """One ingest in a fresh process (cold, like the command) importing rasid from `code`,
    its figures as a dict; `profile`: write the parent's cProfile there."""
    import json

    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", RUN_ONE, str(src), str(db), str(workers), str(Path(__file__).parent),
                          str(profile or "")],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"--workers {workers} with {code} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--src", type=Path, nargs="+", default=[SRC],
                    help="source trees to run, each with every worker count (default: this checkout's)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the worker counts this many times, the order reversed every other round "
                         "(1 2, then 2 1, ...), and print each round's ratio and their median (default 1)")
    ap.add_argument("--keep", type=Path, help="keep the archives in this directory")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="profile the parent (cProfile, in-process) and write its 40 costliest functions "
                         "to DIR/parent-w{N}-{k}.txt")
    ap.add_argument("--store-only", type=int, nargs="?", const=3, metavar="K",
                    help="time the parent's part alone, K times per tree (default 3; see the module doc)")
    ap.add_argument("--breakdown", type=int, nargs="?", const=1, metavar="K",
                    help="decompose the analysing side's excess CPU with two workers, K rounds (see the module doc)")
    ap.add_argument("--one", action="store_true",
                    help="with --store-only: documents as one process analyses them, nothing carried")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"full ingest of the first {args.n} SaudiNewsNet articles; os.cpu_count()={os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sample.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
            for line in itertools.islice(fh, args.n):
                out.write(line)
        if args.store_only:
            store_only(src, args.src, args.store_only, args.one, Path(tmp))
            return
        if args.breakdown:
            breakdown(src, args.src, args.breakdown, Path(tmp))
            return
        rates: dict[tuple[int, int], list[float]] = {}  # (tree, workers) -> articles/s of each round
        for round_ in range(args.rounds):
            order = args.workers if round_ % 2 == 0 else args.workers[::-1]
            for workers in order:
                for k, code in enumerate(args.src):
                    db = (args.keep or Path(tmp)) / f"w{workers}-{k}.db"
                    db.unlink(missing_ok=True)
                    profile = args.profile / f"parent-w{workers}-{k}.txt" if args.profile else None
                    if profile:
                        profile.parent.mkdir(parents=True, exist_ok=True)
                    r = run(src, db, workers, code, profile)
                    rate = r["read"] / r["seconds"]
                    rates.setdefault((k, workers), []).append(rate)
                    base = rates.get((k, args.workers[0]), [])
                    ratio = f", x{rate / base[-1]:.2f}" if len(base) == round_ + 1 else ""
                    report(r, workers, f" [{code}]" if len(args.src) > 1 else "", rate, ratio)
            if args.rounds > 1:
                print(f"round {round_ + 1} ({' then '.join(map(str, order))}): " + "; ".join(
                    f"--workers {w}{f' [{code}]' if len(args.src) > 1 else ''} "
                    f"x{rates[k, w][-1] / rates[k, args.workers[0]][-1]:.2f}"
                    for k, code in enumerate(args.src) for w in args.workers[1:]), flush=True)
        if args.rounds > 1:
            for k, code in enumerate(args.src):
                for w in args.workers[1:]:
                    each = [a / b for a, b in zip(rates[k, w], rates[k, args.workers[0]])]
                    print(f"--workers {w}{f' [{code}]' if len(args.src) > 1 else ''} against "
                          f"--workers {args.workers[0]}, {args.rounds} rounds: "
                          f"{' / '.join(f'x{x:.2f}' for x in each)}; median x{statistics.median(each):.2f}",
                          flush=True)


def report(r: dict, workers: int, name: str, rate: float, ratio: str) -> None:
    """The lines of one run: speed and CPU, the two-worker run's start and tail, memory, and
    where each process's time went."""
    print(f"--workers {workers}{name}: {r['stored']} stored in {r['seconds']:.1f}s -> "
          f"{rate:,.1f} articles/s, {r['words'] / r['seconds']:,.0f} words/s{ratio}; "
          f"CPU s parent {r['parent_cpu']:.2f}, workers {r['workers_cpu']:.2f}; "
          f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    if workers > 1:
        print(f"    first analysed document back after {r['first_s']:.2f}s (the template's start; the parent's "
              f"CPU by then {r.get('first_cpu', 0.0):.2f} s); "
              f"the parent's tail after the last one: {r['tail_s']:.2f}s, {r['tail_cpu']:.2f} CPU s "
              f"(of which stopping the workers and the template {r.get('close_s', 0.0):.2f}s, "
              f"{r.get('close_cpu', 0.0):.2f} CPU s, closing the archive {r.get('store_close', (0, 0))[0]:.2f}s, "
              f"{r.get('store_close', (0, 0))[1]:.2f} CPU s; the bench's last "
              f"memory sample before it, {r.get('last_sample_s', 0.0):.2f}s, not counted)", flush=True)
        if r.get("start"):
            print("    the start (s since the Monitor was made, the parent's CPU s): " + ", ".join(
                f"{k} {v[0]:.2f} ({v[1]:.2f})" if isinstance(v, list) else f"{k} {v:,}"
                for k, v in r["start"].items()), flush=True)
    if r.get("batches"):
        print("    each batch (documents: CPU s): " + ", ".join(f"{n}: {c:.2f}" for n, c in r["batches"]), flush=True)
    if last := r.get("last_batch"):
        begun = f"; begun {last['at']:+.2f}s after the last document came back" if workers > 1 else ""
        print(f"    the last batch ({last['docs']} documents{begun}): {last.get('total', 0.0):.3f} CPU s, of which "
              + ", ".join(
                  f"{k} {v:.3f}" for k, v in last.items()
                  if k not in ("docs", "at", "total", "end", "collections after it"))
              + f"; after it {last['end'][0]:.2f}s, {last['end'][1]:.2f} CPU s (of which until `ingest` returned "
              f"{r['returned'][0]:.2f}s, {r['returned'][1]:.2f} CPU s; then closing the Monitor; the parent's "
              f"collections after it, (generation, CPU s): {last.get('collections after it', [])})", flush=True)
    print(f"    peak RSS MB: parent {r['parent_mb']:,.0f}, template {mbs(r['template_mb'])}, "
          f"workers {mbs(r['workers_mb'])}, others {mbs(r['other_mb'])}; sum of RSS at its peak "
          f"{r['rss_sum_peak_mb']:,.0f}; sum of PSS at its peak {r['pss_sum_peak_mb']:,.0f} "
          f"({', '.join(f'{k} {v:,.0f}' for k, v in sorted(r['pss_at_peak'].items()))})", flush=True)
    print(f"    the memory sampler's own thread in the parent: {r['sampler_s']:.2f} CPU s; the parent's "
          f"garbage collector: " + ", ".join(f"generation {g}: {n} runs, {s:.2f} CPU s" for g, (n, s)
                                             in sorted(r.get("collector", {}).items())), flush=True)
    print_accounts(r["accounts"])


def mbs(values: list[float]) -> str:
    return " + ".join(f"{v:,.0f}" for v in values) or "-"


if __name__ == "__main__":
    main()
