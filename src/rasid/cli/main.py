"""The `rasid` command: a thin shell over `rasid.monitor.Monitor`.

Exit codes (also in docs/cli.md):
  0  success
  1  finished, but some records were rejected or failed (they are listed on stderr)
  2  usage error (bad arguments, bad query)
  3  input not found or nothing could be read / the article id does not exist
  4  storage error (the archive cannot be opened or written)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Sequence


def positive_int(value: str) -> int:
    """argparse type of ``--limit`` and other counts: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORAGE = 0, 1, 2, 3, 4


class CLIError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


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


def open_monitor(args: argparse.Namespace, stages: Sequence[str] | None = None):
    from ..monitor import Monitor
    from ..stages import DEFAULT_STAGES

    try:
        return Monitor(args.db, stages=stages or DEFAULT_STAGES)
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
        progress.advance(summary.read - last[0], f"stored {summary.stored} dup {summary.duplicates}")
        last[0] = summary.read

    return progress, on_record


# -- commands ----------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    for src in args.sources:
        if src != "-" and not src.startswith(("http://", "https://")) and not os.path.exists(src):
            raise CLIError(f"{src}: no such file or directory", EXIT_NOT_FOUND)
    published = validate_date(args.published) if args.published else None
    if args.source is not None and not args.source.strip():
        raise CLIError("--source: the source name is empty")
    monitor = open_monitor(args)
    progress, on_record = ingest_progress(args, "ingest")
    with monitor:
        summary = monitor.ingest(args.sources, field_map=parse_field_map(args.field_map),
                                 max_bytes=args.max_bytes, on_record=on_record,
                                 batch_size=args.batch_size, published=published,
                                 source=args.source)
    progress.close()
    return report_ingest(args, summary)


def report_ingest(args: argparse.Namespace, summary) -> int:
    for rej in summary.rejected:
        print(f"rejected {rej.origin}: {rej.reason}", file=sys.stderr)
    for origin, reason in summary.failed:
        print(f"failed {origin}: {reason}", file=sys.stderr)
    if args.json:
        emit_json(summary.to_dict())
    else:
        rate = summary.read / summary.seconds if summary.seconds else 0.0
        print(f"read {summary.read}, stored {summary.stored}, duplicates {summary.duplicates}, "
              f"rejected {len(summary.rejected)}, failed {len(summary.failed)} "
              f"in {summary.seconds:.1f}s ({rate:.1f} articles/s)")
    if summary.read == 0:
        return EXIT_NOT_FOUND
    return EXIT_PARTIAL if summary.rejected or summary.failed else EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from ..ingest import Rejection, read_paths, read_stream
    from ..stages import build_pipeline

    if args.file != "-" and not os.path.exists(args.file):
        raise CLIError(f"{args.file}: no such file", EXIT_NOT_FOUND)
    items = (read_stream(sys.stdin.buffer, name="<stdin>") if args.file == "-"
             else read_paths([args.file]))
    from ..monitor import check_document

    pipeline = build_pipeline()
    n_docs, code = 0, EXIT_OK
    for item in items:
        if not isinstance(item, Rejection):
            item = check_document(item)  # over MAX_ARTICLE_CHARS, non-finite meta: rejected
        if isinstance(item, Rejection):
            print(f"rejected {item.origin}: {item.reason}", file=sys.stderr)
            code = EXIT_PARTIAL
            continue
        if args.published and not item.published:
            item.published = validate_date(args.published)
        doc = pipeline(item)
        out = doc.to_dict()
        if args.no_sentences:
            out["layers"].pop("sentences", None)
        emit_json(out)  # analyze always prints JSON (one document per article read)
        n_docs += 1
    if n_docs == 0:
        print(f"{args.file}: no article could be read", file=sys.stderr)
        return EXIT_NOT_FOUND
    return code


def validate_date(value: str) -> str:
    from datetime import date, datetime

    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CLIError(f"--published: {value!r} is not an ISO date (YYYY-MM-DD): {exc}") from exc


