"""`rasid batch` on Spark with local[1] and local[2] against single-process `rasid ingest`,
in one run, on the same N SaudiNewsNet articles (issue 18 item 5).

    nice python bench/bench_batch.py [--articles 20000] [--corpus PATH] [--masters local[1] local[2]]
                                     [--no-ingest]

Writes the first N records of the corpus to a temporary JSON Lines file. SaudiNewsNet
holds 29,995 records; for more, it is resampled: copy k of a record (k = 1, 2, ...) has a
new URL (``?copy=k``), its paragraphs rotated by k and ``(k)`` appended (so its id and
content hash differ and both sides keep it as a new article; its words are the
original's) and its date moved k x 28 days later (so copies fall on other days, as the
search bench does). Then runs, each in its own process: `rasid ingest --workers 1` into a
fresh SQLite archive, and `rasid batch` once per master. Prints for each run the wall
seconds and CPU seconds (the process and all its children: the JVM and the Python
workers) and articles/s, and for the batch runs the analysis phase alone, the partitions,
how many processes built the pipeline (models, gazetteers: once per executor, in the
Python daemon the workers are forked from, is right), and the peak memory: the whole
process tree (PSS: the workers share the daemon's pages), the JVM (RSS; in local mode
driver and executor in one) and the largest Python worker (RSS); then its
phase table: for each phase of the job (start: JVM, session, listing and line numbers;
analyse; duplicates; then articles, office_links, mentions, span_views, entities,
mention_tables, near_duplicates, stories, which run side by side, in the order they end; rest: the final counts and the JVM's
exit) the wall seconds and the CPU seconds of the JVM, the Python workers and the driver,
sampled when the job writes ``rasid batch: PHASE done in S s`` on stderr (for the phases
that run side by side: since the previous line, whichever chain it came from), and the
cores the phase kept busy (CPU / wall). Ends with the ratios: each master to the first
(the goal: local[2] >= 1.8 x local[1]) and to ingest, and each phase's speed-up (its own
seconds, from the job's report, and ``after_analysis``: all that follows the analysis).
Wall-clock ratios mean something only on an otherwise idle machine; the CPU seconds say
what the work cost under any load. A run that prints no report failed, whatever its exit
code (an uncaught exception exits 1, as "some records rejected" does): the bench prints
its stderr and stops. While a run goes on it prints a progress line on stderr as each
phase ends and every minute (wall and CPU seconds so far).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"


def resample(record: dict, k: int) -> dict:
    """Copy k of a record (module doc)."""
    from datetime import datetime, timedelta

    copy = dict(record)
    copy["url"] = f"{record.get('url') or 'https://example.org/a'}?copy={k}"
    paras = [p for p in (record.get("content") or "").split("\n") if p.strip()]
    r = k % len(paras) if paras else 0
    copy["content"] = "\n".join(paras[r:] + paras[:r] + [f"({k})"])
    day = record.get("date_extracted")
    if day:
        try:
            copy["date_extracted"] = str(datetime.fromisoformat(day) + timedelta(days=28 * k))
        except ValueError:
            pass
    return copy


def write_sample(corpus: Path, n: int, out: Path) -> tuple[int, int]:
    """The first `n` records of the corpus, resampled beyond its end; (records in the
    corpus that were used, copies made)."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        lines = [line for line in itertools.islice(fh, n) if line.strip()]
    with out.open("w", encoding="utf-8") as dest:
        for i in range(n):
            k, record = divmod(i, len(lines))
            if k == 0:
                dest.write(lines[record].rstrip("\n") + "\n")
            else:
                dest.write(json.dumps(resample(json.loads(lines[record]), k), ensure_ascii=False) + "\n")
    return len(lines), max(0, n - len(lines))


def list_tree(pid: int) -> list[int]:
    """`pid` and every descendant (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def read_process(pid: int) -> tuple[int, int, float, str]:
    """RSS and PSS (bytes: PSS counts a page shared by k processes as 1/k in each, so the
    PSS of a process tree is its memory, where RSS counts the pages Python workers share
    with the daemon they were forked from once per worker), CPU seconds so far (user +
    system) and command line of `pid`."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            rss = next((int(l.split()[1]) for l in fh if l.startswith("VmRSS:")), 0)
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                pss = next((int(l.split()[1]) for l in fh if l.startswith("Pss:")), rss)
        except OSError:
            pss = rss
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        return rss * 1024, pss * 1024, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), cmd
    except (OSError, IndexError, ValueError):
        return 0, 0, 0.0, ""


#: the line `rasid batch` writes to stderr as each phase ends (`rasid.batch.derive.write_tables`)
PHASE_LINE = re.compile(r"^rasid batch: (\w+) done in [\d.]+ s")


