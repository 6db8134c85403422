"""Monitor's ingest methods (a mixin of `rasid.monitor.Monitor`): read, check, analyse
(in worker processes when ``workers`` > 1) and store in per-batch transactions with the archive
steps; store what was analysed elsewhere (imports, batch tables); repair; the bundled sample."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .doc import Document

if TYPE_CHECKING:
    from .ingest import Rejection


@dataclass
class IngestSummary:
    """What happened to every record of one ingest run."""

    read: int = 0
    stored: int = 0
    #: fuller versions that replaced a stored article (`rasid.ingest.updates`)
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    #: URLs that could not be fetched (no record read from them; not counted in `read`)
    unreachable: list[Rejection] = field(default_factory=list)
    #: feeds fetched and polled (a re-poll with nothing new reads 0 records, yet succeeds)
    feeds_polled: int = 0
    words: int = 0
    seconds: float = 0.0

    def take(self, item: Document | Rejection) -> Document | None:
        """Count `item` as read: a document that passes `check_document` comes back; a
        rejection (or a document that fails the check) is counted and gives None."""
        from .ingest import Rejection

        self.read += 1
        if isinstance(item, Document):
            item = check_document(item)
        if isinstance(item, Rejection):
            self.rejected.append(item)
            return None
        return item

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "failed": [{"origin": o, "reason": r} for o, r in self.failed],
            "unreachable": [{"origin": r.origin, "reason": r.reason} for r in self.unreachable],
            "feeds_polled": self.feeds_polled,
            "words": self.words,
            "seconds": round(self.seconds, 3),
        }


def fill_metadata(items: Iterable[Document | Rejection], **defaults: str | None) -> Iterator[Document | Rejection]:
    """The items, each document given the `defaults` (published, source) it lacks."""
    for item in items:
        if isinstance(item, Document):
            for name, value in defaults.items():
                if value and not getattr(item, name):
                    setattr(item, name, value)
        yield item


def check_document(doc: Document) -> Document | Rejection:
    """The document, or a Rejection when its text is over MAX_ARTICLE_CHARS or its fields
    are not plain finite JSON (a NaN in ``meta`` would be stored as invalid JSON). A URL
    that is not http(s) (``javascript:``, ``data:``) is dropped."""
    from .doc import check_article_size, check_json_value, compute_doc_id
    from .ingest import Rejection

    origin = doc.origin or doc.url or doc.id or "?"
    if doc.url is not None and not is_url(str(doc.url).strip().lower()):
        # javascript:, data:, file: ... never reach a page as a link
        doc.meta["dropped_url"] = str(doc.url)[:200]
        doc.url = None
        doc.id = compute_doc_id(doc)
    try:
        check_article_size(doc.text)
        for name in ("title", "url", "source", "author", "published", "summary"):
            value = getattr(doc, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name}: {type(value).__name__}, not a string")
        check_json_value(doc.meta, "meta")
        check_json_value(doc.images, "images")
    except ValueError as exc:
        return Rejection(origin, str(exc))
    return doc


def as_read(doc: Document) -> Document:
    """A copy of `doc` that analysing `doc` leaves as it is (the stages change only its
    layers, tokens and meta), so that it can be analysed again from the start."""
    import copy

    out = copy.copy(doc)
    out.layers, out.tokens, out.meta = copy.deepcopy(doc.layers), list(doc.tokens), copy.deepcopy(doc.meta)
    return out


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class IngestMethods:
    """The ingest half of `Monitor`; it uses the Monitor's ``store``, ``workers``,
    ``analyze``, ``archive_steps`` and ``_stage_names``/``_pool``."""

    def read_sources(self, sources: list[str], field_map: dict[str, str] | None = None,
                     max_bytes: int | None = None,
                     pending_states: dict[str, dict] | None = None) -> Iterator[Document | Rejection]:
        """Documents and rejections from files, directories, '-' (stdin) and URLs."""
        from .ingest import read_paths, read_stream
        from .ingest.web import read_url

        kwargs: dict[str, Any] = {"field_map": field_map}
        if max_bytes is not None:
            kwargs["max_bytes"] = max_bytes
        for source in sources:
            if source == "-":
                import sys

                yield from read_stream(sys.stdin.buffer, name="<stdin>", **kwargs)
            elif is_url(source):
                yield from read_url(source, self.store, pending_states if pending_states is not None else {})
            else:
                yield from read_paths([source], **kwargs)

    def ingest(self, sources: list[str], field_map: dict[str, str] | None = None,
               max_bytes: int | None = None,
               on_record: Callable[[IngestSummary], None] | None = None,
               batch_size: int = 200, published: str | None = None,
               source: str | None = None) -> IngestSummary:
        """Read, analyse and store; one transaction per batch, so an interruption keeps
        every committed batch and a re-run adds only what is missing. `published` and
        `source` are set on the documents that carry none."""
        pending_states: dict[str, dict] = {}
        items = self.read_sources(sources, field_map=field_map, max_bytes=max_bytes,
                                  pending_states=pending_states)
        if published or source:
            items = fill_metadata(items, published=published, source=source)
        summary = self.ingest_items(items, on_record=on_record, batch_size=batch_size)
        summary.feeds_polled = len(pending_states)
        for key, state in pending_states.items():  # only after the documents are committed
            self.store.set_state(key, state)
        return summary

    def ingest_items(self, items: Iterable[Document | Rejection],
                     on_record: Callable[[IngestSummary], None] | None = None,
                     batch_size: int = 200) -> IngestSummary:
        """Analyse and store documents already read (rejections are counted)."""
        import time

        summary = IngestSummary()
        started = time.monotonic()
        self.store_documents(self._analysed(iter(items), summary, on_record), summary, batch_size)
        summary.seconds = time.monotonic() - started
        return summary

    def ingest_documents(self, docs: Iterable[Document], batch_size: int = 200) -> IngestSummary:
        return self.ingest_items(docs, batch_size=batch_size)

    def _analysed(self, items: Iterator[Document | Rejection], summary: IngestSummary,
                  on_record: Callable[[IngestSummary], None] | None) -> Iterator[Document]:
        """The documents to store, analysed in order (in worker processes when `workers` > 1,
        in chunks of the ``ner_batch_articles`` setting); rejections, already-stored documents
        and stage failures are counted in `summary`."""
        from .archive_steps import warm_archive_steps
        from .pipeline import chunk_size
        from .workers import analyse_chunks, count_tokens

        chunk = chunk_size()
        # with workers or chunks: the documents found new when read (read ahead of the store), as
        # read (one process analyses the document itself: a copy is kept to analyse it again)
        fresh: dict[int, Document] = {}
        todo = self._to_analyse(items, summary, on_record, fresh if self.workers > 1 or chunk > 1 else None,
                                keep=as_read if self.workers == 1 else None)
        if self.workers > 1:  # the archive steps' tables load while the workers' template starts
            results = self.analysis_pool().analyse(todo, lambda: warm_archive_steps(self.archive_steps))
        else:  # `chunk` documents analysed together (`Pipeline.run_chunk`)
            results = analyse_chunks(self.pipeline, todo, chunk)
        for sent, out in results:
            if (kept := fresh.pop(id(sent), None)) is not None and (out := self._checked_again(kept, out, summary)) is None:
                continue
            if isinstance(out, str):
                summary.failed.append((sent.origin or sent.id or "?", out))
            else:
                summary.words += count_tokens(out)
                yield out

    def _checked_again(self, sent: Document, out: Document | str,
                       summary: IngestSummary) -> Document | str | None:
        """A document found new when it was read, checked again when it joins its batch (every
        batch before it committed), as one process checks it: workers read up to a window
        ahead, before the batches holding an earlier copy were committed. A copy now stored is
        a duplicate (None: not stored, not counted in the batch, so the batches hold the
        articles one process's hold); a fuller version of an article now stored is analysed
        again with the stored id and fields; else `out`. One process analysing in chunks reads
        a chunk ahead, so the same holds there."""
        from .workers import analyse_chunks

        todo, new = self._against_store(sent, summary)
        if new:
            return out
        if todo is None:
            return None
        again = (self.analysis_pool().analyse([todo]) if self.workers > 1
                 else analyse_chunks(self.pipeline, [todo], 1))
        ((_, out),) = again
        return out

    def _to_analyse(self, items: Iterator[Document | Rejection], summary: IngestSummary,
                    on_record: Callable[[IngestSummary], None] | None,
                    fresh: dict[int, Document] | None = None,
                    keep: Callable[[Document], Document] | None = None) -> Iterator[Document]:
        """The documents worth analysing (`_against_store`), each new one also put in
        `fresh`, by object id, when given (``keep(doc)``, a copy, when `keep` is given)."""
        from .ingest import Rejection

        for item in items:
            if isinstance(item, Rejection) and item.unreachable:
                summary.unreachable.append(item)  # nothing was read from it
                continue
            if (doc := summary.take(item)) is not None:
                todo, new = self._against_store(doc, summary)
                if new and fresh is not None:
                    fresh[id(doc)] = doc if keep is None else keep(doc)
                if todo is not None:
                    yield todo
            if on_record:
                on_record(summary)

    def _against_store(self, doc: Document, summary: IngestSummary) -> tuple[Document | None, bool]:
        """What of `doc` is worth analysing, given the archive: ``(doc, True)`` when it is
        new; a fuller version of a stored article given the stored id and fields first
        (`rasid.ingest.updates`), ``(doc, False)``; ``(None, False)`` when it is stored
        already (counted a duplicate: the analysis cost is skipped)."""
        from .ingest.updates import find_replaced_article, merge_stored_fields

        if (found := self.store.find_duplicate(doc)) is None:
            return doc, True
        if (stored := find_replaced_article(self.store, doc, found)) is None:
            summary.duplicates += 1
            return None, False
        return merge_stored_fields(doc, stored), False

    def analysis_pool(self) -> Any:
        """The worker processes of this Monitor (`rasid.workers.AnalysisPool`), started on
        first use and stopped by `close`."""
        if self._pool is None:
            from .pipeline import chunk_size
            from .settings import get_setting
            from .workers import AnalysisPool

            self._pool = AnalysisPool(self.workers, self._stage_names,
                                      strict=bool(get_setting("strict_stages")), chunk=chunk_size())
        return self._pool

    def store_documents(self, docs: Iterable[Document], summary: IngestSummary, batch_size: int) -> None:
        """Store in batches; one transaction each holds the batch's articles and the work of
        every archive step on the documents it stored (`docs` analysed as they are read, in
        this process or in the workers; the garbage collector runs less often meanwhile:
        `collecting_less`)."""
        from .store.base import iter_batches
        from .workers import collecting_less

        with collecting_less():
            for batch in iter_batches(docs, batch_size):
                self._store_batch(batch, summary)

    def _store_batch(self, batch: list[Document], summary: IngestSummary) -> None:
        """Store a batch, replace the stored articles its fuller versions update
        (`rasid.ingest.updates`) and run the archive steps on both, in one transaction."""
        from .archive_steps import crash_for_test, prepare_archive_steps, run_archive_steps
        from .ingest.updates import replace_fuller_versions

        prepare_archive_steps(self.archive_steps, batch)  # no archive needed: outside the lock
        with self.store.transaction():  # the articles and every archive step, together
            outcomes = self.store.add_documents(batch, batch_size=len(batch)).outcomes
            replace_fuller_versions(self.store, batch, outcomes)
            updated = [d for d, o in zip(batch, outcomes) if o.outcome == "updated"]
            replaced = {d.id for d in updated}  # a snippet stored in this batch is done once
            stored = [d for d, o in zip(batch, outcomes)
                      if o.outcome == "stored" and d.id not in replaced] + updated
            crash_for_test("stored")
            if len({d.id for d in batch}) < len(batch):  # an article twice: prepare the copy kept
                prepare_archive_steps(self.archive_steps, stored)
            if stored:
                run_archive_steps(self.archive_steps, self.store, stored)
        for step in self.archive_steps:
            step.after_commit(self.store)
        counts = Counter(o.outcome for o in outcomes)
        summary.stored += counts["stored"]
        summary.updated += counts["updated"]
        summary.duplicates += counts["duplicate"]
        summary.failed.extend((o.origin or o.id or "?", o.reason) for o in outcomes
                              if o.outcome == "failed")

    def store_analysed(self, items: Iterable[Document | Rejection],
                       on_record: Callable[[IngestSummary], None] | None = None,
                       batch_size: int = 200) -> IngestSummary:
        """Store documents analysed elsewhere (export, batch tables): no stage, archive steps run."""
        import time

        summary, started = IngestSummary(), time.monotonic()

        def checked() -> Iterator[Document]:
            for item in items:
                if (doc := summary.take(item)) is not None:
                    yield doc
                if on_record:
                    on_record(summary)

        self.store_documents(checked(), summary, batch_size)
        summary.seconds = time.monotonic() - started
        return summary

    def import_articles(self, path: str | Path, **kwargs: Any) -> IngestSummary:
        """A JSON Lines articles export, stored with its layers (`store_analysed`)."""
        from .export.imports import read_exported_articles

        return self.store_analysed(read_exported_articles(path), **kwargs)

    def load_tables(self, folder: str | Path, **kwargs: Any) -> IngestSummary:
        """A `rasid batch` output folder, articles rebuilt and stored (`store_analysed`)."""
        from .batch.load import read_batch_documents

        return self.store_analysed(read_batch_documents(folder), **kwargs)

    def repair(self, batch_size: int = 200) -> dict[str, int]:
        """Run every archive step over the whole archive, completing what is missing (each
        step skips the articles it has done); ``{"articles": checked, step: changed}``."""
        from .archive_steps import run_archive_steps

        from .store.base import iter_batches

        out = {"articles": 0, **{s.name: 0 for s in self.archive_steps}}
        for batch in iter_batches(self.store.iter_documents(batch_size=batch_size), batch_size):
            with self.store.transaction():
                done = run_archive_steps(self.archive_steps, self.store, batch)
            for step in self.archive_steps:
                step.after_commit(self.store)
            for name, n in done.items():
                out[name] += n
            out["articles"] += len(batch)
        return out

    def ingest_sample(self, **kwargs: Any) -> IngestSummary:
        """Ingest the bundled sample; `sample/metadata.json` supplies what a file's format
        cannot carry (the seed's publication date and source)."""
        import json

        from .ingest import read_paths
        from .ingest.files import SAMPLE_DIR, sample_paths

        extra = json.loads((SAMPLE_DIR / "metadata.json").read_text(encoding="utf-8"))

        def with_metadata() -> Iterator[Document | Rejection]:
            for path in sample_paths():
                fields = extra.get(path.name, {})
                for item in read_paths([path]):
                    if isinstance(item, Document):
                        item.published = item.published or fields.get("published")
                        item.source = item.source or fields.get("source")
                        item.meta.update(fields.get("meta", {}))
                    yield item

        return self.ingest_items(with_metadata(), **kwargs)
