"""`rasid batch` on Spark with local[1] and local[2] against single-process `rasid ingest`,
in one run, on the same N SaudiNewsNet articles (issue 18 item 5).

    nice python bench/bench_batch.py [--articles 20000] [--corpus PATH] [--masters local[1] local[2]]

Writes the first N records of the corpus to a temporary JSON Lines file. SaudiNewsNet
holds 29,995 records; for more, it is resampled: copy k of a record (k = 1, 2, ...) has a
new URL (``?copy=k``), its paragraphs rotated by k and ``(k)`` appended (so its id and
content hash differ and both sides keep it as a new article; its words are the
original's) and its date moved k x 28 days later (so copies fall on other days, as the
search bench does). Then runs, each in its own process: `rasid ingest --workers 1` into a
fresh SQLite archive, and `rasid batch` once per master. Prints for each run the wall
seconds and CPU seconds (the process and all its children: the JVM and the Python
workers) and articles/s, and for the batch runs the analysis phase alone, the partitions,
how many times the pipeline (models, gazetteers) was built (once per Python worker
process is right: one per core), and the peak memory (RSS): the whole process tree, the
JVM (in local mode driver and executor in one) and the largest Python worker. Ends with the
ratios: each master to the first (the goal: local[2] >= 1.8 x local[1]) and to ingest.
Wall-clock ratios mean something only on an otherwise idle machine; the CPU seconds say
what the work cost under any load.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
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


def read_process(pid: int) -> tuple[int, float, str]:
    """RSS (bytes), CPU seconds so far (user + system) and command line of `pid`."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            rss = next((int(l.split()[1]) for l in fh if l.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        return rss * 1024, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), cmd
    except (OSError, IndexError, ValueError):
        return 0, 0.0, ""


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict[str, float]]:
    """Run `cmd`; its output, wall seconds, CPU seconds of the whole process tree (each
    process's last sample, every 0.5 s), Python worker processes started, and peak memory:
    the whole tree, the largest JVM and the largest Python worker (pyspark.daemon / worker)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = {"tree": 0, "jvm": 0, "python_worker": 0}
    cpu: dict[int, float] = {}
    workers: set[int] = set()

    def sample() -> None:
        while proc.poll() is None:
            total = 0
            for pid in list_tree(proc.pid):
                rss, seconds, name = read_process(pid)
                total += rss
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
                if "java" in name.split(" ")[0]:
                    peak["jvm"] = max(peak["jvm"], rss)
                elif "pyspark.daemon" in name or "pyspark.worker" in name:
                    peak["python_worker"] = max(peak["python_worker"], rss)
                    workers.add(pid)
            peak["tree"] = max(peak["tree"], total)
            time.sleep(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    thread.join()
    return (subprocess.CompletedProcess(cmd, proc.returncode, out, err),
            {**peak, "wall": time.perf_counter() - t0, "cpu": sum(cpu.values()),
             "python_processes": len(workers)})


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    args = parser.parse_args(argv)
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    py = [sys.executable, "-m", "rasid"]
    with tempfile.TemporaryDirectory(prefix="rasid-bench-batch-") as tmp:
        src = Path(tmp) / "input.jsonl"
        used, copies = write_sample(args.corpus, args.articles, src)
        print(f"N={args.articles} records ({used} from {args.corpus.name}, {copies} resampled copies)  "
              f"cores: {os.cpu_count()}  load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
        done, m = run_measured(py + ["ingest", str(src), "--db", str(Path(tmp) / "ingest.db"), "--workers", "1",
                                  "--json"], env)
        if done.returncode not in (0, 1):
            print(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
            return 1
        stored = json.loads(done.stdout.strip().splitlines()[-1])["stored"]
        ingest_rate = stored / m["wall"]
        print(f"ingest --workers 1   articles {stored:>6}  {m['wall']:8.1f}s wall {m['cpu']:8.1f}s CPU  "
              f"{ingest_rate:7.2f} articles/s  {stored / m['cpu']:6.2f} per CPU-second  "
              f"peak RSS {mib(m['tree'])}", flush=True)
        rates: dict[str, tuple[float, float]] = {}
        memory: dict[str, tuple[float, float]] = {}
        for master in args.masters:
            out = Path(tmp) / f"tables-{master.strip('[]')}"
            done, m = run_measured(py + ["batch", str(src), "-o", str(out), "--master", master, "--json"], env)
            if done.returncode not in (0, 1) or not done.stdout.strip():
                # exit 1 is "some records rejected"; a run that printed no report failed too
                print(f"batch {master} failed ({done.returncode}): {done.stderr[-2000:]}")
                return 1
            report = json.loads(done.stdout.strip().splitlines()[-1])
            n, phases = report["articles"], report.get("phases", {})
            rate, analysis = n / m["wall"], n / phases["analyse"] if phases.get("analyse") else 0.0
            rates[master] = (rate, analysis)
            memory[master] = (m["jvm"], m["python_worker"])
            print(f"batch {master:<10}  articles {n:>6}  {m['wall']:8.1f}s wall {m['cpu']:8.1f}s CPU  "
                  f"{rate:7.2f} articles/s  {n / m['cpu']:6.2f} per CPU-second  "
                  f"(analysis phase {analysis:.2f} articles/s)", flush=True)
            print(f"    partitions {report['partitions']}, pipeline built {report.get('pipelines_built')} times "
                  f"in {m['python_processes']} pyspark daemon/worker processes; "
                  f"peak RSS: all {mib(m['tree'])}, JVM {mib(m['jvm'])}, largest Python worker "
                  f"{mib(m['python_worker'])}; phases (s) {phases}", flush=True)
        first = args.masters[0]
        print("ratios (articles/s; analysis phase in brackets):")
        for master, (rate, analysis) in rates.items():
            print(f"    {master:<10} x{rate / rates[first][0]:.2f} {first} (x{analysis / rates[first][1]:.2f})"
                  f"   x{rate / ingest_rate:.2f} ingest --workers 1")
        print("memory per executor (local mode runs it in the driver JVM): the JVM's peak and one Python "
              "worker per core, each at most the largest worker's peak:")
        for master, (jvm, worker) in memory.items():
            cores = int(master[len("local["):-1]) if master[len("local["):-1].isdigit() else 1
            print(f"    {master:<10} JVM {mib(jvm)} + {cores} x {mib(worker)} = {mib(jvm + cores * worker)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
