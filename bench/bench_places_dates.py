"""Time of the dates and places stages per article, before and after a change, in one run.

    python bench/bench_places_dates.py [--before REV] [--articles N] [--repeat R] [--text]

Reads the first N articles (default 200) of the bundled SaudiNewsNet sample, tokenises
them and runs NER once (not timed), then times ``dates`` and ``places`` over all of them R
times (default 3; the best run is kept) and prints ms/article for each stage and for the
two together, as wall-clock time and as CPU time of the process (less sensitive to other
load on a shared machine). With ``--before REV`` the same is measured for the code of that git revision
(``git archive REV src`` into a temporary folder) in a fresh subprocess, right before the
working tree's, on the same machine and pinned to one core, so both numbers can be compared.
With ``--text`` each article is read as a plain-text file of it would be (its title line, a
blank line, its text: `rasid.ingest.text`), so the title line's cost is in the figures.
Never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(articles: int, repeat: int, text: bool = False) -> dict[str, float]:
    from rasid.ingest.jsonl import read_jsonl
    from rasid.ingest.text import read_text_article
    from rasid.stages import create_stage

    sample = ROOT / "src" / "rasid" / "sample" / "saudinewsnet-200.jsonl"
    docs = list(read_jsonl(sample))[:articles]
    if text:
        docs = [read_text_article(f"{d.title}\n\n{d.text}", published=d.published) for d in docs]
    tok, ner = create_stage("tokenize"), create_stage("ner")
    docs = [ner(tok(d)) for d in docs]
    dates, places = create_stage("dates"), create_stage("places")
    dates(docs[0]), places(docs[0])  # load tables and the gazetteer outside the timing
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, stage in (("dates", dates), ("places", places)):
            t0, c0 = time.perf_counter(), time.process_time()
            for d in docs:
                stage(d)
            ms = 1000 * (time.perf_counter() - t0) / len(docs)
            cpu = 1000 * (time.process_time() - c0) / len(docs)
            best[name] = min(best.get(name, ms), ms)
            best[name + "_cpu"] = min(best.get(name + "_cpu", cpu), cpu)
    best["both"] = best["dates"] + best["places"]
    best["both_cpu"] = best["dates_cpu"] + best["places_cpu"]
    best["articles"] = len(docs)
    return best


def run_child(src: Path, articles: int, repeat: int, text: bool = False) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, __file__, "--child", "--articles", str(articles),
                          "--repeat", str(repeat)] + (["--text"] if text else []),
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="git revision to compare with (e.g. main)")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--text", action="store_true",
                    help="read each article as a plain-text file: title line, blank line, text")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    if args.child:
        print(json.dumps(measure(args.articles, args.repeat, args.text)))
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.before:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "src"],
                                     check=True, capture_output=True).stdout
            tar = Path(tmp) / "src.tar"
            tar.write_bytes(archive)
            with tarfile.open(tar) as tf:
                tf.extractall(tmp, filter="data")
            runs.append((args.before, run_child(Path(tmp) / "src", args.articles, args.repeat, args.text)))
        runs.append(("working tree", run_child(ROOT / "src", args.articles, args.repeat, args.text)))
    print(f"{'code':24} {'articles':>8} {'dates ms':>9} {'places ms':>10} {'both ms':>8}"
          f" {'dates cpu':>10} {'places cpu':>11} {'both cpu':>9}")
    for label, r in runs:
        print(f"{label:24} {r['articles']:8.0f} {r['dates']:9.2f} {r['places']:10.2f} {r['both']:8.2f}"
              f" {r['dates_cpu']:10.2f} {r['places_cpu']:11.2f} {r['both_cpu']:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
