"""Pipeline: small named stages over one Document.

Each stage declares what it ``requires`` and ``provides`` (layer names, plus "tokens");
`Pipeline` checks the order when it is built, so a stage never runs before the layers
it reads exist, and no stage re-parses what another already parsed.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from .doc import Document, check_article_size


class Stage:
    name: str = "stage"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


class PipelineError(ValueError):
    pass


class Pipeline:
    def __init__(self, stages: list[Stage]):
        have: set[str] = set()
        for stage in stages:
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {missing}, which no earlier stage provides"
                )
            have.update(stage.provides)
        self.stages = stages

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        """Run every stage; `rasid.doc.ArticleTooLong` for a text over MAX_ARTICLE_CHARS."""
        check_article_size(doc.text, doc.origin)
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)
