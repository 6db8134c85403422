"""Pipeline: small named stages over one Document, found by name in a registry.

Each stage declares the layers it ``reads`` and ``writes`` (layer names, plus the pseudo-layers
``tokens`` and ``meta``). `Pipeline` checks the order when it is built, so a stage never runs
before the layers it reads exist. In strict mode (``strict=True``, or the ``strict_stages``
setting, which the tests turn on) it also checks, after every stage, that the stage returned
the Document it was given and changed only the layers it declares.

After each stage the pipeline gives every new span of the layers the stage writes a stable id
(`rasid.doc.assign_span_ids`: ``entities:1``, ``entities:2``, ... in document order).

Stages are registered by name with `register_stage`: either lazily, as ``"module:Class"``
(imported only when a pipeline uses the stage, so ``import rasid`` stays cheap), or as a
decorator on the class. `create_stage(name)` builds one.
"""
from __future__ import annotations

import copy
import importlib
import itertools
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .doc import Document, assign_span_ids, check_article_size

#: Names a stage may read or write that are not layers of ``doc.layers``.
PSEUDO_LAYERS = ("tokens", "meta")


class Stage:
    name: str = "stage"
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """``requires`` / ``provides`` (the older names) are aliases of ``reads`` / ``writes``."""
        super().__init_subclass__(**kwargs)
        if "requires" in cls.__dict__ and "reads" not in cls.__dict__:
            cls.reads = tuple(cls.__dict__["requires"])
        if "provides" in cls.__dict__ and "writes" not in cls.__dict__:
            cls.writes = tuple(cls.__dict__["provides"])

    @property
    def requires(self) -> tuple[str, ...]:
        return self.reads

    @property
    def provides(self) -> tuple[str, ...]:
        return self.writes

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """``self(doc)`` of each document. A stage that overrides it (a batched one: `NERStage`)
        gets whole chunks from `Pipeline.pipe` and yields each document it was given, in
        order; when it raises, it must have changed none of them (compute first, write
        last): the pipeline then runs ``self(doc)`` on each to find the one that failed."""
        for doc in docs:
            yield self(doc)


class PipelineError(ValueError):
    pass


# -- the registry -----------------------------------------------------------------------------
@dataclass
class StageEntry:
    name: str
    #: ``"package.module:Class"`` (imported on first use) or the class itself
    target: str | type
    #: part of the default pipeline (`default_stage_names`)
    default: bool = True


STAGES: dict[str, StageEntry] = {}


def register_stage(name: str, target: str | type | None = None, default: bool = True) -> Any:
    """Register a stage: ``register_stage("events", "rasid.stages.events:EventStage")``, or
    as a class decorator, ``@register_stage("events")``. Stages run in the order of their
    registration in the default pipeline; ``default=False`` keeps one out of it."""
    if ":" in name or not name:
        raise ValueError(f"bad stage name {name!r}")

    def add(cls_or_path: str | type) -> Any:
        if name in STAGES and STAGES[name].target != cls_or_path:
            raise ValueError(f"stage {name!r} is registered twice")
        STAGES[name] = StageEntry(name, cls_or_path, default)
        return cls_or_path

    if target is None:
        return add
    return add(target)


def default_stage_names() -> tuple[str, ...]:
    return tuple(e.name for e in STAGES.values() if e.default)


def load_stage_class(name: str) -> type:
    entry = STAGES.get(name)
    if entry is None:
        raise ValueError(f"unknown stage {name!r}; known: {', '.join(STAGES)}")
    if isinstance(entry.target, str):
        module, _, attr = entry.target.partition(":")
        entry.target = getattr(importlib.import_module(module), attr)
    cls = entry.target
    if not (isinstance(cls, type) and issubclass(cls, Stage)):
        raise TypeError(f"stage {name!r} is registered as {cls!r}, which is not a Stage")
    if cls.name != name:
        raise TypeError(f"stage {name!r} is registered as {cls.__name__}, named {cls.name!r}")
    return cls


def create_stage(name: str, **kwargs: Any) -> Stage:
    return load_stage_class(name)(**kwargs)


# -- the pipeline -----------------------------------------------------------------------------
def check_stage_order(stages: list[Stage]) -> None:
    """Every layer a stage reads is written by an earlier stage."""
    have: set[str] = set()
    for stage in stages:
        missing = [r for r in stage.reads if r not in have]
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} reads {missing}, which no earlier stage writes"
            )
        have.update(stage.writes)


def snapshot_document(doc: Document) -> dict[str, Any]:
    """A deep copy of what a stage may change, by layer name (for strict mode)."""
    snap: dict[str, Any] = {name: copy.deepcopy(spans) for name, spans in doc.layers.items()}
    snap["tokens"] = copy.deepcopy(doc.tokens)
    snap["meta"] = copy.deepcopy(doc.meta)
    snap["document"] = (doc.text, doc.title, doc.url, doc.source, doc.author, doc.published,
                        doc.summary, copy.deepcopy(doc.images), doc.origin, doc.id)
    return snap


