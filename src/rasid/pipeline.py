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
        check_article_size(doc.text, doc.origin)
        for stage in self.stages:
            if self.on_stage is not None:
                self.on_stage(stage.name, doc)
            doc = self.run_stage(stage, doc)
        return doc

    def run_stage(self, stage: Stage, doc: Document) -> Document:
        if not self.strict:
            out = stage(doc)
        else:
            before = snapshot_document(doc)
            out = stage(doc)
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

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)

