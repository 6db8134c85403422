"""The `rasid` command: a thin shell over `rasid.monitor.Monitor`.

Exit codes (also in docs/cli.md):
  0  success
  1  finished, but some records were rejected or failed (they are listed on stderr)
  2  usage error (bad arguments, bad query)
  3  input not found or nothing could be read / the article id does not exist
  4  storage error (the archive cannot be opened or written)
  130 interrupted (Ctrl-C); what was committed is kept
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Sequence


from .options import iso_date, positive_int, url_scheme_problem  # noqa: F401 (positive_int: the other command modules)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORAGE, EXIT_FAILED = 0, 1, 2, 3, 4, 5


class CLIError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def emit_rows(args: argparse.Namespace, rows: list[dict[str, Any]], line: Any) -> int:
    """JSON Lines with --json, else one formatted line per row."""
    for r in rows:
        emit_json(r) if args.json else print(line(r))
    return EXIT_OK


def parse_field_map(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    mapping: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise CLIError(f"--field-map expects rasid_field=input_field, got {pair!r}")
            mapping[key.strip()] = value.strip()
    return mapping


def setting(name: str) -> Any:
    from ..settings import get_setting

    return get_setting(name)


def open_monitor(args: argparse.Namespace, stages: Sequence[str] | None = None, workers: int = 1):
    """The Monitor on ``--db``; commands that analyse many articles pass the ``workers``
    setting (`rasid.workers`)."""
    from ..monitor import Monitor
    from ..stages import DEFAULT_STAGES

    try:
        return Monitor(args.db, stages=stages or DEFAULT_STAGES, workers=workers)
    except Exception as exc:
        raise CLIError(f"cannot open archive {args.db}: {exc}", EXIT_STORAGE) from exc


def show_progress(args: argparse.Namespace) -> bool:
    return bool(args.progress or (sys.stderr.isatty() and not args.json))


def ingest_progress(args: argparse.Namespace, label: str):
    """A progress line and the `on_record` callback that advances it from an IngestSummary."""
    from ..progress import Progress

    progress = Progress(label, enabled=show_progress(args))
    last = [0]

    def on_record(summary) -> None:
        progress.advance(summary.read - last[0], f"stored {summary.stored} dup {summary.duplicates} "
                         f"upd {summary.updated}")
        last[0] = summary.read

    return progress, on_record



# -- commands ----------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    for src in args.sources:
        problem = url_scheme_problem(src)
        if problem:
            raise CLIError(problem)
        if src != "-" and not src.startswith(("http://", "https://")) and not os.path.exists(src):
            raise CLIError(f"{src}: no such file or directory", EXIT_NOT_FOUND)
    published = args.published
    if args.source is not None and not args.source.strip():
        raise CLIError("--source: the source name is empty")
    from ..monitor import WorkerCrashed

    monitor = open_monitor(args, workers=setting("workers"))
    progress, on_record = ingest_progress(args, "ingest")
    monitor.on_stage = progress.show_stage
    with monitor:
        try:
            summary = monitor.ingest(args.sources, field_map=parse_field_map(args.field_map),
                                     max_bytes=args.max_bytes, on_record=on_record,
                                     batch_size=args.batch_size, published=published,
                                     source=args.source)
        except WorkerCrashed as exc:
            raise CLIError(str(exc), EXIT_PARTIAL) from None
    progress.close()
    return report_ingest(args, summary)


def report_ingest(args: argparse.Namespace, summary) -> int:
    """Print the outcome; the exit code: 3 when nothing could be read (every URL unreachable,
    no file with an article), 0 for a feed polled with nothing new, 1 when some records
    were rejected or failed or some URL could not be fetched."""
    for rej in summary.unreachable:
        print(f"unreachable {rej.origin}: {rej.reason}", file=sys.stderr)
    for rej in summary.rejected:
        print(f"rejected {rej.origin}: {rej.reason}", file=sys.stderr)
    for origin, reason in summary.failed:
        print(f"failed {origin}: {reason}", file=sys.stderr)
    if args.json:
        emit_json(summary.to_dict())
    else:
        rate = summary.read / summary.seconds if summary.seconds else 0.0
        print(f"read {summary.read}, stored {summary.stored}, duplicates {summary.duplicates}, "
              f"updated {summary.updated}, rejected {len(summary.rejected)}, failed {len(summary.failed)} "
              f"in {summary.seconds:.1f}s ({rate:.1f} articles/s)")
        if summary.read == 0 and summary.feeds_polled:
            print("no new articles in the feed(s) since the last poll")
    if summary.read == 0 and not summary.feeds_polled:
        return EXIT_NOT_FOUND
    return EXIT_PARTIAL if summary.rejected or summary.failed or summary.unreachable else EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from ..ingest import Rejection, read_paths, read_stream
    from ..stages import build_pipeline

    if args.file != "-" and not os.path.exists(args.file):
        raise CLIError(f"{args.file}: no such file", EXIT_NOT_FOUND)
    if os.path.isdir(args.file):
        raise CLIError(f"{args.file} is a directory; rasid analyze reads one article file "
                       "(rasid ingest DIR reads every file of a directory into the archive)")
    items = (read_stream(sys.stdin.buffer, name="<stdin>") if args.file == "-"
             else read_paths([args.file]))
    from ..monitor import check_document

    from ..progress import Progress

    pipeline = build_pipeline()
    progress = Progress("analyze", enabled=show_progress(args))
    pipeline.on_stage = progress.show_stage
    n_docs, code = 0, EXIT_OK
    for item in items:
        if not isinstance(item, Rejection):
            item = check_document(item)  # over MAX_ARTICLE_CHARS, non-finite meta: rejected
        if isinstance(item, Rejection):
            print(f"rejected {item.origin}: {item.reason}", file=sys.stderr)
            code = EXIT_PARTIAL
            continue
        if args.published and not item.published:
            item.published = args.published
        doc = pipeline(item)
        out = doc.to_dict()
        if args.no_sentences:
            out["layers"].pop("sentences", None)
        emit_json(out)  # analyze always prints JSON (one document per article read)
        n_docs += 1
        progress.advance(1)
    progress.close()
    if n_docs == 0:
        print(f"{args.file}: no article could be read", file=sys.stderr)
        return EXIT_NOT_FOUND
    return code


def validate_date(value: str, flag: str = "--published") -> str:
    """`value` as an ISO date; a usage error naming `flag` when it is not one."""
    from .options import convert_date

    try:
        return convert_date(value)
    except ValueError as exc:
        raise CLIError(f"{flag}: {exc}") from exc


def cmd_start(args: argparse.Namespace) -> int:
    """The main job: ingest the bundled sample articles into the archive and report."""
    monitor = open_monitor(args, workers=setting("workers"))
    progress, on_record = ingest_progress(args, "ingest sample")
    with monitor:
        summary = monitor.ingest_sample(on_record=on_record)
        progress.close()
        code = report_ingest(args, summary)
        if not args.json:
            stats = monitor.stats()
            print(f"archive {monitor.location}: {stats.get('articles')} articles")
            print("try: rasid search 'هجوم'   |   rasid stats   |   rasid show ID")
    from .serve_cmds import serve_after_start

    return serve_after_start(args, code)


def cmd_config(args: argparse.Namespace) -> int:
    """Every effective setting and where it came from."""
    from ..settings import format_config

    if args.json:
        emit_json(args.settings.to_dict())
    else:
        print("\n".join(format_config(args.settings)))
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    if args.what == "ner":
        from ..train.ner import main as train_ner

        return train_ner(args.rest)
    if args.what == "lexicon":
        from ..train.lexicon import main as train_lexicon

        return train_lexicon(args.rest)
    raise CLIError(f"unknown model {args.what!r}")


def cmd_eval(args: argparse.Namespace) -> int:
    import importlib

    if args.what is None:
        print("evaluations (rasid eval NAME [FILE] [options]; rasid eval NAME --help):")
        for name, what in list_evaluations().items():
            print(f"  {name:<11} {what}")
        return EXIT_OK
    if args.what not in list_evaluations():
        raise CLIError(f"no evaluation named {args.what!r}; choose from {', '.join(list_evaluations())}")
    try:
        module = importlib.import_module(f"rasid.eval.{args.what}")
    except ModuleNotFoundError as exc:
        raise CLIError(f"no evaluation named {args.what!r}") from exc
    return module.main(args.rest)


def list_evaluations() -> dict[str, str]:
    """``{name: first line of its docstring}`` for every module of `rasid.eval` (one per
    evaluation), read without importing them."""
    import ast
    from pathlib import Path

    from .. import eval as eval_package

    out = {}
    for path in sorted(Path(eval_package.__path__[0]).glob("[a-z]*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        out[path.stem] = doc.split("\n", 1)[0].split(": ``")[0].rstrip(".:")
    return out


def cmd_repair(args: argparse.Namespace) -> int:
    monitor = open_monitor(args)
    with monitor:
        done = monitor.repair()
    if args.json:
        emit_json(done)
    else:
        steps = ", ".join(f"{name} {n}" for name, n in done.items() if name != "articles")
        print(f"checked {done['articles']} articles; completed: {steps}")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from ..monitor import ArchiveNotEmpty

    args.db = args.src
    monitor = open_monitor(args)
    with monitor:
        try:
            copied = monitor.copy_to(args.dst)
        except ArchiveNotEmpty as exc:
            raise CLIError(str(exc), EXIT_STORAGE) from exc
    if args.json:
        emit_json(copied)
    else:
        print(f"copied {args.src} -> {args.dst}: " + ", ".join(f"{k} {n}" for k, n in copied.items() if n))
    return EXIT_OK


# -- parser --------------------------------------------------------------------------------
def build_common_parser() -> argparse.ArgumentParser:
    """The options every command takes: --config, --db, --json, --progress."""
    from ..settings import add_flags

    common = argparse.ArgumentParser(add_help=False)
    add_flags(common, ("config", "db"))
    common.add_argument("--json", action="store_true", help="machine-readable output "
                        "(one JSON document, or JSON Lines for lists)")
    common.add_argument("--progress", action="store_true", help="always show progress on stderr")
    return common


def build_parser() -> argparse.ArgumentParser:
    from ..settings import SETTINGS, add_flags

    common = build_common_parser()

    parser = argparse.ArgumentParser(prog="rasid", description="راصد rasid: offline Arabic news monitoring")
    parser.add_argument("--version", action="version", version=f"rasid {__import__('rasid').__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="read articles into the archive")
    p.add_argument("sources", nargs="+", metavar="PATH|URL",
                   help="files, directories (recursive), feed or page URLs, or - for stdin")
    p.add_argument("--field-map", action="append", metavar="FIELD=INPUT",
                   help="JSON Lines field mapping, e.g. text=article_body,published=pub_date")
    p.add_argument("--max-bytes", type=positive_int, default=None,
                   help="reject files larger than this many bytes (default 50 MB)")
    p.add_argument("--batch-size", type=positive_int, default=200, help="articles per transaction")
    p.add_argument("--published", type=iso_date,
                   help="publication date (YYYY-MM-DD) for articles that carry none")
    p.add_argument("--source", help="source name for articles that carry none")
    add_flags(p, ("strict_stages", "workers"))
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("analyze", parents=[common], help="analyse one article file; JSON on stdout")
    p.add_argument("file", help="an article file (text, JSON Lines, HTML, ...) or - for stdin")
    p.add_argument("--published", type=iso_date,
                   help="publication date (YYYY-MM-DD) when the file carries none")
    p.add_argument("--no-sentences", action="store_true", help="leave the sentence layer out")
    add_flags(p, ("strict_stages", "home_country"))
    p.set_defaults(func=cmd_analyze)

    from .reading_cmds import register as register_reading

    register_reading(sub, common)

    p = sub.add_parser("start", parents=[common],
                       help="main job: ingest the bundled sample articles and serve the web UI")
    from .serve_cmds import add_start_arguments

    add_start_arguments(p)
    p.set_defaults(func=cmd_start)

    from .alerts_cmds import register as register_alerts
    from .events_cmds import register as register_events
    from .export_cmds import register as register_exports
    from .serve_cmds import register as register_serve

    from .stories_cmds import register as register_stories

    register_stories(sub, common)
    register_events(sub, common)
    register_alerts(sub, common)
    register_serve(sub, common)
    register_exports(sub, common)

    p = sub.add_parser("config", parents=[common],
                       help="every effective setting and where it came from "
                            "(default, config file, env, flag)")
    add_flags(p, [n for n in SETTINGS if n not in ("config", "db")])
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("train", help="train a shipped model (ner, lexicon)")
    p.add_argument("what", choices=["ner", "lexicon"])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("repair", parents=[common],
                       help="run the archive steps (entities, near-duplicates, stories, alerts) "
                            "over the whole archive, completing what is missing")
    p.set_defaults(func=cmd_repair)

    p = sub.add_parser("copy", parents=[common], help="copy an archive to another (any engine), "
                                                      "without analysing anything again")
    p.add_argument("src", help="the archive to copy: a SQLite path or a postgresql:// URL")
    p.add_argument("dst", help="an empty or new archive: a SQLite path or a postgresql:// URL")
    p.set_defaults(func=cmd_copy)

    p = sub.add_parser("eval", help="quality evaluations (ner, dates, places, ...); "
                                    "without a name: the list")
    p.add_argument("what", nargs="?", help="the evaluation; leave out to list them")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_eval)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Resolve the settings (flags > env > config file > default) into `args`, then run
    the command with them installed for library code; errors become exit codes."""
    from ..settings import SETTINGS, SettingsError, resolve_settings, use_settings

    try:
        config = resolve_settings(args)
    except SettingsError as exc:
        print(f"{command_name(args)}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for name in SETTINGS:
        if hasattr(args, name):
            setattr(args, name, config[name])
    args.settings = config
    try:
        with use_settings(config):
            return args.func(args)
    except CLIError as exc:
        print(f"{command_name(args)}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("rasid: interrupted; everything committed so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def command_name(args: argparse.Namespace) -> str:
    """``rasid search``, ``rasid watch add``: what error messages start with."""
    words = ["rasid", getattr(args, "command", None), getattr(args, "watch_command", None)]
    return " ".join(w for w in words if w)


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser().parse_args(argv))


#: commands with nothing left to close when they return (no archive open, no thread, no
#: server): the `rasid` program leaves after them without Python's teardown, which frees
#: the loaded models' millions of objects one by one (0.05 s of a 0.6 s cold ``rasid analyze``)
QUICK_EXIT = frozenset({"analyze", "search"})


def run() -> None:
    """The ``rasid`` program (console script and ``python -m rasid``): `main` on the command
    line, then exit with its code; after a `QUICK_EXIT` command, with ``os._exit`` once
    the output is flushed."""
    args = build_parser().parse_args()
    code = run_command(args)
    if args.command in QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, OSError):
            pass
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    run()