def cmd_search(args: argparse.Namespace) -> int:
    from ..search.query import QueryError

    filters = {"since": args.since and validate_date(args.since),
               "until": args.until and validate_date(args.until), "source": args.source}
    monitor = open_monitor(args)
    with monitor:
        try:
            trend = monitor.search_trend(args.query, **filters) if args.trend else None
            hits = monitor.search(args.query, limit=args.limit, **filters)
        except QueryError as exc:
            raise CLIError(f"bad query: {exc}") from exc
    expansions = getattr(hits, "expansions", [])
    if args.json:
        if trend is not None or expansions:
            emit_json({"trend": trend, "expansions": expansions})
        for hit in hits:
            emit_json(hit.to_dict())
        return EXIT_OK
    if getattr(hits, "dropped", None):
        print(f"left out as too common: {' '.join(hits.dropped)}")
    if getattr(hits, "relaxed", False):
        print("no article has enough of the words: articles with any of them")
    for e in expansions:
        print(f"also searched: {e['word']} -> {'، '.join(e['spellings'])}"
              + (f"  (entity:{e['entity_id']} {e['entity']})" if e.get("entity_id") else ""))
    if trend is not None:
        print_trend(trend)
    for hit in hits:
        print(f"{hit.id}  {hit.published or '':<10}  {hit.source or ''}  {hit.title}")
        print(f"    {hit.snippet}")
    if not hits:
        print("no results", file=sys.stderr)
    return EXIT_OK


def print_trend(trend: dict) -> None:
    """One line per period: the count as a bar; surges marked with !."""
    series = trend["series"]
    top = max((p["count"] for p in series), default=0) or 1
    print(f"matching articles per {trend['unit']} (total {trend['total']}):")
    for p in series:
        bar = "#" * max(1 if p["count"] else 0, round(40 * p["count"] / top))
        print(f"  {p['period']:<13} {p['count']:>5} {bar}{'  !' if p['surge'] else ''}")
    print()


