"""The tokenize stage: tokens and sentences, computed once per document."""
from __future__ import annotations

from ..arabic.sentences import split_sentences
from ..arabic.tokenize import tokenize
from ..doc import Document
from ..pipeline import Stage


class TokenizeStage(Stage):
    name = "tokenize"
    writes = ("tokens", "sentences")

    def __call__(self, doc: Document) -> Document:
        doc.tokens = tokenize(doc.text)
        doc.layers["sentences"] = split_sentences(doc.text)
        return doc
