"""Cold start of `rasid analyze` and `rasid search`: fresh processes, trees alternated.

    python bench/bench_cold.py [--trees SRC ...] [--runs N] [--db ARCHIVE]
                               [--article FILE] [--query Q] [--no-compile]

Runs ``python -m rasid analyze ARTICLE --json`` and, with ``--db``, ``python -m rasid
search QUERY --db ARCHIVE --json`` N times (default 5) in a new process for every tree
given (default: this checkout's ``src``), the trees alternated run by run so that a slower
minute of the machine falls on all of them. Prints, per tree and command, the median and
maximum wall time (seconds) and user+sys CPU seconds of the child, and checks that every
tree printed the same bytes as the first one (``same output`` / ``OUTPUT DIFFERS``).
Bytecode is compiled first (``compileall``), as an installed package has it; this build
machine sets ``PYTHONDONTWRITEBYTECODE=1``, which would otherwise add 0.3-0.5 s of
compiling to every cold run. Never asserted in tests.

Example (before tree made with ``git archive``)::

    python bench/bench_cold.py --trees /tmp/before8/src src --runs 7 --db /tmp/s100k-v2.db
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cold(tree: Path, args: list[str]) -> tuple[float, float, bytes]:
    """Wall seconds, child CPU seconds (user+sys) and stdout of one ``python -m rasid``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "rasid", *args], env=env, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: rasid {' '.join(args)} exited {proc.returncode}:\n"
                         + proc.stderr.decode("utf-8", "replace")[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trees", nargs="+", default=[str(ROOT / "src")],
                    help="source folders holding the rasid package (PYTHONPATH of each run)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--article", default=str(ROOT / "src/rasid/sample/paris-2015.txt"))
    ap.add_argument("--db", help="archive for `rasid search` (left out: analyze only)")
    ap.add_argument("--query", default="هجوم باريس")
    ap.add_argument("--no-compile", action="store_true", help="do not compile bytecode first")
    a = ap.parse_args(argv)
    trees = [Path(t).resolve() for t in a.trees]
    if not a.no_compile:
        for t in trees:
            compileall.compile_dir(t, quiet=1)
    commands = {"analyze": ["analyze", a.article, "--json"]}
    if a.db:
        commands["search"] = ["search", a.query, "--db", a.db, "--json"]
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {}
    outputs: dict[str, dict[Path, bytes]] = {c: {} for c in commands}
    load0 = os.getloadavg()[0]
    for i in range(a.runs):
        for tree in trees if i % 2 == 0 else trees[::-1]:
            for name, args in commands.items():
                wall, cpu, out = run_cold(tree, args)
                times.setdefault((name, tree), []).append((wall, cpu))
                outputs[name].setdefault(tree, out)
    print(f"{a.runs} cold runs per tree and command, trees alternated; "
          f"load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(f"{'command':<8} {'tree':<40} {'wall median':>11} {'wall max':>9} {'cpu median':>11} {'cpu max':>8}")
    for name in commands:
        for tree in trees:
            walls, cpus = zip(*times[(name, tree)])
            print(f"{name:<8} {str(tree)[-40:]:<40} {statistics.median(walls):>11.3f} {max(walls):>9.3f} "
                  f"{statistics.median(cpus):>11.3f} {max(cpus):>8.3f}")
        first = outputs[name][trees[0]]
        same = all(outputs[name][t] == first for t in trees)
        print(f"{name}: {'same output' if same else 'OUTPUT DIFFERS'} in every tree ({len(first)} bytes)")
    if len(trees) > 1:
        for name in commands:
            base = statistics.median(w for w, _ in times[(name, trees[0])])
            for tree in trees[1:]:
                med = statistics.median(w for w, _ in times[(name, tree)])
                print(f"{name}: {str(tree)[-40:]} median wall x{base / med:.2f} against the first tree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
