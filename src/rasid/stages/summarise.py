"""The summarise stage: the k best sentences of the article into ``doc.layers["summary"]``.

Spans have label ``SUMMARY`` and attrs ``rank`` (0 = best), ``score`` and ``sentence``
(index in ``doc.sentences``); they are stored in text order. ``doc.summary`` (a summary
supplied by the publisher) is left untouched.
"""
from __future__ import annotations

from ..doc import Document
from ..pipeline import Stage
from ..summarise.extractive import DEFAULT_CONFIG, SummaryConfig, summarise_document


class SummaryStage(Stage):
    name = "summarise"
    reads = ("tokens", "sentences")
    writes = ("summary",)

    def __init__(self, k: int = 3, config: SummaryConfig = DEFAULT_CONFIG):
        self.k = k
        self.config = config

    def __call__(self, doc: Document) -> Document:
        spans = summarise_document(doc, self.k, self.config)
        doc.layers["summary"] = sorted(spans, key=lambda s: s.start)
        return doc
