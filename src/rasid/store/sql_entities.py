"""Entity records, their matching keys and mentions: the part of the entity interface whose SQL is
the same on both engines but for the parameter mark (``_PARAM``) and the small hooks each
store provides: ``_in(column, values)`` (a membership test: ``IN (?, ...)`` on SQLite,
``= ANY(%s)`` on PostgreSQL), ``_chunks(values)`` (the values one such test may carry),
``_executemany(sql, rows)`` and ``_sync_ids(table)`` (after rows were inserted with
explicit ids: PostgreSQL moves the identity sequence past them). Both stores provide
``con``, ``_lock``, ``_rows``, ``_row`` and ``_atomic``.

The batch methods (`find_entity_keys`, `get_entities`, `latest_entity_id`,
`save_entities`, `set_entity_mentions_many`) let `rasid.entities.archive` resolve a whole batch of articles with a
handful of statements instead of several per entity (each one a network round trip on
PostgreSQL)."""
from __future__ import annotations

import json
from typing import Any, Iterable

from .base import EntityRecord
from .sql_writing import encode_json, join_layers

_COLUMNS = "id, canonical, type, latin, aliases, mention_count, first_seen, last_seen"


def convert_entity_row(row: tuple) -> EntityRecord:
    """An `EntityRecord` from an ``entities`` row read as ``_COLUMNS``."""
    return EntityRecord(row[0], row[1], row[2], row[3], set(json.loads(row[4])), row[5], row[6], row[7])


def make_date_clause(mark: str, since: str | None, until: str | None,
                     alias: str = "a") -> tuple[str, list]:
    """SQL (with `mark` as the parameter placeholder) keeping articles published in
    [since, until] (``until`` a day, inclusive), and its arguments."""
    sql, args = "", []
    if since:
        sql += f" AND {alias}.published >= {mark}"
        args.append(since)
    if until:
        sql += f" AND substr({alias}.published, 1, 10) <= {mark}"
        args.append(until[:10])
    return sql, args


def _values(record: EntityRecord) -> tuple:
    return (record.canonical, record.type, record.latin,
            encode_json(sorted(record.aliases)), record.mention_count,
            record.first_seen, record.last_seen)


