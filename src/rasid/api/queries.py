"""Read queries the API and web UI need beyond `Monitor`'s methods.

They use the SQLite store's tables directly when the store is SQLite (one query each) and
fall back to the generic `Store` interface otherwise. Every value reaches SQL as a bound
parameter; nothing from a request is ever formatted into SQL text.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

MAX_PAGE = 200


@contextlib.contextmanager
def locked_connection(store: Any) -> Iterator[Any]:
    """The store's sqlite3 connection under its lock, or None for other backends."""
    con = getattr(store, "con", None)
    if con is None or not hasattr(con, "execute") or type(store).__name__ != "SqliteStore":
        yield None
        return
    with getattr(store, "_lock", contextlib.nullcontext()):
        yield con


def list_articles(store: Any, limit: int = 20, offset: int = 0, source: str | None = None,
                  since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Newest first: ``{"total", "articles": [{id, title, source, published, url, excerpt}]}``.
    `since`/`until` are normalised ISO bounds (until exclusive)."""
    where, args = ["1=1"], []
    if source:
        where.append("source = ?")
        args.append(source)
    if since:
        where.append("published >= ?")
        args.append(since)
    if until:
        where.append("published < ?")
        args.append(until)
    with locked_connection(store) as con:
        if con is not None:
            cond = " AND ".join(where)
            total = con.execute(f"SELECT count(*) FROM articles WHERE {cond}", args).fetchone()[0]
            rows = con.execute(
                f"SELECT id, title, source, published, url, substr(text, 1, 240) FROM articles "
                f"WHERE {cond} ORDER BY coalesce(published, '') DESC, rowid DESC LIMIT ? OFFSET ?",
                [*args, limit, offset]).fetchall()
            return {"total": total, "articles": [
                {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "url": r[4],
                 "excerpt": r[5]} for r in rows]}
    docs = []
    for doc in store.iter_documents():
        if source and doc.source != source:
            continue
        if since and (doc.published or "") < since:
            continue
        if until and (not doc.published or doc.published >= until):
            continue
        docs.append(doc)
    docs.sort(key=lambda d: d.published or "", reverse=True)
    return {"total": len(docs), "articles": [
        {"id": d.id, "title": d.title, "source": d.source, "published": d.published, "url": d.url,
         "excerpt": d.text[:240]} for d in docs[offset:offset + limit]]}


def list_sources(store: Any) -> list[tuple[str, int]]:
    stats = store.stats()
    return [(s, n) for s, n in (stats.get("sources") or {}).items() if s]


def find_entity_spellings(store: Any, entity_id: int) -> list[dict[str, Any]]:
    """The spellings of an entity seen in the archive, with mention counts."""
    with locked_connection(store) as con:
        if con is not None:
            return [{"text": t, "mentions": n} for t, n in con.execute(
                "SELECT text, count(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text "
                "ORDER BY n DESC, text", (entity_id,))]
    return []


def get_entity_profile(store: Any, entity_id: int, limit: int = 20) -> dict[str, Any] | None:
    """One entity's profile plus the spellings seen in the archive (``spellings``)."""
    profile = store.entity_profile(entity_id, limit=limit)
    if profile:
        profile["spellings"] = find_entity_spellings(store, entity_id)
    return profile


def collect_article_layers(store: Any, ids: list[str]) -> dict[str, dict[str, list]]:
    """For each article id: ``entities`` [(entity_id, type, canonical)] and ``places``
    [(gazetteer_id, name, lat, lon)] (demonyms left out)."""
    out: dict[str, dict[str, list]] = {i: {"entities": [], "places": []} for i in ids}
    if not ids:
        return out
    with locked_connection(store) as con:
        if con is not None:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for aid, label, eid, canon, text in con.execute(
                        "SELECT s.article_id, s.label, json_extract(s.attrs, '$.entity_id'), "
                        "coalesce(e.canonical, json_extract(s.attrs, '$.canonical'), s.text), s.text "
                        "FROM spans s LEFT JOIN entities e ON e.id = json_extract(s.attrs, '$.entity_id') "
                        f"WHERE s.layer = 'entities' AND s.article_id IN ({marks})", chunk):
                    out[aid]["entities"].append((eid, label, canon or text))
                for aid, gid, name, lat, lon in con.execute(
                        "SELECT article_id, json_extract(attrs, '$.gazetteer_id'), "
                        "json_extract(attrs, '$.name'), json_extract(attrs, '$.lat'), "
                        "json_extract(attrs, '$.lon') FROM spans WHERE layer = 'places' AND "
                        f"json_extract(attrs, '$.relation') IS NULL AND article_id IN ({marks})", chunk):
                    if gid:
                        out[aid]["places"].append((gid, name, lat, lon))
            return out
    for aid in ids:
        doc = store.get_document(aid)
        if doc is None:
            continue
        for s in doc.layers.get("entities", []):
            out[aid]["entities"].append((s.attrs.get("entity_id"), s.label,
                                         s.attrs.get("canonical") or doc.text[s.start:s.end]))
        for s in doc.layers.get("places", []):
            if s.attrs.get("gazetteer_id") and not s.attrs.get("relation"):
                out[aid]["places"].append((s.attrs["gazetteer_id"], s.attrs.get("name"),
                                           s.attrs.get("lat"), s.attrs.get("lon")))
    return out
