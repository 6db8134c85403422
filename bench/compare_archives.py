"""Whether two SQLite archives hold the same analysis: every table, row by row.

    python bench/compare_archives.py BEFORE.db AFTER.db

For checking that a speed change keeps the stored output identical: fill two archives
with the same input, one with each version (`bench/profile_ingest.py --db PATH`), then
compare them. Columns that record when a row was written (``*_at``), ``origin`` and the
FTS shadow tables are left out; every other column of every table is compared as a
sorted multiset of rows. The search index itself is compared as ``articles_fts (terms)``:
every indexed term with its article id, column and position (FTS5's ``fts5vocab``
instance table; the index is contentless, so its columns cannot be read back). Prints the differing tables (with a few rows) and exits 1 when
anything differs.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import Counter

SKIP_TABLES = ("sqlite_", "articles_fts")
CLOCK_COLUMNS = ("applied_at", "created_at", "updated_at", "ingested_at", "added_at", "fetched_at",
                 "delivered_at", "next_attempt",
                 "origin")  # where the input was read from: the profile's temporary file


def read_tables(path: str) -> dict[str, Counter]:
    """``{table: Counter(rows)}`` of an archive, without the clock columns."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out: dict[str, Counter] = {}
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in names:
        if name.startswith(SKIP_TABLES):
            continue
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")') if r[1] not in CLOCK_COLUMNS]
        rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"')
        out[name] = Counter(tuple(r) for r in rows)
    if "articles_fts" in names:
        con.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
        rows = con.execute("SELECT a.id, v.col, v.offset, v.term FROM temp.fts_terms AS v "
                           "JOIN articles AS a ON a.rowid = v.doc")
        out["articles_fts (terms)"] = Counter(tuple(r) for r in rows)
    con.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    args = ap.parse_args()
    a, b = read_tables(args.before), read_tables(args.after)
    differing = 0
    for name in sorted(a.keys() | b.keys()):
        ra, rb = a.get(name, Counter()), b.get(name, Counter())
        if ra == rb:
            print(f"{name:<24}{sum(ra.values()):>9} rows  same")
            continue
        differing += 1
        only_a, only_b = ra - rb, rb - ra
        print(f"{name:<24}{sum(ra.values()):>9} / {sum(rb.values())} rows  DIFFER: "
              f"{sum(only_a.values())} only before, {sum(only_b.values())} only after")
        for row in list(only_a)[:3]:
            print("   before:", str(row)[:200])
        for row in list(only_b)[:3]:
            print("   after: ", str(row)[:200])
    print("identical" if not differing else f"{differing} tables differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
