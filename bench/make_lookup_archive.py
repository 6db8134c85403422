"""Build the archive that `rasid eval lookup` measures on: every Nth SaudiNewsNet article.

    python bench/make_lookup_archive.py [--every 60] [--out /tmp/lookup-archive.db]

Reads /work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz (CC BY-NC-SA 4.0, never
committed), keeps every Nth article (a spread over the whole month, 21 July - 17 August
2015), writes them to a JSON Lines file beside the archive and ingests it with rasid.
Prints the number of articles and entities. The name pairs in
tests/resources/entity-lookup-pairs.tsv were written from an archive built this way
(``--every 60``).
"""
from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

DATA = Path("/work/shared/data/news/saudinewsnet/saudinewsnet.jsonl.gz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=60)
    parser.add_argument("--out", default="/tmp/lookup-archive.db")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    from rasid.monitor import Monitor

    jsonl = Path(args.out).with_suffix(".jsonl")
    with gzip.open(args.data, "rt", encoding="utf-8") as src, jsonl.open("w", encoding="utf-8") as dst:
        n = sum(1 for i, line in enumerate(src) if i % args.every == 0 and dst.write(line))
    t0 = time.perf_counter()
    with Monitor(args.out) as monitor:
        summary = monitor.ingest([str(jsonl)])
        n_entities = len(monitor.top_entities(limit=1_000_000))
    print(f"articles {n} stored {summary.stored} entities {n_entities} "
          f"seconds {time.perf_counter() - t0:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
