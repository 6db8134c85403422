"""Analysis on every core: the pipeline in N worker processes, results back in input order.

`Monitor.ingest(workers=N)` (``rasid ingest --workers N``, the ``workers`` setting) reads,
checks and skips already-stored articles in the parent, hands the rest to an `AnalysisPool`
and stores what comes back through its one writer, in the order read: per-batch transactions,
the order of the archive steps, idempotent re-runs and crash safety are those of one process.

* Workers are forked from a **template**, never from the parent: the pool uses the
  ``forkserver`` start method, whose server is a fresh interpreter (started like ``spawn``,
  so it holds no open archive, no threads and no state of the parent) that imports
  `rasid.worker_template` once. That import builds the default pipeline, runs it on the
  shipped sample article so that every model, gazetteer, word list and table a stage loads
  on first use is in memory, and freezes it (``gc.freeze``). Each worker is a ``fork`` of
  that server, so the workers share the template's pages copy-on-write instead of each
  loading its own copy (`build_template`; docs/speed.md "Memory on 10k articles"); a worker
  asked for other stages builds them itself. The template server is started with the first
  document to analyse, without waiting for it: the parent meanwhile loads what its archive
  steps read (`rasid.archive_steps.ArchiveStep.warm`) and reads and checks the documents ahead
  (up to `START_READ_AHEAD`), on the core the template leaves idle.
  A worker whose parent died (killed mid-run) exits within a second instead of lingering
  with the parent's pipes open (its parent is the template server, which ends with the
  process that started it).
* Documents travel pickled (`rasid.doc.Document` is plain dataclasses: tens of KB, a few
  tenths of a millisecond each way; the spans as calls of their class: `send_spans_compactly`),
  `DOCS_PER_TASK` or the ``ner_batch_articles`` setting to a task, whichever is more; a worker
  analyses a task in chunks of ``ner_batch_articles`` (`Pipeline.run_chunk`: the ner stage tags
  a chunk's sentences as one batch) and returns each analysed document, or a failure reason
  when a stage raised, so one bad article never stops the others.
* The worker also computes what the archive steps need of the document alone (near-duplicate
  signature, story vector, entity name keys: `rasid.archive_steps.attach_prepared`), the
  search index's forms of its title and text (`rasid.search.analyzer.attach_index_forms`) and
  what the store writes of its layers (each layer's JSON, the spans rows as one JSON text, the
  mention rows: `rasid.store.sql_writing.attach_layer_rows`, the store's own pure helper),
  which travel back with it (`rasid.carried`: taken once, under the same settings, while the
  document still has the title, text and layers they were computed from), so the parent's
  serial share is the store's statements and the archive lookups. The tokens do not travel
  back (`shed_tokens`): nothing in the parent reads them.
* At most ``window`` documents (default 100 per worker: the workers go on analysing while the
  parent stores a batch) are in flight, so memory stays flat however long the input; results
  are yielded in input order.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .doc import Document

#: documents in flight per worker: enough to keep every worker busy while the parent stores
#: a batch (200 articles by default) and runs the archive steps on it, which takes seconds;
#: with 8, the workers finished theirs early in that time and waited. An analysed document
#: waiting in the parent (its tokens shed, its layer rows carried) is about 100 KB pickled.
IN_FLIGHT_PER_WORKER = 100

#: documents sent to a worker in one task (and back in one message): each task costs the
#: parent's pool threads a future, a wake-up of each thread and a pipe message each way,
#: some 0.1–0.4 ms, as much as unpickling the analysed document; four news articles are a
#: tenth of a second of analysis, so the workers still finish within that of each other
#: (the parent's pool threads: 0.36 → 0.25 CPU s for 300 SaudiNewsNet articles, loaded machine).
#: A task holds the ``ner_batch_articles`` setting's chunk instead when that is more (`AnalysisPool`).
DOCS_PER_TASK = 4


#: documents the parent reads and checks ahead at most while its workers start (the template
#: server builds and warms the pipeline, about a CPU second, and the first worker is forked from
#: it): reading, checking and the duplicate look-up with its content hash are some 0.3 ms a
#: document of the parent's own serial work, done there on the core that would otherwise idle
#: (about half a second of it on a quiet 2-core machine) instead of later beside two busy
#: workers. With the window in flight and a batch this keeps at most some 1,400 documents between
#: their duplicate check and their store, under the keys the store keeps for them (`KEPT_KEYS`).
START_READ_AHEAD = 1000


#: bytes the pipe that brings the analysed documents back can hold (Linux's default is 64 KB,
#: and ``/proc/sys/fs/pipe-max-size`` lets any process ask for 1 MB). A task's four documents
#: are some 400 KB pickled: with 64 KB a worker's write waited for the parent's result thread
#: to read each 64 KB (and that thread, for the interpreter lock, while the parent stored a
#: batch), holding the queue's write lock, so the other worker could not send either.
RESULT_PIPE_BYTES = 1 << 20

#: how much lower than the parent's the analysing workers' scheduling priority is (``os.nice``,
#: relative to the parent's: a run under ``nice -n 5`` has workers at 10). The parent is the one
#: writer: while it stores a batch and runs the archive steps on it (1.4-2.3 s of wall time a batch
#: at 5,000 SaudiNewsNet articles, for 0.5-1.0 CPU s) it shares the two cores with two busy workers,
#: takes no result and sends no task, and the workers ran out of the window's documents before it
#: was done in 8 of 24 batches (`/tmp`-style probe of the session of 2026-12-08: each batch's stall
#: timed with the futures still unfinished at its end). With lower priority the workers give the
#: writer its core while it stores and use both cores when it waits (docs/speed.md "Fourteenth pass").
WORKER_NICENESS = 5

#: allocations between two runs of the cyclic garbage collector's youngest generation while
#: articles are analysed and stored (Python's default: 700). Analysis and the archive steps
#: make and drop millions of small objects that reference counting frees, and each run
#: walks the young ones, each tenth run the older ones too: with 700, the parent spent 10 %
#: of its CPU (1.6 of 16.8 s, 1,814 runs) in the collector storing 1,960 SaudiNewsNet
#: articles; with 50,000, 0.3 s (12 runs). What the runs still walk is mostly what lives
#: on (the per-form caches, a batch's documents until it is stored), which each run walks
#: once before it moves it to the next generation; with 1,000,000, fewer of a batch's
#: objects are still alive at a run and the middle generation almost never runs: one
#: process analysing and storing 1,000 SaudiNewsNet articles spent 0.96-0.99 CPU s in the
#: collector with 50,000 (two runs), 0.62 with 1,000,000, at the same peak memory (774 MB).
#: The pages a template shares are frozen apart.
GC_THRESHOLD = 1_000_000


@contextlib.contextmanager
def collecting_less(threshold: int = GC_THRESHOLD) -> Iterator[None]:
    """Run the cyclic garbage collector every `threshold` allocations inside the block
    (older generations as before), then restore the threshold it had (left as it is when
    it was that high already). Leaving, what the block allocated since the last run
    (`leave_young_to_full_runs`) is left to the next full run, not walked at once."""
    old = gc.get_threshold()
    if old[0] >= threshold:
        yield
        return
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        leave_young_to_full_runs()
        gc.set_threshold(*old)


def leave_young_to_full_runs() -> None:
    """Move every object the collector tracks into its oldest generation, without walking them
    (``gc.freeze`` and ``gc.unfreeze``: two list splices), so that no run of the youngest
    generation follows. With `GC_THRESHOLD` it holds up to a million allocations when the block
    ends, and with Python's threshold restored the next allocation walked them all: 0.13 CPU s
    after the last batch of 2,000 SaudiNewsNet articles, a fifth of the two-worker run's tail
    (docs/speed.md, "Thirteenth pass"); cyclic garbage among them is freed by the next full
    run instead, as Python's own runs do with what survives the younger ones (storing 400
    analysed articles left 10 such objects). Not where objects are frozen: unfreezing would
    release them (a template and the processes forked from it, and any process that loaded the
    NER model, which `rasid.stages.ner` freezes: one process keeps the walk; the parent of
    workers, which loads no model, is spared it)."""
    if not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()


class WorkerCrashed(RuntimeError):
    """A worker process died (killed by the system: out of memory, a signal) instead of
    answering. What the run committed is kept; the batch being stored is not, and a run
    of the same input completes the archive."""


def analyse_safely(analyse: Callable[[Document], Document], doc: Document) -> Document | str:
    """``analyse(doc)`` (a pipeline), or ``"Type: message"`` when a stage raised."""
    try:
        return analyse(doc)
    except Exception as exc:  # a stage bug must not lose the rest of the batch
        return failure_reason(exc)


def failure_reason(exc: Exception) -> str:
    """What a failed document reports: ``"Type: message"``."""
    return f"{type(exc).__name__}: {exc}"


def analyse_chunks(pipeline: Any, docs: Iterable[Document], chunk: int,
                   ) -> Iterator[tuple[Document, Document | str]]:
    """``(document, analysed document or failure reason)`` of each of `docs`, in order,
    analysed `chunk` at a time (`rasid.pipeline.Pipeline.run_chunk`: a failure takes only
    its own document out of the chunk); `docs` is read a chunk ahead."""
    docs = iter(docs)
    while batch := list(itertools.islice(docs, max(1, chunk))):
        yield from zip(batch, [failure_reason(out) if isinstance(out, Exception) else out
                               for out in pipeline.run_chunk(batch)])


#: the module the template server imports (`rasid.worker_template`: it calls `build_template`)
TEMPLATE_MODULE = "rasid.worker_template"

# -- in the template server and the worker processes ------------------------------------------
_WORKER_PIPELINE = None
_WORKER_PREPARERS: list = []
#: documents a worker analyses together (the parent's ``ner_batch_articles``, `start_worker`)
_WORKER_CHUNK = 1
#: True in a process whose pipeline is the template's (built before the fork)
FROM_TEMPLATE = False


def build_template() -> None:
    """In the template server (before any worker is forked): build the default pipeline and
    the archive steps' per-document preparation, analyse the sample article once so that
    everything loaded on first use is in, and freeze the lot (``gc.freeze``: the collector
    no longer visits, so no longer writes to, the pages the workers share). A failure
    leaves no template: each worker then builds its pipeline itself and reports the error
    as one process would."""
    global _WORKER_PIPELINE, _WORKER_PREPARERS, FROM_TEMPLATE
    from .archive_steps import build_document_preparers
    from .stages import DEFAULT_STAGES, build_pipeline

    try:
        _WORKER_PIPELINE = build_pipeline(DEFAULT_STAGES)
        _WORKER_PREPARERS = build_document_preparers()
        warm_and_freeze(analyse_and_prepare)
    except Exception:
        _WORKER_PIPELINE, _WORKER_PREPARERS = None, []
        return
    FROM_TEMPLATE = True


def warm_and_freeze(analyse: Callable[[Document], Any]) -> None:
    """Analyse the shipped sample article with `analyse` (so that every model, table and
    cache a stage loads on first use is loaded), then freeze what is in memory
    (``gc.freeze``: the collector no longer visits, so no longer writes to, the pages that
    processes forked from this one share). Used by the template here and by the Spark
    worker daemon (`rasid.batch.analyse.warm_pipeline`)."""
    from .ingest.files import SAMPLE_DIR

    text = (SAMPLE_DIR / "paris-2015.txt").read_text(encoding="utf-8")
    analyse(Document(text=text, title="warm-up"))
    gc.collect()
    gc.freeze()


def start_worker(stage_names: tuple[str, ...], strict: bool, chunk: int = 1) -> None:
    """Pool initializer: take the template's pipeline when it has the stages asked for, else
    build this worker's pipeline (and the archive steps' per-document preparation) once;
    analyse `chunk` documents together; exit when the parent is gone."""
    global _WORKER_PIPELINE, _WORKER_PREPARERS, FROM_TEMPLATE, _WORKER_CHUNK
    _WORKER_CHUNK = chunk
    from .archive_steps import build_document_preparers
    from .stages import build_pipeline

    threading.Thread(target=watch_parent, daemon=True).start()
    os.nice(WORKER_NICENESS)  # the template keeps the parent's: the workers wait for its start
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])  # this process only analyses
    send_spans_compactly()
    if FROM_TEMPLATE and tuple(_WORKER_PIPELINE.names) == tuple(stage_names):
        _WORKER_PIPELINE.strict = strict
        return
    FROM_TEMPLATE = False
    _WORKER_PIPELINE = build_pipeline(stage_names, strict=strict)
    _WORKER_PREPARERS = build_document_preparers()


def send_spans_compactly() -> None:
    """Pickle this process's `Span` objects (results sent to the parent) as a call of the
    class with their five fields. `Span` is a dataclass with slots, which the pickle module
    saves with a dict of its slots built in Python for each span and restores attribute by
    attribute: 3.5 and 1.7–3 µs per span against 1.0 and 0.9 µs (20,000 spans); the parent
    gets equal spans either way."""
    from multiprocessing.reduction import ForkingPickler

    from .doc import Span

    ForkingPickler.register(Span, reduce_span)


def reduce_span(span: Any) -> tuple:
    return type(span), (span.start, span.end, span.label, span.attrs, span.id)


def worker_facts() -> dict:
    """This worker's process id, its parent's, whether its pipeline is the template's, its
    garbage collector's threshold and its niceness."""
    return {"pid": os.getpid(), "ppid": os.getppid(), "from_template": FROM_TEMPLATE,
            "gc_threshold": gc.get_threshold()[0], "niceness": os.nice(0)}


