"""Storing articles and feed state: the part of the archive interface both engines share
(the batch loop, the duplicate outcomes, the state table). Each store provides ``con``,
``_lock``, ``_PARAM``, ``_NOW`` (SQL for the current UTC time as ISO text), ``_atomic``,
``transaction``, ``_WRITE_ERRORS`` (what a failed insert of one article raises),
``analyzer``, ``_combine_index_forms(title_forms, body_forms)`` (the article's search index
in the engine's form, from `Analyzer.index_forms` of its title and body), ``_find_duplicate``
and ``_insert_article``. PostgreSQL writes a batch its own way first
(`PostgresStore._write_batch`) and falls back to `_insert_one_by_one`. Replacing an
article (`replace_document`) also uses ``_JSON_CAST``, ``_GREATEST``, ``_NEXT_ROWID`` (SQL
for the next article sequence number), ``_index_columns(forms)`` (what the article row
itself holds of the search index), ``_write_index(rowid, forms)`` and
``_delete_index(rowid, title, text)``.

What the store writes of a document's layers is `LayerRows`, computed from the document
alone by the pure `compute_layer_rows` (in the worker process that analysed it, with
`workers` > 1: `attach_layer_rows`, `take_layer_rows`), and the store remembers the layers
it wrote in the open transaction (`remembered_layers`) so that entity resolution, which
rewrites the entities layer of the batch it has just stored, does not read them back."""
from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..carried import carry, take_carried
from ..doc import RESERVED_SPAN_KEYS, Document, compute_content_hash
from ..ingest.urls import canonicalize_url
from ..search.analyzer import take_index_forms
from .base import UNINDEXED_LAYERS, DocOutcome, IngestReport, iter_batches

Prepared = list[tuple[Document, "dict[str, Any] | Exception"]]

#: the most articles whose written layers a transaction remembers (`remembered_layers`):
#: ten default ingest batches, some 25 KB each
REMEMBERED_ARTICLES = 2000

#: the most documents whose duplicate keys (canonical URL, content hash) a store keeps from
#: `find_duplicate` for their `_prepare` (`_keep_keys`): more than the documents in flight
#: between the two (the workers' window and a batch)
KEPT_KEYS = 2000

#: the name a document's `LayerRows` travel under from the worker process that analysed it
#: (`rasid.carried`; taken once, by the store that writes it: `take_layer_rows`)
LAYER_ROWS = "layer_rows"


@dataclass(slots=True)
class LayerRows:
    """What the store writes of a document's layers, computed from the document alone
    (`compute_layer_rows`, a pure function: with `workers` > 1 the worker that analysed the
    document runs it, so that the parent, the one writer, does not): each layer's JSON in
    the document's order (the article row's ``layers`` is their `join_layers`), the
    ``spans`` rows and the ``mentions`` rows."""

    layers: dict[str, str]
    spans: list[tuple]
    mentions: list[tuple]


def join_layers(layers: dict[str, str]) -> str:
    """The ``layers`` JSON of an article from each layer's JSON: byte for byte
    ``json.dumps({name: items, ...}, ensure_ascii=False)``."""
    return "{" + ", ".join(f"{encode_string(name)}: {items}"
                           for name, items in layers.items()) + "}"


#: `encode_json`'s C encoder, made once (``dumps`` makes an encoder per call when given an
#: option, and ``JSONEncoder.encode`` makes a C encoder per call); without the check for
#: circular references, which no value written here has
_ENCODER = json.encoder.c_make_encoder(
    None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)


