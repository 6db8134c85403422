"""Reading the archive: `rasid search`, `similar`, `show`, `stats`, `entities`, `entity`,
`places` and `place`.

`register(subparsers, common)` adds them to the `rasid` parser (called by
``rasid.cli.main.build_parser``). Helpers come from `rasid.cli.main`, imported inside
functions (no import cycle).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import entity_type, iso_date, non_negative_int, positive_int


def _main():
    from . import main as cli_main

    return cli_main


def cmd_search(args: argparse.Namespace) -> int:
    from ..search.query import QueryError

    m = _main()
    filters = {"since": args.since, "until": args.until, "source": args.source}
    with m.open_monitor(args) as monitor:
        try:
            trend = monitor.search_trend(args.query, **filters) if args.trend else None
            page = monitor.search_page(args.query, limit=args.limit, offset=args.offset, **filters)
        except QueryError as exc:
            raise m.CLIError(f"bad query: {exc}") from exc
    hits, total = page["hits"], page["total"]
    expansions = getattr(hits, "expansions", [])
    shown_total = f"{total}+" if page["total_capped"] else str(total)
    if args.json:
        m.emit_json({"total": total, "total_capped": page["total_capped"], "offset": args.offset,
                     "trend": trend, "expansions": expansions,
                     "relaxed": getattr(hits, "relaxed", False),
                     "phrases_relaxed": getattr(hits, "phrases_relaxed", False)})
        for hit in hits:
            m.emit_json(hit.to_dict())
        return m.EXIT_OK
    if getattr(hits, "dropped", None):
        print(f"left out as too common: {' '.join(hits.dropped)}")
    if getattr(hits, "phrases_relaxed", False):
        print("no article has the quoted words as written: results without the quotes")
    if getattr(hits, "relaxed", False):
        print("results marked [partial] have only some of the words (below every article with all of them)")
    for e in expansions:
        print(f"also searched: {e['word']} -> {'، '.join(e['spellings'])}"
              + (f"  (entity:{e['entity_id']} {e['entity']})" if e.get("entity_id") else ""))
    if trend is not None:
        print_trend(trend)
    if hits:
        print(f"results {args.offset + 1}-{args.offset + len(hits)} of {shown_total}")
    for hit in hits:
        mark = "  [partial]" if hit.partial else ""
        print(f"{hit.id}  {hit.published or '':<10}  {hit.source or ''}  {hit.title}{mark}")
        print(f"    {hit.snippet}")
    if not hits:
        more = f" past result {args.offset} (of {shown_total})" if args.offset and total else ""
        print(f"no results{more}", file=sys.stderr)
    return m.EXIT_OK


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
    m = _main()
    with m.open_monitor(args) as monitor:
        result = monitor.similar_articles(args.id, limit=args.limit)
    if result is None:
        raise m.CLIError(f"no article with id {args.id!r}", m.EXIT_NOT_FOUND)
    if args.json:
        m.emit_json(result)
        return m.EXIT_OK
    print(f"key terms: {' '.join(result['terms'])}")
    for a in result["similar"]:
        mark = "  [near-duplicate]" if a["near_duplicate"] else ""
        print(f"{a['id']}  {a['published'] or '':<10}  {a['source'] or ''}  {a['title']}{mark}")
    if not result["similar"]:
        print("no similar articles", file=sys.stderr)
    return m.EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args) as monitor:
        doc = monitor.get_document(args.id)
    if doc is None:
        raise m.CLIError(f"no article with id {args.id!r}", m.EXIT_NOT_FOUND)
    if args.json:
        m.emit_json(doc.to_dict())
        return m.EXIT_OK
    print(doc.title)
    published = doc.published or "date unknown"
    print(" | ".join(x for x in (doc.source, published, doc.author, doc.url) if x))
    summary = sorted(doc.layers.get("summary") or [], key=lambda s: s.start)
    if summary:
        print("\nsummary:")
        for s in summary:
            print(f"  - {' '.join(doc.text[s.start:s.end].split())}  [{s.start}:{s.end}]")
    elif doc.summary:
        print(f"\nsummary:\n  {doc.summary}")
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
    return m.EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args) as monitor:
        stats = monitor.stats()
        stats["db"] = str(monitor.location)
    if args.json:
        m.emit_json(stats)
    else:
        print("\n".join(format_stats(stats)))
    return m.EXIT_OK


STATS_TITLES = {"articles": "articles", "published": "published", "sources": "articles per source",
                "entities": "entity mentions by type", "spans": "annotations by layer"}


def format_stats(stats: dict[str, Any]) -> list[str]:
    """`Monitor.stats()` as an aligned table: totals first, then one block per breakdown."""
    dates = stats.get("published") or {}
    span = (f"{(dates.get('min') or '')[:10]} .. {(dates.get('max') or '')[:10]}"
            if dates.get("min") else "no dated articles")
    lines = [f"{'archive':<24}{stats.get('db') or stats.get('path')}",
             f"{'articles':<24}{stats.get('articles', 0):>8}",
             f"{'published':<24}{span}"]
    for key, value in stats.items():
        if key in ("db", "path", "articles", "published") or isinstance(value, dict):
            continue
        lines.append(f"{key.replace('_', ' '):<24}{value}")
    for key in ("sources", "entities", "spans"):
        table = stats.get(key) or {}
        if not table:
            continue
        lines.append("")
        lines.append(f"{STATS_TITLES[key]} ({len(table)}):")
        width = max(len(str(k) or "(none)") for k in table)
        for name, count in table.items():
            lines.append(f"  {(str(name) or '(none)'):<{width}}  {count:>8}")
    return lines


def cmd_entities(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args) as monitor:
        rows = monitor.top_entities(type=args.type, limit=args.limit, since=args.since,
                                    until=args.until)
    return _main().emit_rows(args, rows, lambda r: (
        f"{r['articles']:>5} art. {r['mentions']:>6} ment.  {r['type']:<4} {r['canonical']}  ({r['latin']})  "
        f"{r['first_seen'] or ''}..{r['last_seen'] or ''}  id={r['id']}"))


def cmd_entity_correction(args: argparse.Namespace) -> int:
    """``rasid entity merge KEEP DROP`` / ``rasid entity split ID ALIAS``."""
    m = _main()
    if len(args.more) != 2:
        raise m.CLIError(f"usage: rasid entity {args.name} " +
                         ("KEEP DROP (ids or names)" if args.name == "merge" else "ID ALIAS"), m.EXIT_USAGE)
    with m.open_monitor(args) as monitor:
        try:
            if args.name == "merge":
                profile = monitor.merge_entities(args.more[0], args.more[1])
            else:
                profile = monitor.split_entity(args.more[0], args.more[1])
        except ValueError as exc:
            raise m.CLIError(str(exc), m.EXIT_NOT_FOUND if str(exc).startswith("no entity") else m.EXIT_USAGE)
    if args.json:
        m.emit_json(profile)
        return m.EXIT_OK
    done = "merged into" if args.name == "merge" else "split off as"
    print(f"{done} {profile['canonical']}  [{profile['type']}]  id={profile['id']}  "
          f"mentions {profile['mentions']}")
    print(f"  names: {' | '.join(s['text'] for s in profile['spellings'])}")
    return m.EXIT_OK


def over_time(timeline: list[dict[str, Any]]) -> str:
    """Articles per day, the undated ones as such."""
    return ", ".join(f"{t['date'] or 'undated'}: {t['articles']}" for t in timeline)


def cmd_entity(args: argparse.Namespace) -> int:
    if args.name in ("merge", "split") and args.more:
        return cmd_entity_correction(args)
    m = _main()
    with m.open_monitor(args) as monitor:
        profiles = monitor.entity_profiles(args.name, type=args.type, limit=args.limit)
        suggestions = [] if profiles else monitor.entity_suggestions(args.name, type=args.type)
    if not profiles:
        if args.json:
            m.emit_json([])
        hint = "; did you mean: " + ", ".join(
            f"{s['canonical']} ({s['latin']}, id={s['id']})" for s in suggestions) if suggestions else ""
        raise m.CLIError(f"no entity named {args.name!r} in the archive{hint}", m.EXIT_NOT_FOUND)
    if args.json:
        m.emit_json(profiles)
        return m.EXIT_OK
    for p in profiles:
        print(f"{p['canonical']}  [{p['type']}]  {p['latin']}  id={p['id']}")
        seen = f"{p['first_seen']} .. {p['last_seen']}" if p["first_seen"] else "in undated articles only"
        print(f"  mentions {p['mentions']}, seen {seen}")
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
        print("  over time: " + over_time(p["timeline"]))
        for a in p["articles"]:
            print(f"    {a['id']}  {a['published'] or '':<10}  {a['title']}")
    return m.EXIT_OK


def cmd_places(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args) as monitor:
        country = None
        if args.country is not None:
            found = monitor.find_country(args.country)
            if found is None:
                raise m.CLIError(f"--country: {args.country!r} is not a country; give its ISO 3166 "
                                 "code (FR), English name (France) or Arabic name (فرنسا)")
            country = found["country"]
        rows = monitor.top_places(country=country, limit=args.limit, since=args.since,
                                  until=args.until)
    return _main().emit_rows(args, rows, lambda r: (
        f"{r['mentions']:>6}  {r['name']} / {r['name_en']}  {r['country'] or '-'}  "
        f"({r['lat']:.3f}, {r['lon']:.3f})  {r['feature']}  geonames={r['geonameid'] or '-'}"))


def cmd_place(args: argparse.Namespace) -> int:
    m = _main()
    with m.open_monitor(args) as monitor:
        profiles = monitor.place_profiles(args.name, limit=args.limit)
    if not profiles:
        raise m.CLIError(f"no place named {args.name!r} in the archive", m.EXIT_NOT_FOUND)
    for p in profiles:
        if args.json:
            m.emit_json(p)
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
        print("  over time: " + over_time(p["timeline"]))
        if p["event_timeline"]:
            print("  events over time: " + ", ".join(
                f"{t['date'] or 'undated'}: " + " ".join(f"{k}×{n}" for k, n in t["types"].items())
                for t in p["event_timeline"]))
        for e in p["events"]:
            print(f"    event {e['id']}  {e.get('when') or (e.get('published') or '')[:10]:<10}  "
                  f"{e['type']}  {e.get('trigger') or ''}  [{e['article_id']}]")
        for a in p["articles"]:
            print(f"    {a['id']}  {a['published'] or '':<10}  {a['title']}")
    return m.EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the reading commands to the `rasid` subcommands."""
    p = sub.add_parser("search", parents=[common], help="search the archive")
    p.add_argument("query", help='words (ranked; long queries need a share of them), '
                   '"quoted phrases", +word requires, -word excludes, entity:ID')
    p.add_argument("--since", type=iso_date, help="published on or after YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="published on or before YYYY-MM-DD")
    p.add_argument("--source", help="only this source")
    p.add_argument("--limit", type=positive_int, default=10)
    p.add_argument("--offset", type=non_negative_int, default=0,
                   help="skip this many results (the next page: --offset 10)")
    p.add_argument("--trend", action="store_true",
                   help="first print matching articles per day (per hour over a short range)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("similar", parents=[common], help="articles most like one article")
    p.add_argument("id")
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("show", parents=[common], help="show one article with its summary")
    p.add_argument("id")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", parents=[common], help="archive statistics")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("entities", parents=[common], help="top entities by articles")
    p.add_argument("--type", type=entity_type, help="PER, ORG, LOC or MISC")
    p.add_argument("--since", type=iso_date, help="mentioned in articles published on or after YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="... on or before YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=20)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("entity", parents=[common],
                       help="one entity (any spelling, Arabic or Latin): names and why each was "
                            "linked, roles, places, timeline; 'entity merge KEEP DROP' and "
                            "'entity split ID ALIAS' correct the resolution")
    p.add_argument("name", help="a name; or merge / split followed by their arguments")
    p.add_argument("more", nargs="*", help="merge: KEEP DROP (ids or names); split: ID ALIAS")
    p.add_argument("--type", type=entity_type, help="PER, ORG, LOC or MISC")
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(func=cmd_entity)

    p = sub.add_parser("places", parents=[common], help="places with coordinates and counts")
    p.add_argument("--country", help="a country: ISO 3166 code (SY), English or Arabic name")
    p.add_argument("--since", type=iso_date, help="mentioned in articles published on or after YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, help="... on or before YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=50)
    p.set_defaults(func=cmd_places)

    p = sub.add_parser("place", parents=[common],
                       help="one place (Arabic or English name, or gazetteer id): articles over time, "
                            "entities, nearby places, other places of the same name")
    p.add_argument("name")
    p.add_argument("--limit", type=positive_int, default=10)
    p.set_defaults(func=cmd_place)