def find_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class Pipeline:
    def __init__(self, stages: list[Stage], strict: bool | None = None):
        check_stage_order(stages)
        for stage in stages:
            bad = [w for w in stage.writes if w == "document" or ":" in w]
            if bad:
                raise PipelineError(f"stage {stage.name!r} writes {bad}: not a layer name")
        self.stages = stages
        #: called with (stage name, document) as each stage starts: the progress line of a
        #: long article (`rasid analyze --progress`, `rasid ingest --workers 1`)
        self.on_stage: Callable[[str, Document], None] | None = None
        if strict is None:
            from .settings import get_setting

            strict = bool(get_setting("strict_stages"))
        self.strict = strict

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        """Run every stage; `rasid.doc.ArticleTooLong` for a text over MAX_ARTICLE_CHARS."""
        (out,) = self.run_chunk([doc])
        if isinstance(out, Exception):
            raise out
        return out

    def pipe(self, docs: Iterable[Document], chunk: int | None = None) -> Iterator[Document]:
        """``self(doc)`` of every document, in order, run over chunks of `chunk` documents
        (default: the ``ner_batch_articles`` setting) stage by stage (`run_chunk`): a
        batched stage (`NERStage`) tags a whole chunk at once. Raises the first failure."""
        docs, size = iter(docs), chunk or chunk_size()
        while batch := list(itertools.islice(docs, size)):
            for out in self.run_chunk(batch):
                if isinstance(out, Exception):
                    raise out
                yield out

    def run_chunk(self, docs: list[Document]) -> list[Document | Exception]:
        """Every stage over `docs`, stage by stage (`run_stage_chunk`): each document
        analysed, or the exception that stopped it (a text over MAX_ARTICLE_CHARS, a stage
        that raised on it), which takes it out of the chunk; the others go on, each with
        the layers `self(doc)` would give it."""
        results: list[Document | Exception] = list(docs)
        for k, doc in enumerate(docs):
            try:
                check_article_size(doc.text, doc.origin)
            except Exception as exc:
                results[k] = exc
        for stage in self.stages:
            live = [k for k, out in enumerate(results) if not isinstance(out, Exception)]
            if not live:
                break
            for k, out in zip(live, self.run_stage_chunk(stage, [results[k] for k in live])):
                results[k] = out
        return results

    def run_stage_chunk(self, stage: Stage, docs: list[Document]) -> list[Document | Exception]:
        """`stage` over `docs`: its `Stage.pipe` over all of them when it has its own (a
        batched stage), else `run_stage` on each; a document it raised on gets the exception.
        A batched `pipe` that raises changed no document (`Stage.pipe`), so the stage then
        runs on each document alone, which tells the one that failed, with the error
        ``self(doc)`` gives. Strict mode checks each document, and span ids are given per
        document, as `run_stage` does."""
        if self.on_stage is not None:
            for doc in docs:
                self.on_stage(stage.name, doc)
        if len(docs) > 1 and type(stage).pipe is not Stage.pipe:
            before = [snapshot_document(doc) for doc in docs] if self.strict else [None] * len(docs)
            try:
                outs = list(stage.pipe(docs))
            except Exception:
                pass
            else:
                if len(outs) != len(docs):
                    raise PipelineError(f"stage {stage.name!r} gave {len(outs)} documents for {len(docs)}")
                return [_returned(self.finish_stage, stage, doc, out, snap)
                        for doc, out, snap in zip(docs, outs, before)]
        return [_returned(self.run_stage, stage, doc) for doc in docs]

    def run_stage(self, stage: Stage, doc: Document) -> Document:
        before = snapshot_document(doc) if self.strict else None
        return self.finish_stage(stage, doc, stage(doc), before)

    def finish_stage(self, stage: Stage, doc: Document, out: Document,
                     before: dict[str, Any] | None = None) -> Document:
        """`out`, what `stage` returned for `doc`, with ids on its new spans; in strict mode
        (`before`: the snapshot of `doc` before the stage) checked first."""
        if before is not None:
            if out is not doc:
                raise PipelineError(f"stage {stage.name!r} returned another Document than "
                                    "the one it was given")
            undeclared = [k for k in find_changes(before, snapshot_document(doc))
                          if k not in stage.writes]
            if undeclared:
                raise PipelineError(f"stage {stage.name!r} changed {undeclared}, which it does "
                                    f"not declare (writes {list(stage.writes)})")
        for layer in stage.writes:
            if layer not in PSEUDO_LAYERS and layer in out.layers:
                assign_span_ids(out, layer)
        return out


def _returned(run: Callable[..., Document], *args: Any) -> Document | Exception:
    """``run(*args)``, or the exception it raised."""
    try:
        return run(*args)
    except Exception as exc:
        return exc


def chunk_size() -> int:
    """Documents analysed together (`Pipeline.pipe`): the ``ner_batch_articles`` setting."""
    from .settings import get_setting

    return int(get_setting("ner_batch_articles"))
