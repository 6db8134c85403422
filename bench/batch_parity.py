"""Same answers on Spark as on one machine (issue 18 item 2), on the first N SaudiNewsNet
articles: `rasid ingest` + `rasid export` into a temporary archive, and `rasid batch
--master local[2]` on the same input file, then the two compared.

    python bench/batch_parity.py [--n 1000] [--corpus PATH] [--master 'local[2]'] [--keep DIR]
    python bench/batch_parity.py --tables DIR_A DIR_B     # two `rasid batch` outputs, every table

With ``--tables`` it compares two batch output folders instead (e.g. the same input before
and after a change to the job): every row of every table, as a multiset of rows (part
files and row order may differ), and exits 1 on any difference.

Compared, as tests/integration/test_batch_spark.py does on 8 articles: the articles (id,
title, text, published), the spans of the entities, places, dates and events layers
(article, layer, start, end, label), the places (article, offsets, gazetteer id,
coordinates, country) and the dates (article, offsets, value). Prints the counts on each
side and up to `--show` differences of each kind; exits 1 when anything differs, 0 when
all is the same. Each command runs in its own process (`python -m rasid`), timed.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz"
COMPARED_LAYERS = ("entities", "places", "dates", "events")


def write_sample(corpus: Path, n: int, out: Path) -> int:
    """The first `n` lines of the corpus as one JSON Lines file; returns how many."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        lines = [line for line in itertools.islice(fh, n) if line.strip()]
    out.write_text("".join(line if line.endswith("\n") else line + "\n" for line in lines),
                   encoding="utf-8")
    return len(lines)


