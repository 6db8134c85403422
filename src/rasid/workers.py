"""Analysis on every core: the pipeline in N worker processes, results back in input order.

`Monitor.ingest(workers=N)` (``rasid ingest --workers N``, the ``workers`` setting) reads,
checks and skips already-stored articles in the parent, hands the rest to an `AnalysisPool`
and stores what comes back through its one writer, in the order read: per-batch transactions,
the order of the archive steps, idempotent re-runs and crash safety are those of one process.

* Workers start with ``spawn`` (a fresh interpreter; never a ``fork`` of a process that holds
  an open archive and threads). Each worker builds the pipeline once (models loaded once per
  worker) and keeps it for every document it is sent. A worker whose parent died (killed
  mid-run) exits within a second instead of lingering with the parent's pipes open.
* Documents travel pickled (`rasid.doc.Document` is plain dataclasses: tens of KB, about a
  millisecond each way); a worker returns the analysed document, or a failure reason when a
  stage raised, so one bad article never stops the others.
* The worker also computes what the archive steps need of the document alone (near-duplicate
  signature, story vector: `rasid.archive_steps.attach_prepared`) and the search index's forms
  of its title and text (`rasid.search.analyzer.attach_index_forms`; the store takes them when
  its analyzer has the same signature), which travel back with it, so the parent's serial
  share is the store's writes and the archive lookups.
* At most ``window`` documents (default 8 per worker) are in flight, so memory stays flat
  however long the input; results are yielded in input order.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

from .doc import Document

#: documents in flight per worker (enough to keep every worker busy while the parent stores)
IN_FLIGHT_PER_WORKER = 8


def analyse_safely(analyse: Callable[[Document], Document], doc: Document) -> Document | str:
    """``analyse(doc)`` (a pipeline), or ``"Type: message"`` when a stage raised."""
    try:
        return analyse(doc)
    except Exception as exc:  # a stage bug must not lose the rest of the batch
        return f"{type(exc).__name__}: {exc}"


# -- in the worker processes ------------------------------------------------------------------
_WORKER_PIPELINE = None
_WORKER_PREPARERS: list = []


def start_worker(stage_names: tuple[str, ...], strict: bool) -> None:
    """Pool initializer: build this worker's pipeline (and the archive steps' per-document
    preparation) once; exit when the parent is gone."""
    global _WORKER_PIPELINE, _WORKER_PREPARERS
    from .archive_steps import build_document_preparers
    from .stages import build_pipeline

    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    _WORKER_PIPELINE = build_pipeline(stage_names, strict=strict)
    _WORKER_PREPARERS = build_document_preparers()


def watch_parent(parent: int, every_s: float = 0.5) -> None:
    """End this worker once its parent died (it is then re-parented): a parent killed with
    SIGKILL cannot stop its workers, which would otherwise wait on the task queue forever."""
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(1)


def analyse_in_worker(doc: Document) -> Document | str:
    """The analysed document with what the archive steps and the search index need of it
    alone (the parent's serial share: `rasid.archive_steps.attach_prepared`,
    `rasid.search.analyzer.attach_index_forms`), or a failure reason."""
    from .archive_steps import attach_prepared
    from .search.analyzer import attach_index_forms

    out = analyse_safely(_WORKER_PIPELINE, doc)
    if isinstance(out, str):
        return out
    try:
        attach_index_forms(out)
    except Exception:  # the store computes them again and reports what goes wrong there
        pass
    return attach_prepared(_WORKER_PREPARERS, out)


# -- in the parent ----------------------------------------------------------------------------
class AnalysisPool:
    """`workers` processes running the pipeline `stage_names`; started on first use and kept
    until `close` (a `Monitor` keeps one for its lifetime, so feed polls reuse it)."""

    def __init__(self, workers: int, stage_names: tuple[str, ...], strict: bool = False,
                 window: int | None = None):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.stage_names = tuple(stage_names)
        self.strict = strict
        self.window = window or IN_FLIGHT_PER_WORKER * workers
        self._executor: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            ctx = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=start_worker,
                                                 initargs=(self.stage_names, self.strict))
        return self._executor

    def analyse(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Document | str]]:
        """``(document sent, analysed document or failure reason)``, in the order of `docs`;
        `docs` is read only as fast as the workers finish (at most `window` ahead)."""
        pending: deque[tuple[Document, Future]] = deque()
        for doc in docs:  # the workers start with the first document to analyse
            pending.append((doc, self._start().submit(analyse_in_worker, doc)))
            if len(pending) >= self.window:
                sent, future = pending.popleft()
                yield sent, future.result()
        while pending:
            sent, future = pending.popleft()
            yield sent, future.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