class EntityRecordMethods:
    _PARAM = "?"
    #: what turns a text parameter into the type of ``spans.attrs`` (PostgreSQL: jsonb)
    _JSON_CAST = ""

    def find_entity_candidates(self, keys: Iterable[str]) -> list[EntityRecord]:
        out: dict[int, EntityRecord] = {}
        for chunk in self._chunks(sorted(set(keys))):
            cond, args = self._in("key", chunk)
            for row in self._rows(f"SELECT {_COLUMNS} FROM entities WHERE id IN "
                                  f"(SELECT entity_id FROM entity_keys WHERE {cond})", args):
                out[row[0]] = convert_entity_row(row)
        return [out[i] for i in sorted(out)]

    def find_entity_keys(self, keys: Iterable[str]) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for chunk in self._chunks(sorted(set(keys))):
            cond, args = self._in("key", chunk)
            for key, eid in self._rows(f"SELECT key, entity_id FROM entity_keys WHERE {cond}", args):
                out.setdefault(key, set()).add(eid)
        return out

    def get_entities(self, entity_ids: Iterable[int]) -> list[EntityRecord]:
        out: list[EntityRecord] = []
        for chunk in self._chunks(sorted({int(i) for i in entity_ids})):
            cond, args = self._in("id", chunk)
            out += [convert_entity_row(r) for r in self._rows(
                f"SELECT {_COLUMNS} FROM entities WHERE {cond} ORDER BY id", args)]
        return out

    def get_entity(self, entity_id: int) -> EntityRecord | None:
        row = self._row(f"SELECT {_COLUMNS} FROM entities WHERE id = {self._PARAM}", (entity_id,))
        return convert_entity_row(row) if row else None

    def latest_entity_id(self) -> int:
        return self._row("SELECT coalesce(max(id), 0) FROM entities")[0]

    def add_entity(self, record: EntityRecord, keys: Iterable[str]) -> EntityRecord:
        with self._atomic():
            record.id = self._row(
                "INSERT INTO entities (canonical, type, latin, aliases, mention_count, first_seen, "
                f"last_seen) VALUES ({', '.join([self._PARAM] * 7)}) RETURNING id", _values(record))[0]
            self._add_keys([(k, record.id) for k in sorted(set(keys))])
        return record

    def update_entity(self, record: EntityRecord, keys: Iterable[str]) -> None:
        p = self._PARAM
        with self._atomic():
            self.con.execute(
                f"UPDATE entities SET canonical = {p}, type = {p}, latin = {p}, aliases = {p}, "
                f"mention_count = {p}, first_seen = {p}, last_seen = {p} WHERE id = {p}",
                (*_values(record), record.id))
            self._add_keys([(k, record.id) for k in sorted(set(keys))])

    def save_entities(self, records: list[EntityRecord], keys: dict[int, Iterable[str]]) -> None:
        if not records and not keys:
            return
        p = self._PARAM
        with self._atomic():
            if records:
                self._executemany(
                    "INSERT INTO entities (id, canonical, type, latin, aliases, mention_count, "
                    f"first_seen, last_seen) VALUES ({', '.join([p] * 8)}) ON CONFLICT (id) DO "
                    "UPDATE SET canonical = excluded.canonical, type = excluded.type, "
                    "latin = excluded.latin, aliases = excluded.aliases, "
                    "mention_count = excluded.mention_count, first_seen = excluded.first_seen, "
                    "last_seen = excluded.last_seen",
                    [(r.id, *_values(r)) for r in sorted(records, key=lambda r: r.id)])
                self._sync_ids("entities")
            self._add_keys([(k, eid) for eid in sorted(keys) for k in sorted(set(keys[eid]))])

    def _add_keys(self, rows: list[tuple[str, int]]) -> None:
        if rows:
            self._executemany("INSERT INTO entity_keys (key, entity_id) VALUES "
                              f"({self._PARAM}, {self._PARAM}) ON CONFLICT DO NOTHING", rows)

    def set_entity_mentions(self, article_id: str, spans: list[dict[str, Any]]) -> None:
        self.set_entity_mentions_many({article_id: spans})

    def set_entity_mentions_many(self, spans: dict[str, list[dict[str, Any]]]) -> None:
        if not spans:
            return
        p = self._PARAM
        with self._atomic():
            stored = self._read_layers(list(spans))
            rowids = self._find_entity_span_rowids(list(spans))
            layer_rows, span_rows, mention_rows, new_rows = [], [], [], []
            for article_id, items in spans.items():
                if article_id not in stored:
                    raise KeyError(f"no article {article_id!r}")
                layers = stored[article_id]
                layer = json.loads(layers.setdefault("entities", "[]"))
                by_offsets = {(s["start"], s["end"]): s for s in items}
                for item in layer:
                    found = by_offsets.pop((item["start"], item["end"]), None)
                    if found is not None:
                        item.update(found["attrs"])
                # spans the archive step added (an office learnt from the archive) join the layer
                added = [s for s in by_offsets.values() if s.get("label") and not any(
                    x["start"] < s["end"] and s["start"] < x["end"] for x in layer)]
                if added:
                    # with its text, like every span of a stored layer (Span.to_dict)
                    layer += [{"start": s["start"], "end": s["end"], "label": s["label"],
                               **({"text": s["text"]} if s.get("text") else {}), **s["attrs"]} for s in added]
                    layer.sort(key=lambda x: (x["start"], x["end"]))
                    new_rows += [(article_id, s["start"], s["end"], s["label"], s.get("text") or "",
                                  encode_json(s["attrs"])) for s in added]
                layers["entities"] = encode_json(layer)
                layer_rows.append((join_layers(layers), article_id))
                span_rows += [(encode_json(s["attrs"]), rowid) for s in items
                              for rowid in rowids.get((article_id, s["start"], s["end"]), ())]
                mention_rows += [(article_id, s["attrs"]["entity_id"], s["start"], s["end"],
                                  s.get("text") or "", s["attrs"].get("sentence"))
                                 for s in items if s["attrs"].get("entity_id")]
            self._executemany(f"UPDATE articles SET layers = {p} WHERE id = {p}", layer_rows)
            if span_rows:
                self._executemany(f"UPDATE spans SET attrs = {p}{self._JSON_CAST} WHERE rowid = {p}",
                                  span_rows)
            if new_rows:
                self._executemany('INSERT INTO spans (article_id, layer, start, "end", label, text, '
                                  f"attrs) VALUES ({p}, 'entities', {p}, {p}, {p}, {p}, {p}{self._JSON_CAST})",
                                  new_rows)
            for chunk in self._chunks(list(spans)):
                cond, args = self._in("article_id", chunk)
                self.con.execute(f"DELETE FROM mentions WHERE {cond}", args)
            if mention_rows:
                self._executemany('INSERT INTO mentions (article_id, entity_id, start, "end", text, '
                                  f"sentence) VALUES ({', '.join([p] * 6)})", mention_rows)
            self._remember_layers({aid: stored[aid] for aid in spans})

    def _find_entity_span_rowids(self, ids: list[str]) -> dict[tuple[str, int, int], list[int]]:
        """``{(article id, start, end): [rowid, ...]}`` of the stored entity spans of the
        articles `ids` (one read per chunk), so that each span's update finds its row by rowid
        instead of walking every entity span of its article."""
        out: dict[tuple[str, int, int], list[int]] = {}
        for chunk in self._chunks(ids):
            cond, args = self._in("article_id", chunk)
            for rowid, aid, start, end in self._rows(
                    f'SELECT rowid, article_id, start, "end" FROM spans WHERE {cond} AND '
                    "layer = 'entities'", args):
                out.setdefault((aid, start, end), []).append(rowid)
        return out

    def _read_layers(self, ids: list[str]) -> dict[str, dict[str, str]]:
        """Each stored article's layers, each layer's JSON (`join_layers`): those this
        transaction wrote from the store's memory of them (`remembered_layers`), the others
        read back."""
        known = self.remembered_layers()
        out = {i: dict(known[i]) for i in ids if i in known}
        for chunk in self._chunks([i for i in ids if i not in known]):
            cond, args = self._in("id", chunk)
            for aid, text in self._rows(f"SELECT id, layers FROM articles WHERE {cond}", args):
                out[aid] = {name: encode_json(items)
                            for name, items in json.loads(text).items()}
        return out

    def count_entity_mentions(self, entity_ids: list[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in self._chunks([int(i) for i in entity_ids]):
            cond, args = self._in("id", chunk)
            out.update(self._rows(f"SELECT id, mention_count FROM entities WHERE {cond}", args))
        return out

    def count_article_mentions(self, article_id: str) -> dict[int, int]:
        return dict(self._rows("SELECT entity_id, count(*) FROM mentions WHERE article_id = "
                               f"{self._PARAM} GROUP BY entity_id", (article_id,)))

    def top_entities(self, type=None, since=None, until=None, limit=20):
        """Entities by the number of articles that mention them (then by mentions, so that
        one long article cannot lead the list); with a date range, in articles published in it."""
        where, args = "", []
        if type:
            where += f" AND e.type = {self._PARAM}"
            args.append(type)
        dsql, dargs = make_date_clause(self._PARAM, since, until)
        dated = " JOIN articles a ON a.id = m.article_id" if dsql else ""
        columns = ", ".join("e." + c.strip() for c in _COLUMNS.split(","))
        with self._lock:
            rows = self.con.execute(
                f"SELECT {columns}, count(*) AS n, count(DISTINCT m.article_id) AS na "
                f"FROM mentions m JOIN entities e ON e.id = m.entity_id{dated} WHERE 1=1 {where}{dsql} "
                f"GROUP BY e.id ORDER BY na DESC, n DESC, e.id LIMIT {self._PARAM}",
                [*args, *dargs, limit]).fetchall()
        out = []
        for row in rows:
            d = convert_entity_row(row[:8]).to_dict()
            d["mentions"], d["articles"] = row[8], row[9]
            out.append(d)
        return out

    def entity_spellings(self, entity_id: int) -> list[dict[str, Any]]:
        return [{"text": t, "mentions": n, "first_seen": f, "last_seen": l} for t, n, f, l in self._rows(
            "SELECT m.text, count(*) AS n, min(substr(a.published, 1, 10)), "
            "max(substr(a.published, 1, 10)) FROM mentions m JOIN articles a ON a.id = m.article_id "
            f"WHERE m.entity_id = {self._PARAM} GROUP BY m.text ORDER BY n DESC, m.text{self._BYTEWISE}",
            (entity_id,))]