def watch_parent() -> None:
    """End this worker once the process that started the pool died: a parent killed with
    SIGKILL cannot stop its workers, which would otherwise wait on the task queue forever
    (and keep the template server, which ends with the last holder of its pipe, alive).
    `multiprocessing.parent_process` is that process, not the template server: its
    sentinel is the pipe it sent this worker's start through, closed when it dies."""
    parent = multiprocessing.parent_process()
    if parent is not None:  # None: not started by a pool (a probe calling `start_worker`)
        parent.join()
        os._exit(1)


def analyse_in_worker(doc: Document) -> Document | str:
    """`analyse_all_in_worker` of one document."""
    return analyse_all_in_worker([doc])[0]


def analyse_all_in_worker(docs: list[Document]) -> list[Document | str]:
    """Each document of one task, in order: analysed (in chunks of `_WORKER_CHUNK`) and
    carrying what the archive steps, the search index and the store need of it alone
    (`prepare_analysed`), or a failure reason. ``RASID_TEST_CRASH_AT=analyse@N`` kills the
    worker at the task of its N-th document (tests)."""
    from .archive_steps import crash_for_test

    for _ in docs:
        crash_for_test("analyse")
    return [out if isinstance(out, str) else prepare_analysed(out)
            for _, out in analyse_chunks(_WORKER_PIPELINE, docs, _WORKER_CHUNK)]