def cmd_similar(args: argparse.Namespace) -> int:
    monitor = open_monitor(args)
    with monitor:
        result = monitor.similar_articles(args.id, limit=args.limit)
    if result is None:
        raise CLIError(f"no article with id {args.id!r}", EXIT_NOT_FOUND)
    if args.json:
        emit_json(result)
        return EXIT_OK
    print(f"key terms: {' '.join(result['terms'])}")
    for a in result["similar"]:
        mark = "  [near-duplicate]" if a["near_duplicate"] else ""
        print(f"{a['id']}  {a['published'] or '':<10}  {a['source'] or ''}  {a['title']}{mark}")
    if not result["similar"]:
        print("no similar articles", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    monitor = open_monitor(args)
    with monitor:
        doc = monitor.get_document(args.id)
    if doc is None:
        raise CLIError(f"no article with id {args.id!r}", EXIT_NOT_FOUND)
    if args.json:
        emit_json(doc.to_dict())
        return EXIT_OK
    print(doc.title)
    print(" | ".join(x for x in (doc.source, doc.published, doc.author, doc.url) if x))
    print()
    print(doc.text)
    for img in doc.images:
        print(f"\n[{img.get('credit', '')}] {img.get('caption', '')}")
    for layer in ("entities", "places", "dates"):
        spans = doc.layers.get(layer) or []
        if spans:
            print(f"\n{layer}:")
            for s in spans:
                extra = s.attrs.get("value") or s.attrs.get("name") or ""
                print(f"  {s.label:<6} {doc.text[s.start:s.end]}  [{s.start}:{s.end}] {extra}")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    monitor = open_monitor(args)
    with monitor:
        stats = monitor.stats()
        stats["db"] = str(monitor.location)
    if args.json:
        emit_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return EXIT_OK


def date_filters(args: argparse.Namespace) -> dict[str, str | None]:
    """The validated --since/--until of a listing command."""
    return {"since": args.since and validate_date(args.since),
            "until": args.until and validate_date(args.until)}


def emit_rows(args: argparse.Namespace, rows: list[dict[str, Any]], line: Any) -> int:
    """JSON Lines with --json, else one formatted line per row."""
    for r in rows:
        emit_json(r) if args.json else print(line(r))
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    with open_monitor(args) as monitor:
        rows = monitor.top_entities(type=args.type and args.type.upper(), limit=args.limit,
                                    **date_filters(args))
    return emit_rows(args, rows, lambda r: (
        f"{r['mentions']:>6}  {r['type']:<4} {r['canonical']}  ({r['latin']})  "
        f"{r['first_seen'] or ''}..{r['last_seen'] or ''}  id={r['id']}"))


def cmd_entity_correction(args: argparse.Namespace) -> int:
    """``rasid entity merge A B`` / ``rasid entity split ID ALIAS``."""
    if len(args.more) != 2:
        raise CLIError(f"usage: rasid entity {args.name} " +
                       ("KEEP DROP (ids or names)" if args.name == "merge" else "ID ALIAS"), EXIT_USAGE)
    with open_monitor(args) as monitor:
        try:
            if args.name == "merge":
                profile = monitor.merge_entities(args.more[0], args.more[1])
            else:
                profile = monitor.split_entity(args.more[0], args.more[1])
        except ValueError as exc:
            raise CLIError(str(exc), EXIT_NOT_FOUND if str(exc).startswith("no entity") else EXIT_USAGE)
    if args.json:
        emit_json(profile)
        return EXIT_OK
    done = "merged into" if args.name == "merge" else "split off as"
    print(f"{done} {profile['canonical']}  [{profile['type']}]  id={profile['id']}  "
          f"mentions {profile['mentions']}")
    print(f"  names: {' | '.join(s['text'] for s in profile['spellings'])}")
    return EXIT_OK


def cmd_entity(args: argparse.Namespace) -> int:
    if args.name in ("merge", "split") and args.more:
        return cmd_entity_correction(args)
    monitor = open_monitor(args)
    with monitor:
        kind = args.type and args.type.upper()
        profiles = monitor.entity_profiles(args.name, type=kind, limit=args.limit)
        suggestions = [] if profiles else monitor.entity_suggestions(args.name, type=kind)
    if not profiles:
        if args.json:
            emit_json([])
        hint = "; did you mean: " + ", ".join(
            f"{s['canonical']} ({s['latin']}, id={s['id']})" for s in suggestions) if suggestions else ""
        raise CLIError(f"no entity named {args.name!r} in the archive{hint}", EXIT_NOT_FOUND)
    if args.json:
        emit_json(profiles)
        return EXIT_OK
    for p in profiles:
        print(f"{p['canonical']}  [{p['type']}]  {p['latin']}  id={p['id']}")
        print(f"  mentions {p['mentions']}, seen {p['first_seen']} .. {p['last_seen']}")
        print("  names:")
        for n in p["spellings"]:
            print(f"    {n['text']}  {n['mentions']}x  {n['first_seen'] or ''}..{n['last_seen'] or ''}"
                  + (f"  ({n['why']})" if n["why"] else ""))
        if p["roles"]:
            print("  roles: " + ", ".join(f"{r['text']} ({r['mentions']}x, {r['first_seen'] or ''}.."
                                          f"{r['last_seen'] or ''})" for r in p["roles"]))
        if p["places"]:
            print("  places: " + ", ".join(f"{x['name']} ({x['articles']})" for x in p["places"]))
        if p["co_mentioned"]:
            print("  mentioned with: " + ", ".join(f"{x['canonical']} ({x['articles']})"
                                                   for x in p["co_mentioned"]))
        print("  over time: " + ", ".join(f"{t['date']}: {t['articles']}" for t in p["timeline"]))
        for a in p["articles"]:
            print(f"    {a['id']}  {a['published'] or '':<10}  {a['title']}")
    return EXIT_OK


def cmd_places(args: argparse.Namespace) -> int:
    with open_monitor(args) as monitor:
        rows = monitor.top_places(country=args.country, limit=args.limit, **date_filters(args))
    return emit_rows(args, rows, lambda r: (
        f"{r['mentions']:>6}  {r['name']} / {r['name_en']}  {r['country']}  "
        f"({r['lat']:.3f}, {r['lon']:.3f})  {r['feature']}  geonames={r['geonameid'] or '-'}"))


def cmd_place(args: argparse.Namespace) -> int:
    with open_monitor(args) as monitor:
        profiles = monitor.place_profiles(args.name, limit=args.limit)
    if not profiles:
        raise CLIError(f"no place named {args.name!r} in the archive", EXIT_NOT_FOUND)
    for p in profiles:
        if args.json:
            emit_json(p)
            continue
        pl = p["place"]
        print(f"{pl['name']} / {pl['name_en']}  {pl['country'] or ''}  {pl['feature']}  "
              f"({pl['lat']}, {pl['lon']})  id={pl['gazetteer_id']}")
        print(f"  mentions {pl['mentions']} in {pl['articles']} articles")
        if p["alternatives"]:
            print("  same name: " + ", ".join(f"{a['gazetteer_id']} ({a['articles']})" for a in p["alternatives"]))
        if p["neighbours"]:
            print("  nearby: " + ", ".join(f"{x['name']} {x['km']} km ({x['articles']})" for x in p["neighbours"]))
        if p["co_mentioned_places"]:
            print("  named with: " + ", ".join(f"{x['name']} ({x['articles']})" for x in p["co_mentioned_places"]))
        if p["entities"]:
            print("  entities: " + ", ".join(f"{x['canonical']} ({x['articles']})" for x in p["entities"]))
        print("  over time: " + ", ".join(f"{t['date']}: {t['articles']}" for t in p["timeline"]))
        for a in p["articles"]:
            print(f"    {a['id']}  {a['published'] or '':<10}  {a['title']}")
    return EXIT_OK


def cmd_start(args: argparse.Namespace) -> int:
    """The main job: ingest the bundled sample articles into the archive and report."""
    monitor = open_monitor(args)
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

    try:
        module = importlib.import_module(f"rasid.eval.{args.what}")
    except ModuleNotFoundError as exc:
        raise CLIError(f"no evaluation named {args.what!r}") from exc
    return module.main(args.rest)


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
    p.add_argument("--max-bytes", type=int, default=None, help="reject files larger than this (50 MB)")
    p.add_argument("--batch-size", type=int, default=200, help="articles per transaction")
    p.add_argument("--published", help="publication date (YYYY-MM-DD) for articles that carry none")
    p.add_argument("--source", help="source name for articles that carry none")
    add_flags(p, ("strict_stages",))
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("analyze", parents=[common], help="analyse one article file; JSON on stdout")
    p.add_argument("file", help="an article file (text, JSON Lines, HTML, ...) or - for stdin")
    p.add_argument("--published", help="publication date (YYYY-MM-DD) when the file carries none")
    p.add_argument("--no-sentences", action="store_true", help="leave the sentence layer out")
    add_flags(p, ("strict_stages",))
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("search", parents=[common], help="search the archive")
    p.add_argument("query", help='words (ranked; long queries need a share of them), '
                   '"quoted phrases", +word requires, -word excludes, entity:ID')
    p.add_argument("--since", help="published on or after YYYY-MM-DD")
    p.add_argument("--until", help="published on or before YYYY-MM-DD")
    p.add_argument("--source", help="only this source")
    p.add_argument("--limit", type=positive_int, default=10)
    p.add_argument("--trend", action="store_true",
                   help="first print matching articles per day (per hour over a short range)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("similar", parents=[common], help="articles most like one article")
    p.add_argument("id")
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("show", parents=[common], help="show one article")
    p.add_argument("id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", parents=[common], help="archive statistics")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("entities", parents=[common], help="top entities by mentions")
    p.add_argument("--type", help="PER, ORG, LOC or MISC")
    p.add_argument("--since", help="mentioned in articles published on or after YYYY-MM-DD")
    p.add_argument("--until", help="... on or before YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=20)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("entity", parents=[common],
                       help="one entity (any spelling, Arabic or Latin): names and why each was "
                            "linked, roles, places, timeline; 'entity merge KEEP DROP' and "
                            "'entity split ID ALIAS' correct the resolution")
    p.add_argument("name", help="a name; or merge / split followed by their arguments")
    p.add_argument("more", nargs="*", help="merge: KEEP DROP (ids or names); split: ID ALIAS")
    p.add_argument("--type", help="PER, ORG, LOC or MISC")
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(func=cmd_entity)

    p = sub.add_parser("places", parents=[common], help="places with coordinates and counts")
    p.add_argument("--country", help="ISO 3166 alpha-2 code, e.g. SY")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--limit", type=positive_int, default=50)
    p.set_defaults(func=cmd_places)

    p = sub.add_parser("place", parents=[common],
                       help="one place (Arabic or English name, or gazetteer id): articles over time, "
                            "entities, nearby places, other places of the same name")
    p.add_argument("name")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_place)

    p = sub.add_parser("start", parents=[common],
                       help="main job: ingest the bundled sample articles and serve the web UI")
    from .serve_cmds import add_start_arguments

    add_start_arguments(p)
    p.set_defaults(func=cmd_start)

    from .alerts_cmds import register as register_alerts
    from .events_cmds import register as register_events
    from .serve_cmds import register as register_serve

    from .stories_cmds import register as register_stories

    register_stories(sub, common)
    register_events(sub, common)
    register_alerts(sub, common)
    register_serve(sub, common)

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

    p = sub.add_parser("eval", help="quality evaluations (ner, dates, places, ...)")
    p.add_argument("what")
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
        print(f"rasid: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for name in SETTINGS:
        if hasattr(args, name):
            setattr(args, name, config[name])
    args.settings = config
    try:
        with use_settings(config):
            return args.func(args)
    except CLIError as exc:
        print(f"rasid: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("rasid: interrupted; everything committed so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
