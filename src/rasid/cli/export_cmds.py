"""`rasid export`, `rasid import`, `rasid load` and `rasid batch`: everything out of the
archive in open formats, back in, and the cluster path (Spark) into an archive."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Any

from .options import iso_date, positive_int


def _main():
    from . import main

    return main


def cmd_export(args: argparse.Namespace) -> int:
    from ..monitor import ExportFilterError, QueryError
    from ..progress import Progress

    m = _main()
    progress = Progress(f"export {args.kind}", enabled=args.progress or (
        sys.stderr.isatty() and bool(args.output)))
    count = [0]

    def on_record(n: int) -> None:
        count[0] = n
        progress.advance(1)

    with m.open_monitor(args, stages=("tokenize",)) as monitor:
        try:
            chunks = monitor.export_chunks(
                args.kind, args.format, query=args.query, bom=args.bom, on_record=on_record,
                since=args.since, until=args.until, source=args.source, entity=args.entity,
                country=args.country)
        except QueryError as exc:
            raise m.CLIError(f"bad query: {exc}") from exc
        except (ExportFilterError, ValueError) as exc:
            raise m.CLIError(str(exc)) from exc
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if args.output:
                out.close()
            else:
                out.flush()
    progress.close()
    print(f"{count[0]} {args.kind} written" + (f" to {args.output}" if args.output else ""),
          file=sys.stderr)
    return m.EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    m = _main()
    if not os.path.isfile(args.file):
        raise m.CLIError(f"{args.file}: no such file", m.EXIT_NOT_FOUND)
    progress, on_record = m.ingest_progress(args, "import")
    with m.open_monitor(args) as monitor:
        summary = monitor.import_articles(args.file, on_record=on_record, batch_size=args.batch_size)
    progress.close()
    return m.report_ingest(args, summary)


def cmd_load(args: argparse.Namespace) -> int:
    m = _main()
    if not os.path.isdir(os.path.join(args.tables, "articles")):
        raise m.CLIError(f"{args.tables}: no articles table (a `rasid batch` output folder "
                         "holds articles/, mentions/, ...)", m.EXIT_NOT_FOUND)
    progress, on_record = m.ingest_progress(args, "load")
    with m.open_monitor(args) as monitor:
        try:
            summary = monitor.load_tables(args.tables, on_record=on_record, batch_size=args.batch_size)
        except ValueError as exc:
            raise m.CLIError(str(exc)) from exc
    progress.close()
    return m.report_ingest(args, summary)


def cmd_batch(args: argparse.Namespace) -> int:
    m = _main()
    try:
        from ..batch.job import BatchError, java_message, run_batch
    except ImportError as exc:
        raise m.CLIError(f"rasid batch needs PySpark: pip install 'rasid[spark]' ({exc})") from exc
    try:
        report = run_batch(args.inputs, args.output, master=args.master,
                           partitions=args.partitions, overwrite=args.overwrite)
    except BatchError as exc:
        raise m.CLIError(str(exc), exc.code) from exc
    except Exception as exc:  # a Spark job or the JVM failed: not "some records rejected" (1)
        traceback.print_exc()
        raise m.CLIError(f"the Spark job failed, {args.output} is incomplete: {type(exc).__name__}: "
                         f"{java_message(exc)}", m.EXIT_FAILED) from exc
    if args.json:
        m.emit_json(report)
    else:
        print(f"read {report['read']}, articles {report['articles']}, rejected {report['rejected']} "
              f"in {report['seconds']:.1f}s ({report['articles_per_s']:.1f} articles/s) -> {args.output}")
    return m.EXIT_PARTIAL if report["rejected"] else m.EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    from ..export import FORMATS, KINDS

    p = sub.add_parser("export", parents=[common],
                       help="every record of one kind, streamed, in JSON Lines, CSV, GeoJSON or Parquet")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.add_argument("-o", "--output", help="file to write (default stdout)")
    p.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte-order mark "
                   "(spreadsheets then read the Arabic right)")
    p.add_argument("-q", "--query", help="only what belongs to the articles this search finds")
    p.add_argument("--since", type=iso_date, help="articles published on or after YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="... on or before YYYY-MM-DD")
    p.add_argument("--source", help="only this source")
    p.add_argument("--entity", help="articles mentioning this entity (id, or a name in any spelling)")
    p.add_argument("--country", help="articles naming a place in this country (ISO 3166 alpha-2)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", parents=[common],
                       help="store the articles of a JSON Lines articles export, without re-analysis")
    p.add_argument("file", help="a file written by `rasid export articles --format jsonl`")
    p.add_argument("--batch-size", type=positive_int, default=200, help="articles per transaction")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("load", parents=[common],
                       help="store a `rasid batch` output folder in the archive, without re-analysis")
    p.add_argument("tables", help="the folder `rasid batch` wrote (articles/, mentions/, ...)")
    p.add_argument("--batch-size", type=positive_int, default=200, help="articles per transaction")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("batch", parents=[common],
                       help="analyse JSON Lines, WARC or Parquet on Apache Spark into Parquet tables")
    p.add_argument("inputs", nargs="+", help="files or folders (local paths or any URI Spark reads)")
    p.add_argument("-o", "--output", required=True, help="the output folder (Parquet tables)")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: "
                   "spark-submit's, else local[*])")
    p.add_argument("--partitions", type=positive_int, default=None, help="input partitions (default: "
                   "2 per core)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    p.set_defaults(func=cmd_batch)
