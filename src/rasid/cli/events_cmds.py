"""`rasid events`: events across the archive, one happening's sources, exports.

`register(subparsers, common)` adds the command to the `rasid` parser. Helpers come from
`rasid.cli.main`, imported inside functions (no import cycle).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import non_negative_int, positive_int


def _main():
    from . import main as cli_main

    return cli_main


def filters_of(args: argparse.Namespace) -> dict[str, Any]:
    m = _main()
    return {"type": args.type, "mode": args.mode, "actor": args.actor, "recipient": args.recipient,
            "entity": args.entity, "country": args.country, "place": args.place,
            "since": args.since and m.validate_date(args.since, "--since"),
            "until": args.until and m.validate_date(args.until, "--until"), "uncertain": args.all}


def format_event(e: dict[str, Any]) -> str:
    def arg(a):
        return (a or {}).get("entity") or (a or {}).get("text") or "-"

    flags = "".join(f for f, on in (("!neg ", e.get("negated")), ("?hyp ", e.get("hypothetical"))) if on)
    place = (e.get("place") or {}).get("name") or (e.get("place") or {}).get("text") or "-"
    group = f"  group={e['group']} ({e['group_size']} reports)" if e.get("group") else ""
    return (f"{e['id']:>7}  {e.get('when') or '':<10}  {e['type']:<11} {e.get('mode') or '':<10} "
            f"{flags}«{e['trigger']}»  actor={arg(e.get('actor'))}  recipient={arg(e.get('recipient'))}  "
            f"place={place}  [{e.get('source') or ''}]{group}\n           {' '.join((e.get('sentence') or '').split())}")


def cmd_events(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args, stages=("tokenize",)) as monitor:
        try:
            if args.group is not None:
                group = monitor.event_group(args.group)
                if group is None:
                    raise m.CLIError(f"no event group {args.group}", m.EXIT_NOT_FOUND)
                if args.json:
                    m.emit_json(group)
                    return m.EXIT_OK
                print(f"group {group['group']}: {group['type']}  {', '.join(group['when'])}  "
                      f"{(group['place'] or {}).get('name') or ''}  {len(group['sources'])} reports")
                for c in group["conflicts"]:
                    print(f"  reports disagree on {c['field']}: {c['values']}")
                for s in group["sources"]:
                    print(f"  - [{s['source']}] {s['published'] or ''}  actor={s['actor'] or '-'}  "
                          f"toll={s['toll'] if s['toll'] is not None else '-'}  {s['url'] or s['article_id']}")
                    print(f"    {' '.join((s['sentence'] or '').split())}")
                return m.EXIT_OK
            if args.export:
                out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
                try:
                    n = monitor.export_events(args.export, out, **filters_of(args))
                finally:
                    if args.out:
                        out.close()
                print(f"{n} events written", file=sys.stderr)
                return m.EXIT_OK
            rows = monitor.events(limit=args.limit, offset=args.offset, **filters_of(args))
        except ValueError as exc:
            raise m.CLIError(str(exc)) from exc
    if not rows and not args.json:
        print("no events match", file=sys.stderr)
    return m.emit_rows(args, rows, format_event)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("events", parents=[common],
                       help="events (PLOVER) across the archive: who did what to whom, where, when")
    p.add_argument("--type", help="PLOVER type(s), comma-separated: ASSAULT,PROTEST")
    p.add_argument("--mode", help="PLOVER mode, e.g. aerial, explosive, firearms, demo")
    p.add_argument("--actor", help="actor name in any spelling (entity) or words of the actor phrase")
    p.add_argument("--recipient", help="recipient name or words")
    p.add_argument("--entity", help="an entity as actor or recipient (any spelling)")
    p.add_argument("--country", help="ISO 3166 alpha-2 code of the event's place, e.g. IQ")
    p.add_argument("--place", help="place name (Arabic or English)")
    p.add_argument("--since", help="events on or after YYYY-MM-DD")
    p.add_argument("--until", help="... on or before YYYY-MM-DD")
    p.add_argument("--all", action="store_true", help="also negated and hypothetical events")
    p.add_argument("--limit", type=positive_int, default=50)
    p.add_argument("--offset", type=non_negative_int, default=0)
    p.add_argument("--group", type=int, help="one happening across articles: its reports side by side")
    p.add_argument("--export", choices=["jsonl", "csv", "geojson"],
                   help="write every matching event (no limit), streamed")
    p.add_argument("--out", help="file for --export (default stdout)")
    p.set_defaults(func=cmd_events)
