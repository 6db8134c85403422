"""The event filters (`find_events` and the exports and groups that share them) as SQL
conditions, once for both engines: `EventSQL` says how each writes what the filters test."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple


class EventSQL(NamedTuple):
    """How an engine writes the parts of an event filter."""

    param: str  # the parameter mark
    field: Callable[[str], str]  # the value of a dotted attrs field (NULL when absent)
    start: Callable[[str], str]  # the start offset of the actor's or recipient's entity
    like: str  # substring match, ignoring case where the engine can
    is_in: Callable[[str, list], tuple[str, list]]  # column in values: SQL and its arguments
    false: Callable[[str], str]  # a boolean attrs field is false (absent or null: not)


def build_where(f: dict[str, Any], e: EventSQL) -> tuple[str, list]:
    """SQL conditions for event filters (see `sqlite_events.SqliteEventsMixin.find_events`)."""
    p, field = e.param, e.field
    sql, args = "", []

    def add(cond: str, *values: Any) -> None:
        nonlocal sql
        sql += f" AND {cond}"
        args.extend(values)

    def member(column: str, values: list) -> None:
        cond, values = e.is_in(column, values)
        add(cond, *values)

    def entity_at(starts: str, ids: list) -> tuple[str, list]:
        cond, values = e.is_in("m.entity_id", [int(i) for i in ids])
        return (f"EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = s.article_id AND m.start {starts} "
                f"AND {cond})", values)

    if f.get("type"):
        member("s.label", [t.strip().upper() for t in str(f["type"]).split(",") if t.strip()])
    if f.get("mode"):
        add(f"{field('mode')} = {p}", f["mode"])
    for role in ("actor", "recipient"):
        ids = f.get(f"{role}_ids") or []
        text = f.get(role)
        conds, cargs = [], []
        if ids:
            cond, values = entity_at(f"= {e.start(role)}", ids)
            conds.append(cond)
            cargs += values
        if text:
            conds.append(f"({field(role + '.text')} {e.like} {p} OR {field(role + '.entity')} {e.like} {p})")
            cargs += [f"%{text}%", f"%{text}%"]
        if conds:
            add(f"({' OR '.join(conds)})", *cargs)
    if f.get("entity_ids"):
        cond, values = entity_at(f"IN ({e.start('actor')}, {e.start('recipient')})", f["entity_ids"])
        add(cond, *values)
    if f.get("country"):
        add(f"{field('place.country')} = {p}", str(f["country"]).upper())
    if f.get("place"):
        add(f"({field('place.text')} {e.like} {p} OR {field('place.name')} {e.like} {p} "
            f"OR {field('place.name_en')} {e.like} {p})", *[f"%{f['place']}%"] * 3)
    if f.get("place_id"):
        add(f"{field('place.gazetteer_id')} = {p}", str(f["place_id"]))
    if f.get("since"):
        add(f"{field('when')} >= {p}", str(f["since"])[:10])
    if f.get("until"):
        add(f"{field('when')} <= {p}", str(f["until"])[:10])
    if not f.get("uncertain"):
        add(f"{e.false('negated')} AND {e.false('hypothetical')}")
    if f.get("article_ids"):
        member("s.article_id", [str(i) for i in f["article_ids"]])
    if f.get("group"):
        add(f"g.group_id = {p}", int(f["group"]))
    if f.get("located"):
        add(f"{field('place.lat')} IS NOT NULL")
    return sql, args
