"""`rasid batch` on Spark with local[1] and local[2] against single-process `rasid ingest`,
in one run, on the same N SaudiNewsNet articles.

    python bench/bench_batch.py [--articles 20000] [--corpus PATH] [--masters local[1] local[2]]

Writes the first N articles of the corpus (cycled when it holds fewer, each copy's URL made
unique so that copies are new articles) to a temporary JSON Lines file; runs `rasid ingest`
into a fresh SQLite archive and `rasid batch` once per master, each in its own process, and
prints articles/s for each, the ratios to ingest and to the first master, and the peak
memory (RSS) of each batch run: the driver JVM, the executor and its Python workers
together (local mode runs the executor in the driver JVM), and the largest Python worker.
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


def write_sample(corpus: Path, n: int, out: Path) -> None:
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, n))
    with out.open("w", encoding="utf-8") as dest:
        for i in range(n):
            record = json.loads(lines[i % len(lines)])
            if i >= len(lines):  # a resampled copy: a new URL, so it is a new article
                record["url"] = f"{record.get('url') or 'https://example.org/a'}?copy={i // len(lines)}"
                record["content"] = f"{record.get('content', '')}\n({i // len(lines)})"
            dest.write(json.dumps(record, ensure_ascii=False) + "\n")


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


def read_rss(pid: int) -> tuple[int, str]:
    try:
        with open(f"/proc/{pid}/status") as fh:
            rss = next((int(l.split()[1]) for l in fh if l.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        return rss * 1024, cmd
    except OSError:
        return 0, ""


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict[str, int]]:
    """Run `cmd`; its output and peak memory: the whole process tree, the largest JVM and
    the largest Python worker (pyspark.daemon / worker)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = {"tree": 0, "jvm": 0, "python_worker": 0}

    def sample() -> None:
        while proc.poll() is None:
            total = 0
            for pid in list_tree(proc.pid):
                rss, name = read_rss(pid)
                total += rss
                if "java" in name.split(" ")[0]:
                    peak["jvm"] = max(peak["jvm"], rss)
                elif "pyspark.daemon" in name or "pyspark.worker" in name:
                    peak["python_worker"] = max(peak["python_worker"], rss)
            peak["tree"] = max(peak["tree"], total)
            time.sleep(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    thread.join()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), peak


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
        write_sample(args.corpus, args.articles, src)
        t0 = time.perf_counter()
        done, _ = run_measured(py + ["ingest", str(src), "--db", str(Path(tmp) / "ingest.db"), "--json"], env)
        seconds = time.perf_counter() - t0
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        ingest_rate = summary["stored"] / seconds
        print(f"N={args.articles}  cores on this machine: {os.cpu_count()}  "
              f"load average: {os.getloadavg()[0]:.1f}")
        print(f"ingest (1 process)  stored {summary['stored']:>6}  {seconds:8.1f}s  "
              f"{ingest_rate:7.2f} articles/s")
        first = None
        for master in args.masters:
            out = Path(tmp) / f"tables-{master.strip('[]')}"
            t0 = time.perf_counter()
            done, peak = run_measured(py + ["batch", str(src), "-o", str(out), "--master", master, "--json"], env)
            seconds = time.perf_counter() - t0
            if done.returncode not in (0, 1):
                print(f"batch {master} failed ({done.returncode}): {done.stderr[-2000:]}")
                return 1
            report = json.loads(done.stdout.strip().splitlines()[-1])
            rate = report["articles"] / seconds
            first = first or rate
            print(f"batch {master:<10} articles {report['articles']:>6}  {seconds:8.1f}s  {rate:7.2f} articles/s"
                  f"  x{rate / ingest_rate:.2f} ingest  x{rate / first:.2f} {args.masters[0]}"
                  f"  peak RSS: all {peak['tree'] / 2**20:,.0f} MiB, JVM {peak['jvm'] / 2**20:,.0f} MiB,"
                  f" largest Python worker {peak['python_worker'] / 2**20:,.0f} MiB"
                  f"  phases {report.get('phases')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