def run_rasid(args: list[str], label: str) -> int:
    """``python -m rasid ARGS`` in its own process; stops the bench when it fails. Exit code 1
    (finished, some records rejected: SaudiNewsNet has blank articles) is not a failure; the
    rejections are printed, and the batch side must reject the same records."""
    t = time.time()
    proc = subprocess.run([sys.executable, "-m", "rasid", *args], capture_output=True, text=True)
    print(f"  {label}: {time.time() - t:.1f}s", flush=True)
    if proc.returncode == 1:
        rejected = [line for line in proc.stderr.splitlines() if line.startswith("rejected ")]
        print(f"  {label}: {len(rejected)} records rejected", flush=True)
        return len(rejected)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
        raise SystemExit(f"rasid {args[0]} failed with exit code {proc.returncode}")
    return 0


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_table(folder: Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds

    if not (folder / name).exists():
        return []
    return ds.dataset(str(folder / name), format="parquet", partitioning="hive").to_table().to_pylist()


def keys_articles(rows: list[dict]) -> set[tuple]:
    return {(r["id"], r.get("title"), r.get("text"), r.get("published")) for r in rows}


def keys_spans(rows: list[dict]) -> set[tuple]:
    return {(r["article_id"], r["layer"], r["start"], r["end"], r.get("label"))
            for r in rows if r["layer"] in COMPARED_LAYERS}


def keys_places(rows: list[dict]) -> set[tuple]:
    return {(r["article_id"], r["start"], r["end"], r.get("gazetteer_id"), r.get("lat"),
             r.get("lon"), r.get("country")) for r in rows}


def keys_dates(rows: list[dict]) -> set[tuple]:
    return {(r["article_id"], r["start"], r["end"], r.get("value")) for r in rows}


def compare(name: str, one: set[tuple], batch: set[tuple], show: int) -> int:
    """Print the counts and differences of one kind; return how many rows differ."""
    only_one, only_batch = sorted(one - batch, key=repr), sorted(batch - one, key=repr)
    print(f"{name:10s} ingest {len(one):7d}  batch {len(batch):7d}  same {len(one & batch):7d}  "
          f"only ingest {len(only_one):5d}  only batch {len(only_batch):5d}")
    for side, rows in (("only ingest", only_one), ("only batch", only_batch)):
        for row in rows[:show]:
            text = repr(row if name != "articles" else (row[0], (row[1] or "")[:40], len(row[2] or ""), row[3]))
            print(f"    {side}: {text[:300]}")
    return len(only_one) + len(only_batch)


def explain_spans(one_rows: list[dict], batch_rows: list[dict]) -> None:
    """Tally the spans found on one side only by how they were made (the ``link`` of their
    attributes: ``office-archive`` is an office-holder mention learnt from the archive by
    entity resolution across articles, not by a pipeline stage)."""
    for side, rows, other in (("only ingest", one_rows, batch_rows), ("only batch", batch_rows, one_rows)):
        theirs = keys_spans(other)
        made: dict[str, int] = {}
        for row in rows:
            key = keys_spans([row])
            if key and not key <= theirs:
                attrs = row.get("attrs") or {}
                if isinstance(attrs, str):
                    attrs = json.loads(attrs)
                link = attrs.get("link") or "stage"
                made[link] = made.get(link, 0) + 1
        if made:
            print(f"    {side}, by how the span was made: " + ", ".join(f"{k} {v}" for k, v in sorted(made.items())))


def compare_tables(a: Path, b: Path, show: int) -> int:
    """Every table of two `rasid batch` outputs, row by row (a multiset: order and part files
    may differ); the number of rows that differ. Paths under each output folder's parent
    (the input `bench/bench_batch.py --keep DIR` writes next to its tables, which `origin`
    and `file` name) are compared relative to it."""
    from collections import Counter

    from rasid.batch.job import TABLES

    for folder in (a, b):
        if not (folder / "articles").is_dir():
            raise SystemExit(f"{folder}: no batch output here (no articles/)")
    differences = 0
    for name in TABLES:
        rows = [Counter(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str).replace(
            f"{folder.resolve().parent}/", "") for r in read_table(folder, name)) for folder in (a, b)]
        only_a, only_b = rows[0] - rows[1], rows[1] - rows[0]
        n = sum(only_a.values()) + sum(only_b.values())
        print(f"{name:16s} {sum(rows[0].values()):8d} {sum(rows[1].values()):8d}  "
              f"{'same' if not n else f'{n} rows differ'}")
        for side, extra in (("only A", only_a), ("only B", only_b)):
            for row in sorted(extra)[:show]:
                print(f"    {side}: {row[:300]}")
        differences += n
    print("SAME" if not differences else f"DIFFERENT: {differences} rows differ")
    return differences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles: the first N lines of the corpus")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--show", type=int, default=5, help="differences printed per kind")
    ap.add_argument("--keep", default=None, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--tables", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"),
                    help="compare two `rasid batch` output folders, every table, and nothing else")
    args = ap.parse_args(argv)
    if args.tables:
        return 1 if compare_tables(*args.tables, args.show) else 0
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus}: no such corpus file (give --corpus)")

    with tempfile.TemporaryDirectory(prefix="rasid-parity-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        sample, db, tables, exports = work / "input.jsonl", work / "archive.db", work / "tables", work / "export"
        exports.mkdir(exist_ok=True)
        n = write_sample(args.corpus, args.n, sample)
        print(f"input: the first {n} records of {args.corpus} in {work}", flush=True)
        ingest_rejected = run_rasid(["ingest", "--db", str(db), str(sample)], "rasid ingest")
        for kind in ("articles", "mentions", "places", "dates"):
            run_rasid(["export", "--db", str(db), kind, "-o", str(exports / f"{kind}.jsonl")],
                      f"rasid export {kind}")
        run_rasid(["batch", "--master", args.master, "--overwrite", "-o", str(tables), str(sample)],
                  f"rasid batch --master {args.master}")

        print()
        differences = 0
        for name, keys, table in (("articles", keys_articles, "articles"), ("spans", keys_spans, "mentions"),
                                  ("places", keys_places, "places"), ("dates", keys_dates, "dates")):
            one_rows, batch_rows = read_jsonl(exports / f"{table}.jsonl"), read_table(tables, table)
            differences += compare(name, keys(one_rows), keys(batch_rows), args.show)
            if name == "spans":
                explain_spans(one_rows, batch_rows)
        rejected = read_table(tables, "rejected")
        print(f"rejected   ingest {ingest_rejected:7d}  batch {len(rejected):7d}")
        differences += abs(ingest_rejected - len(rejected))
        print("SAME" if not differences else f"DIFFERENT: {differences} rows differ")
        return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
