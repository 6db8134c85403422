"""`rasid stories` and `rasid story ID`.

`register(subparsers, common)` adds them to the `rasid` parser (called by
``rasid.cli.main.build_parser``). Helpers come from `rasid.cli.main`, imported inside
functions (no import cycle).
"""
from __future__ import annotations

import argparse
from typing import Any


def _main():
    from . import main as cli_main

    return cli_main


def _open(args: argparse.Namespace):
    m = _main()
    return m.open_monitor(args, stages=("tokenize",))


def cmd_stories(args: argparse.Namespace) -> int:
    m = _main()
    since = args.since and m.validate_date(args.since, "--since")
    until = args.until and m.validate_date(args.until, "--until")
    with _open(args) as monitor:
        rows = monitor.list_stories(since=since, until=until, limit=args.limit,
                                    min_articles=args.min_articles)
    for r in rows:
        if args.json:
            m.emit_json(r)
        else:
            span = f"{(r['first_published'] or '')[:10]}..{(r['last_published'] or '')[:10]}"
            print(f"{r['id']:>6}  {r['article_count']:>4} art.  {span}  {r['title']}")
    if not rows and not args.json:
        print("no stories yet (stories are built as articles are ingested)")
    return m.EXIT_OK


def cmd_story(args: argparse.Namespace) -> int:
    m = _main()
    with _open(args) as monitor:
        story = monitor.get_story(args.id)
    if not story:
        raise m.CLIError(f"no story with id {args.id!r}", m.EXIT_NOT_FOUND)
    if args.json:
        m.emit_json(story)
        return m.EXIT_OK
    print(f"story {story['id']}: {story['title']}")
    print(f"  {story['article_count']} articles ({story['duplicates']} near-duplicates), "
          f"{story['first_published']} .. {story['last_published']}")
    if story["summary"]:
        print("  summary:")
        for s in story["summary"]:
            print(f"    - {s['text']}  [{s['doc_id']} {s['start']}:{s['end']}]")
    if story["keyphrases"]:
        print("  keyphrases: " + "، ".join(p["phrase"] for p in story["keyphrases"]))
    if story["entities"]:
        print("  entities: " + ", ".join(f"{e['canonical']} [{e['type']}] ({e['articles']})"
                                         for e in story["entities"]))
    if story["places"]:
        print("  places: " + ", ".join(f"{p['name']} ({p['articles']})" for p in story["places"]))
    print("  timeline: " + ", ".join(
        f"{t['date'] or 'undated'}: {t['articles']}" + (f" ({t['first_seen']} undated, first seen)" if t.get("first_seen") else "")
        for t in story["timeline"]))
    print("  articles:")
    for a in story["articles"]:
        dup = f"  (copy of {a['duplicate_of']})" if a["duplicate_of"] else ""
        when = (a["published"] or "")[:16]
        if a.get("time_basis") == "first_seen":
            when = f"{(a.get('story_time') or '')[:16]} (first seen, date unknown)"
        print(f"    {a['id']}  {when:<16}  {a['source'] or '':<12} {a['title']}{dup}")
    return m.EXIT_OK


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``stories`` and ``story`` to the `rasid` subcommands."""
    p = subparsers.add_parser("stories", parents=[common], help="stories, most recently active first")
    p.add_argument("--since", help="active on or after YYYY-MM-DD")
    p.add_argument("--until", help="started on or before YYYY-MM-DD")
    p.add_argument("--limit", type=_main().positive_int, default=20)
    p.add_argument("--min-articles", type=_main().positive_int, default=1, help="only stories with at least N articles")
    p.set_defaults(func=cmd_stories)

    p = subparsers.add_parser("story", parents=[common],
                              help="one story: summary, entities, places, timeline, articles")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_story)


def main(argv: list[str] | None = None) -> int:
    """``python -m rasid.cli.stories_cmds stories|story ...`` (before main.py registers them)."""
    m = _main()
    parser = argparse.ArgumentParser(prog="rasid")
    register(parser.add_subparsers(dest="command", required=True), m.build_common_parser())
    return m.run_command(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
