"""`rasid watch add|list|remove`, `rasid alerts` and `rasid monitor FEED_URL...`.

`register(subparsers, common)` adds them to the `rasid` parser (called by
``rasid.cli.main.build_parser``). ``python -m rasid.cli.alerts_cmds ...`` runs them on
their own. Helpers come from `rasid.cli.main`, imported inside functions (no import cycle).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence


def _main():
    from . import main as cli_main

    return cli_main


def _open(args: argparse.Namespace, stages: Sequence[str] | None = None):
    return _main().open_monitor(args, stages)


# -- watch ------------------------------------------------------------------------------------
def cmd_watch_add(args: argparse.Namespace) -> int:
    from ..monitor import WatchError

    m = _main()
    with _open(args) as monitor:
        try:
            watch = monitor.add_watch(name=args.name, entity=args.entity, query=args.query,
                                      place=args.place, surge=args.surge, webhook=args.webhook,
                                      event=args.event)
        except WatchError as exc:
            raise m.CLIError(str(exc)) from exc
    if args.json:
        m.emit_json(watch.to_dict())
    else:
        print(f"watch {watch.id} added: {watch.name}  [{'; '.join(watch.criteria())}]")
        if watch.entity and not watch.entity.get("ids"):
            print(f"  note: {watch.entity['name']!r} is not in the archive yet; it will match "
                  "when articles mention it")
    return m.EXIT_OK


def cmd_watch_list(args: argparse.Namespace) -> int:
    m = _main()
    with _open(args) as monitor:
        watches = monitor.list_watches()
        counts = monitor.count_alerts_by_watch()
    for w in watches:
        if args.json:
            m.emit_json(dict(w.to_dict(), alerts=counts.get(w.id, 0)))
        else:
            state = "" if w.active else " (inactive)"
            hook = f"  webhook {w.webhook}" if w.webhook else ""
            print(f"{w.id:>4}  {w.name}{state}  [{'; '.join(w.criteria())}]  "
                  f"alerts {counts.get(w.id, 0)}{hook}")
    if not watches and not args.json:
        print("no watches; add one with: rasid watch add --entity NAME | --query Q | --place P | --event 'ASSAULT in IQ'")
    return m.EXIT_OK


def cmd_watch_remove(args: argparse.Namespace) -> int:
    m = _main()
    with _open(args) as monitor:
        removed = [i for i in args.ids if monitor.remove_watch(i)]
    missing = [i for i in args.ids if i not in removed]
    if args.json:
        m.emit_json({"removed": removed, "missing": missing})
    else:
        for i in removed:
            print(f"watch {i} removed (with its alerts)")
    for i in missing:
        print(f"rasid: no watch {i}", file=sys.stderr)
    return m.EXIT_NOT_FOUND if missing else m.EXIT_OK


# -- alerts -------------------------------------------------------------------------------------
def mark_reason(entry: dict[str, Any], markers: tuple[str, str] = ("[", "]")) -> str:
    """The reason's sentence with the match marked (offsets from the reason entry)."""
    sent = entry.get("sentence_text") or ""
    a = entry["start"] - (entry.get("sentence_start") or 0)
    b = entry["end"] - (entry.get("sentence_start") or 0)
    if not (0 <= a <= b <= len(sent)):
        return sent
    return (sent[:a] + markers[0] + sent[a:b] + markers[1] + sent[b:]).replace("\n", " ")


def format_alert(alert: dict[str, Any]) -> str:
    head = (f"#{alert['id']} [{alert['watch_name']}] {alert['kind']} {alert['event_time'] or ''}  "
            f"{alert['title'] or alert['article_id']}")
    if alert.get("url"):
        head += f"  <{alert['url']}>"
    lines = [head]
    reason = alert.get("reason") or {}
    surge = reason.get("surge")
    if surge:
        lines.append(f"  surge: {surge['count']} articles between {surge['since']} and "
                     f"{surge['until']} (threshold {surge['threshold']})")
    seen: set[tuple] = set()
    for entry in reason.get("matches", [])[:6]:
        key = (entry.get("kind"), entry.get("start"), entry.get("field"))
        if key in seen:
            continue
        seen.add(key)
        where = "title" if entry.get("field") == "title" else f"sentence {entry.get('sentence_index')}"
        lines.append(f"  {entry['kind']} «{entry['text']}» @{entry['start']}-{entry['end']} "
                     f"({where}): {mark_reason(entry)}")
    return "\n".join(lines)


def cmd_alerts(args: argparse.Namespace) -> int:
    m = _main()
    with _open(args) as monitor:
        alerts = monitor.list_alerts(watch_id=args.watch, since_id=args.since_id, limit=args.limit)
    for alert in alerts:
        if args.json:
            m.emit_json(alert)
        else:
            print(format_alert(alert))
    if not alerts and not args.json:
        print("no alerts")
    return m.EXIT_OK