def classify(pid: int, root: int, name: str) -> str:
    """Which part of a `rasid batch` run a process is: the driver (the rasid process
    itself), the JVM (driver and executor in local mode), the Python workers (PySpark's
    daemon and the workers it forks), other (spark-submit's shell script)."""
    if pid == root:
        return "driver"
    if name.split(" ")[0].endswith("/java"):
        return "jvm"
    python = ("pyspark.daemon", "pyspark.worker", "rasid.batch.daemon")
    return "python" if any(module in name for module in python) else "other"


#: seconds between two progress lines of a run (besides one as each phase of a batch run ends)
PROGRESS_EVERY = 60


def run_measured(cmd: list[str], env: dict[str, str], label: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run `cmd`; its output, wall seconds, CPU seconds of the whole process tree (each
    process's last sample, every 0.5 s), Python worker processes started, peak memory (the
    whole tree's PSS, the largest JVM's and the largest Python worker's RSS), and per phase
    (the lines `PHASE_LINE` on stderr) the wall seconds and the CPU seconds of the driver,
    the JVM and the Python workers, sampled when the line is read. Prints a progress line
    (`label`, wall and CPU seconds so far) as each phase ends and every `PROGRESS_EVERY` s."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = {"tree": 0, "jvm": 0, "python_worker": 0, "python_all": 0}
    cpu: dict[int, tuple[str, float]] = {}
    workers: set[int] = set()
    lock = threading.Lock()
    phases: list[tuple[str, float, dict[str, float]]] = [("start", t0, {})]

    def sample() -> dict[str, float]:
        total = python_all = 0
        with lock:
            for pid in list_tree(proc.pid):
                rss, pss, seconds, name = read_process(pid)
                total += pss
                # the JVM starts as spark-submit's shell script and a worker's command line is
                # gone once it has exited: a process is what it was last seen running
                kind = classify(pid, proc.pid, name) if name else cpu.get(pid, ("python", 0.0))[0]
                cpu[pid] = (kind, max(cpu.get(pid, ("", 0.0))[1], seconds))
                if kind == "jvm":
                    peak["jvm"] = max(peak["jvm"], rss)
                elif kind == "python" and name:
                    peak["python_worker"] = max(peak["python_worker"], rss)
                    python_all += pss
                    workers.add(pid)
            peak["tree"] = max(peak["tree"], total)
            peak["python_all"] = max(peak["python_all"], python_all)
            return totals()

    def totals() -> dict[str, float]:
        return {k: sum(s for kind, s in cpu.values() if kind == k) for k in ("driver", "jvm", "python", "other")}

    def report(what: str, cpu_now: dict[str, float]) -> None:
        print(f"  .. {label}: {what} at {time.perf_counter() - t0:.0f} s wall, {sum(cpu_now.values()):.0f} s CPU",
              file=sys.stderr, flush=True)

    def keep_sampling() -> None:
        shown = time.perf_counter()
        while proc.poll() is None:
            cpu_now = sample()
            if time.perf_counter() - shown >= PROGRESS_EVERY:
                shown = time.perf_counter()
                report("running", cpu_now)
            time.sleep(0.5)

    err_lines: list[str] = []

    def read_stderr() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            err_lines.append(line)
            found = PHASE_LINE.match(line)
            if found:
                phases.append((found.group(1), time.perf_counter(), sample()))
                report(f"{found.group(1)} done", phases[-1][2])

    threads = [threading.Thread(target=keep_sampling, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for thread in threads:
        thread.start()
    out = proc.stdout.read()  # type: ignore[union-attr]
    proc.wait()
    for thread in threads:
        thread.join()
    phases.append(("rest", time.perf_counter(), totals()))
    table = []
    for (_, t_a, cpu_a), (name, t_b, cpu_b) in zip(phases, phases[1:]):
        table.append((name, t_b - t_a, {k: cpu_b.get(k, 0.0) - cpu_a.get(k, 0.0) for k in cpu_b}))
    return (subprocess.CompletedProcess(cmd, proc.returncode, out, "".join(err_lines)),
            {**peak, "wall": time.perf_counter() - t0, "cpu": sum(s for _, s in cpu.values()),
             "python_processes": len(workers), "phases": table})


def print_phases(master: str, phases: list) -> None:
    """The phase table of one batch run: wall and CPU seconds (driver, JVM, Python workers)
    and the cores the phase kept busy on average (CPU / wall)."""
    print(f"    {'phase':<16} {'wall s':>8} {'CPU s':>8} {'JVM':>8} {'Python':>8} {'driver':>8} {'other':>8} "
          f"{'cores':>6}")
    for name, wall, cpu in phases:
        total = sum(cpu.values())
        print(f"    {name:<16} {wall:8.1f} {total:8.1f} {cpu['jvm']:8.1f} {cpu['python']:8.1f} "
              f"{cpu['driver']:8.1f} {cpu['other']:8.1f} {total / wall if wall else 0:6.2f}")


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--no-ingest", action="store_true", help="the batch runs only (no ingest ratio)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it: the input and each run's tables")
    args = parser.parse_args(argv)
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    py = [sys.executable, "-m", "rasid"]
    with tempfile.TemporaryDirectory(prefix="rasid-bench-batch-") as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = str(args.keep)
        src = Path(tmp) / "input.jsonl"
        used, copies = write_sample(args.corpus, args.articles, src)
        print(f"N={args.articles} records ({used} from {args.corpus.name}, {copies} resampled copies)  "
              f"cores: {os.cpu_count()}  load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
        ingest_rate = 0.0
        if not args.no_ingest:
            done, m = run_measured(py + ["ingest", str(src), "--db", str(Path(tmp) / "ingest.db"), "--workers",
                                         "1", "--json"], env, "ingest")
            if done.returncode not in (0, 1) or not done.stdout.strip():
                print(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
                return 1
            stored = json.loads(done.stdout.strip().splitlines()[-1])["stored"]
            ingest_rate = stored / m["wall"]
            print(f"ingest --workers 1   articles {stored:>6}  {m['wall']:8.1f}s wall {m['cpu']:8.1f}s CPU  "
                  f"{ingest_rate:7.2f} articles/s  {stored / m['cpu']:6.2f} per CPU-second  "
                  f"peak PSS {mib(m['tree'])}", flush=True)
        rates: dict[str, tuple[float, float]] = {}
        memory: dict[str, tuple[float, float]] = {}
        walls: dict[str, dict[str, float]] = {}
        for master in args.masters:
            out = Path(tmp) / ("tables-" + re.sub(r"\W", "", master))  # tables-local2
            done, m = run_measured(py + ["batch", str(src), "-o", str(out), "--master", master, "--json",
                                         "--overwrite"], env, f"batch {master}")
            if done.returncode not in (0, 1) or not done.stdout.strip():
                # exit 1 is "some records rejected", but also what Python exits with on an
                # uncaught exception (a Spark job that failed, a JVM out of memory): a run
                # that printed no report failed, whatever its exit code
                print(f"batch {master} failed (exit {done.returncode}, no report): {done.stderr[-4000:]}")
                return 1
            report = json.loads(done.stdout.strip().splitlines()[-1])
            n, phases = report["articles"], report.get("phases", {})
            rate, analysis = n / m["wall"], n / phases["analyse"] if phases.get("analyse") else 0.0
            rates[master] = (rate, analysis)
            memory[master] = (m["jvm"], m["python_all"])
            print(f"batch {master:<10}  articles {n:>6}  {m['wall']:8.1f}s wall {m['cpu']:8.1f}s CPU  "
                  f"{rate:7.2f} articles/s  {n / m['cpu']:6.2f} per CPU-second  "
                  f"(analysis phase {analysis:.2f} articles/s)", flush=True)
            print(f"    partitions {report['partitions']}, pipeline built {report.get('pipelines_built')} times "
                  f"({report.get('pipelines_built_in_workers')} in workers) "
                  f"in {m['python_processes']} pyspark daemon/worker processes; "
                  f"peak memory: all {mib(m['tree'])} (PSS), JVM {mib(m['jvm'])}, largest Python worker "
                  f"{mib(m['python_worker'])}", flush=True)
            print_phases(master, m["phases"])
            # each phase's own seconds (the job's report: the derived tables' phases run side by
            # side, so the wall between two lines on stderr is not a phase's), and all that
            # follows the analysis together
            walls[master] = dict(phases)
            walls[master]["after_analysis"] = sum(
                wall for name, wall, _ in m["phases"][[p[0] for p in m["phases"]].index("analyse") + 1:])
        first = args.masters[0]
        print("ratios (articles/s; analysis phase in brackets):")
        for master, (rate, analysis) in rates.items():
            print(f"    {master:<10} x{rate / rates[first][0]:.2f} {first} (x{analysis / rates[first][1]:.2f})"
                  + (f"   x{rate / ingest_rate:.2f} ingest --workers 1" if ingest_rate else ""))
        print(f"phases, wall seconds of {first} / each master's (the speed-up of each phase):")
        for master in args.masters[1:]:
            print(f"    {master:<10} " + "  ".join(
                f"{name} x{walls[first][name] / wall:.2f}" for name, wall in walls[master].items()
                if wall and name in walls[first]))
        print("memory per executor (local mode runs it in the driver JVM): the JVM's peak RSS and the peak PSS "
              "of the Python daemon and its workers together (they share the pipeline's pages):")
        for master, (jvm, python) in memory.items():
            print(f"    {master:<10} JVM {mib(jvm)} + Python {mib(python)} = {mib(jvm + python)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