def analyse_and_prepare(doc: Document) -> Document | str:
    """One document analysed and prepared as `analyse_all_in_worker` does, without the test's
    crash point and without chunks (the template's warm-up)."""
    out = analyse_safely(_WORKER_PIPELINE, doc)
    return out if isinstance(out, str) else prepare_analysed(out)


def prepare_analysed(out: Document) -> Document:
    """An analysed document with what the archive steps, the search index and the store
    need of it alone attached, its tokens shed."""
    from .archive_steps import attach_prepared
    from .search.analyzer import attach_index_forms
    from .store.sql_writing import attach_layer_rows

    attach_prepared(_WORKER_PREPARERS, out)
    for attach in (attach_index_forms, attach_layer_rows):
        try:
            attach(out)
        except Exception:  # the store computes them again and reports what goes wrong there
            pass
    return shed_tokens(out)


#: how many tokens a document had when a worker sent it back without them (`shed_tokens`)
TOKEN_COUNT_ATTR = "_token_count"


def shed_tokens(doc: Document) -> Document:
    """`doc` without its tokens, their number kept: nothing after the analysis reads them
    (the store does not keep them; the archive steps' and the search index's per-document
    values are computed already), and they are most of the pickled document (a news article's
    44 KB become 17 KB; the parent unpickles it in 0.15 ms instead of 0.67)."""
    setattr(doc, TOKEN_COUNT_ATTR, len(doc.tokens))
    doc.tokens = []
    return doc