# -- monitor ------------------------------------------------------------------------------------
def cmd_monitor(args: argparse.Namespace) -> int:
    from ..alerts.monitor_loop import run_monitor
    from ..stages import DEFAULT_STAGES

    m = _main()
    for url in args.feeds:
        if not url.startswith(("http://", "https://")):
            scheme = url.partition("://")[0] + "://" if "://" in url else None
            what = f"unsupported URL scheme {scheme!r}" if scheme else "not a URL"
            raise m.CLIError(f"{url}: {what}; rasid monitor polls feed URLs (http:// or https://)")
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip()) if args.stages else DEFAULT_STAGES
    out = sys.stderr if args.json else sys.stdout

    def on_event(message: str) -> None:
        print(message, file=out, flush=True)

    with _open(args, stages) as monitor:
        try:
            monitor.pipeline  # build it now: a bad --stages is a usage error, not a crash later
        except ValueError as exc:
            raise m.CLIError(f"--stages: {exc}") from exc
        totals = run_monitor(monitor, args.feeds, interval_s=args.monitor_interval, once=args.once,
                             max_cycles=args.max_cycles, on_event=on_event)
    if args.json:
        m.emit_json(totals)
    return EXIT_SIGNAL.get(totals.get("signal"), m.EXIT_OK)


#: exit code of a monitor stopped by a signal: Ctrl-C (SIGINT) is an interruption, 130 as
#: a shell reports it; SIGTERM is how a service manager stops it, a clean stop (0)
EXIT_SIGNAL = {"SIGINT": 130}


# -- parser -------------------------------------------------------------------------------------
def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``watch``, ``alerts`` and ``monitor`` to the `rasid` subcommands."""
    from ..settings import add_flags
    from .options import positive_int

    p = subparsers.add_parser("watch", help="watches: entities, queries, places to alert on")
    wsub = p.add_subparsers(dest="watch_command", required=True)
    w = wsub.add_parser("add", parents=[common], help="add a watch (all given criteria must match)")
    w.add_argument("--name", help="a label (default: the criteria)")
    w.add_argument("--entity", help="a person/organisation/place name, any spelling (أولاند, Hollande)")
    w.add_argument("--query", help='search syntax: words, "phrases", -excluded')
    w.add_argument("--place", help="a place name (باريس, فرنسا) or ISO2 country code (FR)")
    w.add_argument("--event", metavar="'TYPE in PLACE'",
                   help="an event type, optionally in a place or ISO2 country: 'ASSAULT in IQ'")
    w.add_argument("--surge", metavar="N/WINDOW",
                   help="alert once when N matching articles arrive within WINDOW, e.g. 5/24h, 3/6h")
    w.add_argument("--webhook", metavar="URL", help="POST each alert as JSON to this URL")
    w.set_defaults(func=cmd_watch_add)
    w = wsub.add_parser("list", parents=[common], help="list watches")
    w.set_defaults(func=cmd_watch_list)
    w = wsub.add_parser("remove", parents=[common], help="remove watches (and their alerts)")
    w.add_argument("ids", nargs="+", type=int, metavar="ID")
    w.set_defaults(func=cmd_watch_remove)

    p = subparsers.add_parser("alerts", parents=[common], help="alerts raised by the watches")
    p.add_argument("--watch", type=int, metavar="ID", help="only this watch")
    p.add_argument("--since-id", type=int, metavar="N", help="only alerts after id N (oldest first)")
    p.add_argument("--limit", type=positive_int, default=50)
    p.set_defaults(func=cmd_alerts)

    p = subparsers.add_parser("monitor", parents=[common],
                              help="poll feeds on an interval: ingest, analyse, alert (Ctrl-C stops)")
    p.add_argument("feeds", nargs="+", metavar="FEED_URL")
    add_flags(p, ("monitor_interval", "webhook_attempts", "webhook_backoff", "webhook_timeout"),
              aliases={"monitor_interval": ("--interval",)})
    p.add_argument("--once", action="store_true", help="one cycle, then exit")
    p.add_argument("--max-cycles", type=positive_int, default=None, help="stop after this many cycles")
    p.add_argument("--stages", default=None,
                   help="comma-separated pipeline stages (default: all), e.g. tokenize,ner,resolve")
    p.set_defaults(func=cmd_monitor)


def build_parser() -> argparse.ArgumentParser:
    """A parser with only these commands (for ``python -m rasid.cli.alerts_cmds``)."""
    parser = argparse.ArgumentParser(prog="rasid", description="rasid watches, alerts and monitor")
    register(parser.add_subparsers(dest="command", required=True), _main().build_common_parser())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return _main().run_command(build_parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