def encode_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, byte for byte."""
    return "".join(_ENCODER(value, 0))


#: `encode_json` of a string
encode_string = json.encoder.encode_basestring


def compute_layer_rows(doc: Document) -> LayerRows:
    """`LayerRows` of `doc` (each layer's JSON, the ``spans`` and ``mentions`` rows)."""
    layers: dict[str, str] = {}
    spans, mentions = [], []
    for layer, items in doc.layers.items():
        if layer in UNINDEXED_LAYERS:
            layers[layer] = encode_json([s.to_dict(doc.text) for s in items])
            continue
        encoded = []
        for s in items:
            whole, attrs = encode_span(s, doc.text)
            text = doc.text[s.start:s.end]
            encoded.append(whole)
            spans.append((doc.id, layer, s.start, s.end, s.label, text, attrs))
            if layer == "entities" and s.attrs.get("entity_id"):
                mentions.append((doc.id, s.attrs["entity_id"], s.start, s.end, text, s.attrs.get("sentence")))
        layers[layer] = "[" + ", ".join(encoded) + "]"
    return LayerRows(layers, spans, mentions)


def encode_span(span: Any, text: str) -> tuple[str, str]:
    """``(JSON of span.to_dict(text), JSON of its attributes with its id)`` (`text`: the
    document's): byte for byte what ``json.dumps(..., ensure_ascii=False)`` writes of each,
    the attributes encoded once for both."""
    if not (type(span.start) is int and type(span.end) is int and type(span.label) is str
            and (span.id is None or type(span.id) is str)):  # anything else: the long way
        whole = span.to_dict(text)
        return encode_json(whole), encode_json({k: v for k, v in whole.items()
                                                if k not in ("start", "end", "label", "text")})
    if not RESERVED_SPAN_KEYS.isdisjoint(span.attrs):
        span.to_dict(text)  # raises the error that names the clashing attributes
    rest = encode_json(span.attrs)[1:] if span.attrs else "}"  # '"key": value, ...}'
    tail = ", " + rest if span.attrs else rest
    ident = "" if span.id is None else f'"id": {encode_string(span.id)}'
    whole = (f'{{{ident}{", " if ident else ""}"start": {span.start}, "end": {span.end}, '
             f'"label": {encode_string(span.label)}, "text": {encode_string(text[span.start:span.end])}{tail}')
    attrs = f"{{{ident}{tail}" if ident else "{" + rest
    return whole, attrs


def attach_layer_rows(doc: Document) -> Document:
    """Carry `doc`'s `LayerRows` with it (in the worker process that analysed it)."""
    carry(doc, LAYER_ROWS, compute_layer_rows(doc))
    return doc


def take_layer_rows(doc: Document) -> LayerRows:
    """The `LayerRows` `doc` carries, while they still describe it (`rasid.carried`), else
    computed now."""
    return take_carried(doc, LAYER_ROWS) or compute_layer_rows(doc)


def convert_failure(doc: Any, exc: BaseException) -> DocOutcome:
    """The ``failed`` outcome of a document, with the error as its reason."""
    return DocOutcome(getattr(doc, "id", None), "failed", f"{type(exc).__name__}: {exc}",
                      origin=getattr(doc, "origin", None))


class ArticleWritingMethods:
    _PARAM = "?"
    _WRITE_ERRORS: tuple[type[BaseException], ...] = (ValueError, KeyError, TypeError)

    def add_documents(self, docs: Iterable[Document], batch_size: int = 500) -> IngestReport:
        report = IngestReport()
        self.last_report = report
        for batch in iter_batches(docs, batch_size):
            self._write_batch(batch, report)
        return report

    def _prepare(self, doc: Document) -> dict[str, Any]:
        """The article row (all but the layers, which entity resolution still annotates)
        and its search-index forms."""
        if not isinstance(doc, Document):
            raise TypeError(f"expected a Document, got {type(doc).__name__}")
        if not isinstance(doc.text, str):
            raise TypeError("Document.text must be a string")
        return {
            "row": (doc.id, doc.url, *self._document_keys(doc), doc.title or "", doc.text, doc.source,
                    doc.author, doc.published, doc.summary,
                    json.dumps(doc.images, ensure_ascii=False),
                    json.dumps(doc.meta, ensure_ascii=False), doc.origin),
            # computed by the worker process that analysed it, when it was
            "index": self._combine_index_forms(*take_index_forms(self.analyzer, doc)),
        }

    def _document_keys(self, doc: Document) -> tuple[str | None, str]:
        """``(canonical URL, content hash)`` of `doc`: those `find_duplicate` kept for it
        (`_keep_keys`: taken once, while the document has the same id, URL and text), else
        computed now."""
        kept = self.__dict__.get("_kept_keys")
        got = kept.pop(doc.id, None) if kept else None
        if got is not None and got[0] == doc.url and got[1] == doc.text:
            return got[2], got[3]
        return canonicalize_url(doc.url) if doc.url else None, compute_content_hash(doc.text)

    def _keep_keys(self, doc: Document, keys: tuple[str | None, str]) -> None:
        """Keep `doc`'s keys for its `_prepare` (at most `KEPT_KEYS` documents, the oldest
        forgotten first): an ingest checks an article for duplicates before its analysis
        and stores it after, and the content hash normalises the whole text."""
        kept = self.__dict__.setdefault("_kept_keys", {})
        while len(kept) >= KEPT_KEYS:
            del kept[next(iter(kept))]
        kept[doc.id] = (doc.url, doc.text, *keys)

    def _index_forms(self, title: str, text: str) -> Any:
        """The search index of an article with this title and text, in the engine's form."""
        return self._combine_index_forms(self.analyzer.index_forms(title or ""),
                                         self.analyzer.index_forms(text))

    def _prepare_batch(self, batch: list[Document]) -> Prepared:
        """Every document prepared, or the error that stopped it (analysis: outside the
        write transaction)."""
        prepared: Prepared = []
        for doc in batch:
            try:
                prepared.append((doc, self._prepare(doc)))
            except Exception as exc:  # recorded, not raised: one bad document
                prepared.append((doc, exc))
        return prepared

    def _write_batch(self, batch: list[Document], report: IngestReport) -> None:
        """Store a batch: all its articles in one savepoint; when one fails, article by
        article, so that a bad document fails alone. (A savepoint per article cost more than
        the insert: SQLite journals the pages each one touches, and FTS5 writes its pending
        terms as a new index segment at every release.)"""
        prepared = self._prepare_batch(batch)
        with self.transaction():
            try:
                with self.transaction():  # a savepoint: an error falls back to one by one
                    outcomes = self._insert_one_by_one(prepared, alone=False)
            except self._WRITE_ERRORS:
                outcomes = self._insert_one_by_one(prepared)
        for outcome in outcomes:
            report.add(outcome)
        report.batches += 1

    def _insert_one_by_one(self, prepared: Prepared, alone: bool = True) -> list[DocOutcome]:
        """Each document's duplicate check and insert in turn, a savepoint each, so that a
        bad document fails alone; with `alone` false, inside the caller's savepoint and the
        first error raised."""
        outcomes = []
        for doc, prep in prepared:
            if isinstance(prep, Exception):
                outcomes.append(convert_failure(doc, prep))
                continue
            row = prep["row"]
            dup = self._find_duplicate(row[2], row[3], row[0])
            if dup:
                outcomes.append(DocOutcome(doc.id, "duplicate", dup[1], dup[0], doc.origin))
                continue
            try:
                with self.transaction() if alone else contextlib.nullcontext():  # a savepoint
                    self._insert_article(row, prep["index"], doc, prep.get("ingested_at"))
            except self._WRITE_ERRORS as exc:
                if not alone:
                    raise
                outcomes.append(convert_failure(doc, exc))
                continue
            outcomes.append(DocOutcome(doc.id, "stored", origin=doc.origin))
        return outcomes

    def _insert_layer_rows(self, rows: list[tuple[str, LayerRows]]) -> None:
        """Insert the ``spans`` and ``mentions`` rows of ``(article id, LayerRows)`` (one
        statement each) and remember the layers written (`remembered_layers`)."""
        p = self._PARAM
        spans = [r for _, layer_rows in rows for r in layer_rows.spans]
        mentions = [r for _, layer_rows in rows for r in layer_rows.mentions]
        if spans:
            self._executemany('INSERT INTO spans (article_id, layer, start, "end", label, text, '
                              f"attrs) VALUES ({', '.join([p] * 6)}, {p}{self._JSON_CAST})", spans)
        if mentions:
            self._executemany('INSERT INTO mentions (article_id, entity_id, start, "end", text, '
                              f"sentence) VALUES ({', '.join([p] * 6)})", mentions)
        self._remember_layers({article_id: layer_rows.layers for article_id, layer_rows in rows})

    # -- what the open transaction wrote of the articles' layers ----------------------------
    def remembered_layers(self) -> dict[str, dict[str, str]]:
        """The layers (each layer's JSON: `LayerRows.layers`) of the articles written in the
        open transaction, by id, so that `set_entity_mentions_many` need not read back what
        the batch has just stored. Forgotten when the outermost transaction begins and ends
        and on any rollback, a savepoint's included (`_forget_layers`, called by each
        engine's `transaction`): what it holds is always what the archive holds. Every
        statement that writes ``articles.layers`` updates it (insert, `replace_document`,
        `set_entity_mentions_many`); none deletes an article row. At most
        `REMEMBERED_ARTICLES` (a copy of a whole archive is one transaction): others are
        read back."""
        return self.__dict__.setdefault("_layers_written", {})

    def _remember_layers(self, layers: dict[str, dict[str, str]]) -> None:
        known = self.remembered_layers()
        for article_id, written in layers.items():
            if article_id in known or len(known) < REMEMBERED_ARTICLES:  # one held is kept true
                known[article_id] = written

    def _forget_layers(self) -> None:
        self.remembered_layers().clear()

    # -- a fuller version replaces a stored article -----------------------------------------
    def replace_document(self, doc: Document) -> DocOutcome:
        p = self._PARAM
        prep = self._prepare(doc)
        row = prep["row"]
        with self.transaction():
            old = self._row(f"SELECT rowid, title, text FROM articles WHERE id = {p}", (doc.id,))
            if old is None:
                raise KeyError(f"no stored article with id {doc.id!r} to replace")
            clash = self._row(f"SELECT id, CASE WHEN content_hash = {p} THEN 'content' ELSE 'url' "
                              f"END FROM articles WHERE (content_hash = {p} OR canonical_url = {p}) "
                              f"AND id != {p}", (row[3], row[3], row[2], doc.id))
            if clash:  # the new text or URL is another article's
                return DocOutcome(doc.id, "duplicate", clash[1], clash[0], doc.origin)
            self._delete_derived_rows(doc.id)
            self._delete_index(old[0], old[1], old[2])
            layer_rows = take_layer_rows(doc)
            extra_sql, extra_args = self._index_columns(prep["index"])
            new_rowid = self._row(
                f"UPDATE articles SET rowid = {self._NEXT_ROWID}, url = {p}, canonical_url = {p}, "
                f"content_hash = {p}, title = {p}, text = {p}, source = {p}, author = {p}, "
                f"published = {p}, summary = {p}, images = {p}, meta = {p}, origin = {p}, "
                f"layers = {p}{extra_sql} WHERE id = {p} RETURNING rowid",
                (*row[1:], join_layers(layer_rows.layers), *extra_args, doc.id))[0]
            self._write_index(new_rowid, prep["index"])
            self._insert_layer_rows([(doc.id, layer_rows)])
        return DocOutcome(doc.id, "updated", origin=doc.origin)

    def _delete_derived_rows(self, article_id: str) -> None:
        """Delete what the analysis and the archive steps derived from an article's text:
        its spans (event group memberships go with them), its mentions (taken off their
        entities' counts), its near-duplicate signature, bands and link. Its alerts, surge
        matches and story membership stay."""
        p, con = self._PARAM, self.con
        con.execute(f"UPDATE entities SET mention_count = {self._GREATEST}(0, mention_count - "
                    f"(SELECT count(*) FROM mentions m WHERE m.article_id = {p} AND "
                    f"m.entity_id = entities.id)) WHERE id IN (SELECT entity_id FROM mentions "
                    f"WHERE article_id = {p})", (article_id, article_id))
        for table in ("mentions", "spans", "neardup_bands", "neardup_signatures", "near_duplicates"):
            con.execute(f"DELETE FROM {table} WHERE article_id = {p}", (article_id,))

    # -- small helpers and state ----------------------------------------------------------
    @property
    def schema_version(self) -> int:
        with self._lock:
            return self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchall()

    def _row(self, sql: str, args: Iterable[Any] = ()) -> tuple | None:
        with self._lock:
            return self.con.execute(sql, tuple(args)).fetchone()

    def get_state(self, key: str, default: Any = None) -> Any:
        row = self._row(f"SELECT value FROM state WHERE key = {self._PARAM}", (key,))
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        p = self._PARAM
        with self._atomic():
            if value is None:
                self.con.execute(f"DELETE FROM state WHERE key = {p}", (key,))
                return
            self.con.execute(
                f"INSERT INTO state (key, value) VALUES ({p}, {p}) ON CONFLICT (key) DO UPDATE SET "
                f"value = excluded.value, updated_at = {self._NOW}",
                (key, json.dumps(value, ensure_ascii=False)))

    def close(self) -> None:
        with self._lock:
            if self.con is not None:
                self.con.close()
                self.con = None  # type: ignore[assignment]
