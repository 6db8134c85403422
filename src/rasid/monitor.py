"""Monitor: the one application object. CLI, API, web UI and batch jobs call its methods."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .doc import Document
from .ingest import Rejection
from .pipeline import Pipeline
from .stages import DEFAULT_STAGES, build_pipeline


@dataclass
class IngestSummary:
    """What happened to every record of one ingest run."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    words: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "failed": [{"origin": o, "reason": r} for o, r in self.failed],
            "words": self.words,
            "seconds": round(self.seconds, 3),
        }


def check_document(doc: Document) -> Document | Rejection:
    """The document, or a Rejection when its text is over MAX_ARTICLE_CHARS or its fields
    are not plain finite JSON (a NaN in ``meta`` would be stored as invalid JSON). A URL
    that is not http(s) (``javascript:``, ``data:``) is dropped."""
    from .doc import check_article_size, check_json_value, compute_doc_id

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


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class Monitor:
    def __init__(self, db: str | Path | None = None, stages: Iterable[str] = DEFAULT_STAGES):
        from .store import open_store

        from .archive_steps import ARCHIVE_STEPS, build_archive_steps

        self.store = open_store(db)
        self._stage_names = tuple(stages)
        self._pipeline: Pipeline | None = None
        #: The archive steps (`rasid.archive_steps`), run in this order in the transaction
        #: of every stored batch.
        self.archive_steps = build_archive_steps(ARCHIVE_STEPS)

    # -- analysis -------------------------------------------------------------------
    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = build_pipeline(self._stage_names)
        return self._pipeline

    def analyze(self, doc: Document) -> Document:
        return self.pipeline(doc)

    # -- ingest ---------------------------------------------------------------------
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
               batch_size: int = 200) -> IngestSummary:
        """Read, analyse and store; one transaction per batch, so an interruption keeps
        every committed batch and a re-run adds only what is missing."""
        pending_states: dict[str, dict] = {}
        items = self.read_sources(sources, field_map=field_map, max_bytes=max_bytes,
                                  pending_states=pending_states)
        summary = self.ingest_items(items, on_record=on_record, batch_size=batch_size)
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
        for item in items:
            summary.read += 1
            if isinstance(item, Document):
                item = check_document(item)
            if isinstance(item, Rejection):
                summary.rejected.append(item)
            elif self.store.has_document(item):
                summary.duplicates += 1  # known already: skip the analysis cost
            else:
                try:
                    doc = self.analyze(item)
                except Exception as exc:  # a stage bug must not lose the rest of the batch
                    summary.failed.append((item.origin or item.id or "?", f"{type(exc).__name__}: {exc}"))
                else:
                    summary.words += len(doc.tokens)
                    yield doc
            if on_record:
                on_record(summary)

    def store_documents(self, docs: Iterable[Document], summary: IngestSummary, batch_size: int) -> None:
        """Store in batches; one transaction each holds the batch's articles and the work of
        every archive step on the documents it stored."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._store_batch(batch, summary)
                batch = []
        if batch:
            self._store_batch(batch, summary)

    def _store_batch(self, batch: list[Document], summary: IngestSummary) -> None:
        from .archive_steps import crash_for_test, prepare_archive_steps, run_archive_steps

        prepare_archive_steps(self.archive_steps, batch)  # no archive needed: outside the lock
        with self.store.transaction():  # the articles and every archive step, together
            report = self.store.add_documents(batch, batch_size=len(batch))
            stored_ids = {o.id for o in report.outcomes if o.outcome == "stored"}
            stored = [d for d in batch if d.id in stored_ids]
            crash_for_test("stored")
            if stored:
                run_archive_steps(self.archive_steps, self.store, stored)
        for step in self.archive_steps:
            step.after_commit(self.store)
        summary.stored += report.stored
        summary.duplicates += report.duplicate
        summary.failed.extend((o.origin or o.id or "?", o.reason) for o in report.outcomes
                              if o.outcome == "failed")

    def archive_step(self, name: str) -> Any:
        """The installed archive step called `name` (see `rasid.archive_steps`)."""
        for step in self.archive_steps:
            if step.name == name:
                return step
        raise KeyError(f"no archive step {name!r}")

    def copy_to(self, target: str | Path) -> dict[str, int]:
        """Copy this archive into the empty archive at `target` (any engine: a path,
        ``sqlite:///``, ``postgresql://``), without analysing anything again;
        ``{kind: records copied}``. Raises `rasid.store.copy.ArchiveNotEmpty`."""
        from .store import open_store
        from .store.copy import copy_archive

        with open_store(target) as dest:
            return copy_archive(self.store, dest)

    def repair(self, batch_size: int = 200) -> dict[str, int]:
        """Run every archive step over the whole archive, completing what is missing (each
        step skips the articles it has done); ``{"articles": checked, step: changed}``."""
        from .archive_steps import run_archive_steps

        out = {"articles": 0, **{s.name: 0 for s in self.archive_steps}}
        batch: list[Document] = []

        def flush() -> None:
            with self.store.transaction():
                done = run_archive_steps(self.archive_steps, self.store, batch)
            for step in self.archive_steps:
                step.after_commit(self.store)
            for name, n in done.items():
                out[name] += n
            out["articles"] += len(batch)
            batch.clear()

        for doc in self.store.iter_documents(batch_size=batch_size):
            batch.append(doc)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
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

    # -- reading --------------------------------------------------------------------
    def search(self, text: str, **filters: Any):
        from .store.base import SearchQuery

        return self.store.search(SearchQuery(text, **filters))

    def get_document(self, doc_id: str) -> Document | None:
        return self.store.get_document(doc_id)

    def top_entities(self, **filters: Any) -> list[dict[str, Any]]:
        return self.store.top_entities(**filters)

    def entity_profiles(self, name: str, type: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        """Profiles of the entities a name (any spelling, Arabic or Latin) resolves to."""
        from .entities.archive import lookup_entities

        out = []
        for record in lookup_entities(self.store, name, type=type, limit=3):
            profile = self.store.entity_profile(record.id, limit=limit)
            if profile:
                out.append(profile)
        return out

    def top_places(self, **filters: Any) -> list[dict[str, Any]]:
        return self.store.top_places(**filters)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def close(self) -> None:
        from .alerts.delivery import wait_for_deliveries

        wait_for_deliveries(self.store)  # webhooks still being posted in the background
        self.store.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