def count_tokens(doc: Document) -> int:
    """The number of tokens of an analysed document, sent back by a worker or not."""
    return len(doc.tokens) or getattr(doc, TOKEN_COUNT_ATTR, 0)


# -- in the parent ----------------------------------------------------------------------------
def widen_pipe(fd: int, size: int) -> int:
    """Let the pipe of `fd` hold `size` bytes where the system allows it (Linux); its size."""
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (AttributeError, OSError):  # not Linux, or over the system's pipe-max-size
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ) if hasattr(fcntl, "F_GETPIPE_SZ") else 0


class AnalysisPool:
    """`workers` processes running the pipeline `stage_names`; started on first use and kept
    until `close` (a `Monitor` keeps one for its lifetime, so feed polls reuse it)."""

    def __init__(self, workers: int, stage_names: tuple[str, ...], strict: bool = False,
                 window: int | None = None, per_task: int = DOCS_PER_TASK,
                 start_read_ahead: int = START_READ_AHEAD, chunk: int = 1):
        """`chunk`: documents a worker analyses together (`analyse_chunks`); a task holds
        `per_task` documents or `chunk`, whichever is more."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.stage_names = tuple(stage_names)
        self.strict = strict
        self.window = window or IN_FLIGHT_PER_WORKER * workers
        self.chunk = max(1, chunk)
        self.per_task = max(1, per_task, self.chunk)
        self.start_read_ahead = start_read_ahead
        self._executor: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            from .stages import DEFAULT_STAGES

            ctx = multiprocessing.get_context("forkserver")
            # the template holds the default pipeline: other stages are built by each worker
            ctx.set_forkserver_preload([TEMPLATE_MODULE] if self.stage_names == tuple(DEFAULT_STAGES) else [])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=start_worker,
                                                 initargs=(self.stage_names, self.strict, self.chunk))
            widen_pipe(self._executor._result_queue._reader.fileno(), RESULT_PIPE_BYTES)
        return self._executor

    def analyse(self, docs: Iterable[Document], while_starting: Callable[[], None] | None = None,
                ) -> Iterator[tuple[Document, Document | str]]:
        """``(document sent, analysed document or failure reason)``, in the order of `docs`;
        `docs` is read only as fast as the workers finish (at most `window` ahead). The
        workers start with the first document to analyse: their template server builds and
        warms the pipeline (about a CPU second) while this process runs `while_starting` and
        reads ahead (`_start_reading_ahead`)."""
        from .store.base import iter_batches

        tasks = iter_batches(docs, self.per_task)
        pending: deque[tuple[list[Document], Future]] = deque()  # tasks of `per_task` documents
        in_flight = 0
        if not self.started:
            if (first := next(tasks, None)) is None:
                return  # nothing to analyse: no worker started
            started, tasks = self._start_reading_ahead(first, tasks, while_starting)
            pending.append((first, started))
            in_flight = len(first)
        for task in tasks:
            pending.append((task, self._start().submit(analyse_all_in_worker, task)))
            in_flight += len(task)
            while in_flight >= self.window:
                in_flight -= len(pending[0][0])
                yield from self._results(*pending.popleft())
        while pending:
            yield from self._results(*pending.popleft())

    def _start_reading_ahead(self, first: list[Document], tasks: Iterator[list[Document]],
                             while_starting: Callable[[], None] | None,
                             ) -> tuple[Future, Iterator[list[Document]]]:
        """Send `first` from a thread (the send starts the template server and forks the workers
        from it, and waits for them: about a CPU second, the other core idle), and meanwhile run
        `while_starting` and read and check documents ahead: the first window, and more while
        the workers are still starting, up to `start_read_ahead`. `first`'s future and the
        tasks, those read ahead first."""
        executor, sent = self._start(), []  # made here, so that `close` stops what the thread starts

        def send() -> None:
            try:
                sent.append(executor.submit(analyse_all_in_worker, first))
            except BaseException as exc:  # raised below, in this thread
                sent.append(exc)

        starting = threading.Thread(target=send, name="rasid-start-workers", daemon=True)
        starting.start()
        if while_starting is not None:
            while_starting()
        ahead, read = [], len(first)
        for task in tasks:
            ahead.append(task)
            read += len(task)
            if read >= self.window and (read >= self.start_read_ahead or not starting.is_alive()):
                break
        starting.join()
        if isinstance(sent[0], BaseException):
            raise sent[0]
        return sent[0], itertools.chain(ahead, tasks)

    def _results(self, sent: list[Document], future: Future) -> Iterator[tuple[Document, Document | str]]:
        try:
            results = future.result()
        except BrokenProcessPool:
            self.close()  # the next call starts new workers (a feed poll goes on)
            raise WorkerCrashed(
                f"an analysing worker process died (killed by the system: out of memory, a signal?) "
                f"with {sent[0].origin or sent[0].id} in flight; the batches stored before are kept, "
                f"and running the same input again completes the archive") from None
        yield from zip(sent, results)

    def close(self) -> None:
        """Stop the workers, then the template server (it would otherwise hold the models
        until this process ends; the next pool starts a new one)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
            from multiprocessing import forkserver

            forkserver._forkserver._stop()
