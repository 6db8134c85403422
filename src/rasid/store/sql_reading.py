"""Reading articles back (documents, listings, the alert engine's sequence reads): the part
of the archive interface whose SQL is the same on both engines but for the parameter mark
(``?`` for SQLite, ``%s`` for psycopg), which each store names in ``_PARAM``, and the hooks
``_in``, ``_chunks`` (`sql_entities`) and ``_BYTEWISE`` (`sql_alerts`). Both stores provide
``con``, ``_lock``, ``_row``, ``_rows``, ``_find_duplicate``, ``_document_keys``,
``_keep_keys`` (`sql_writing`), ``schema_version``,
``analyzer`` and ``location``."""
from __future__ import annotations

import json
from typing import Any, Iterator

from ..doc import Document

_COLUMNS = ("id, url, title, text, source, author, published, summary, images, meta, "
            "origin, layers")


def convert_row_to_document(row: tuple) -> Document:
    """A `Document` from an ``articles`` row read as ``_COLUMNS``."""
    (id, url, title, text, source, author, published, summary, images, meta, origin,
     layers) = row
    return Document.from_dict({
        "id": id, "url": url, "title": title, "text": text, "source": source,
        "author": author, "published": published, "summary": summary,
        "images": json.loads(images), "meta": json.loads(meta), "origin": origin,
        "layers": json.loads(layers),
    })


class ArticleReadingMethods:
    _PARAM = "?"

    def get_document(self, id: str) -> Document | None:
        with self._lock:
            row = self.con.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = {self._PARAM}",
                                   (id,)).fetchone()
        return convert_row_to_document(row) if row else None

    def count_documents(self) -> int:
        with self._lock:
            return self.con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def iter_documents(self, batch_size: int = 500) -> Iterator[Document]:
        last, p = 0, self._PARAM
        while True:
            with self._lock:
                rows = self.con.execute(
                    f"SELECT rowid, {_COLUMNS} FROM articles WHERE rowid > {p} "
                    f"ORDER BY rowid LIMIT {p}", (last, batch_size)).fetchall()
            if not rows:
                return
            for row in rows:
                yield convert_row_to_document(row[1:])
            last = rows[-1][0]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            con = self.con
            n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            sources = dict(con.execute("SELECT coalesce(source, ''), count(*) FROM articles "
                                       "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall())
            lo, hi = con.execute("SELECT min(published), max(published) FROM articles "
                                 "WHERE published IS NOT NULL AND published != ''").fetchone()
            spans = dict(con.execute("SELECT layer, count(*) FROM spans GROUP BY layer "
                                     "ORDER BY layer").fetchall())
            entities = dict(con.execute("SELECT label, count(*) FROM spans WHERE layer = 'entities' "
                                        "GROUP BY label ORDER BY 2 DESC, 1").fetchall())
        return {"articles": n, "sources": sources, "published": {"min": lo, "max": hi},
                "spans": spans, "entities": entities, "schema_version": self.schema_version,
                "analyzer": self.analyzer.signature, "path": self.location}

    def has_article(self, article_id: str) -> bool:
        return self._row(f"SELECT 1 FROM articles WHERE id = {self._PARAM}", (article_id,)) is not None

    def find_stored_articles(self, article_ids: list[str]) -> set[str]:
        out: set[str] = set()
        for chunk in self._chunks(article_ids):
            cond, args = self._in("id", chunk)
            out.update(r[0] for r in self._rows(f"SELECT id FROM articles WHERE {cond}", args))
        return out

    def list_articles_after(self, seq: int, limit: int = 200) -> list[dict[str, Any]]:
        p = self._PARAM
        return [{"seq": r[0], "id": r[1], "published": r[2], "ingested_at": r[3]}
                for r in self._rows("SELECT rowid, id, published, ingested_at FROM articles "
                                    f"WHERE rowid > {p} ORDER BY rowid LIMIT {p}", (seq, limit))]

    def latest_article_seq(self) -> int:
        return self._row("SELECT coalesce(max(rowid), 0) FROM articles")[0]

    def list_articles(self, limit: int = 20, offset: int = 0, source: str | None = None,
                      since: str | None = None, until: str | None = None) -> dict[str, Any]:
        p, where, args = self._PARAM, ["1=1"], []
        if source:
            where.append(f"source = {p}")
            args.append(source)
        if since:
            where.append(f"published >= {p}")
            args.append(since)
        if until:
            where.append(f"published < {p}")
            args.append(until)
        cond = " AND ".join(where)
        with self._lock:
            total = self.con.execute(f"SELECT count(*) FROM articles WHERE {cond}", args).fetchone()[0]
            rows = self.con.execute(
                f"SELECT id, title, source, published, url, substr(text, 1, 240) FROM articles "
                f"WHERE {cond} ORDER BY coalesce(published, ''){self._BYTEWISE} DESC, rowid DESC "
                f"LIMIT {p} OFFSET {p}", [*args, limit, offset]).fetchall()
        return {"total": total, "articles": [
            {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "url": r[4],
             "excerpt": r[5]} for r in rows]}

    def get_texts(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in self._chunks(ids):
            cond, args = self._in("id", chunk)
            out.update(self._rows(f"SELECT id, text FROM articles WHERE {cond}", args))
        return out

    def find_duplicate(self, doc: Document) -> tuple[str, str] | None:
        keys = self._document_keys(doc)
        found = self._find_by_keys(doc, keys)
        if found is None:  # it is about to be analysed and stored: `_prepare` takes the keys
            self._keep_keys(doc, keys)
        return found

    def has_document(self, doc: Document) -> bool:
        return self._find_by_keys(doc, self._document_keys(doc)) is not None

    def _find_by_keys(self, doc: Document, keys: tuple[str | None, str]) -> tuple[str, str] | None:
        with self._lock:
            found = self._find_duplicate(*keys, doc.id)
        return (found[0], found[1]) if found else None
