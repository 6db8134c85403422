"""The ner stage: PER / ORG / LOC / MISC entity spans from a shipped CRF model.

The model (``rasid/models/ner/``: ``model.crfsuite``, ``clusters.tsv.gz``,
``gazetteer.tsv.gz``, ``manifest.json`` with sha256 of each) is trained by
``rasid train ner`` (docs/ner.md). It runs per sentence over ``doc.tokens`` (no
re-tokenisation) with python-crfsuite: no GPU, no torch, nothing downloaded.

Each entity becomes a Span in ``doc.layers["entities"]``: it starts at the first token's
``base_start`` so that a proclitic و/ب/ل/ف/ك is left out (وباريس -> باريس) and ends at the
last token's end. ``attrs``: ``confidence`` (lowest marginal probability of the entity's
tags), ``norm`` (normalised form without the proclitics) and ``sentence`` (index).
"""
from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Sequence

import pycrfsuite

from ..doc import Document, Span
from ..pipeline import Stage
from .ner_features import build_resources, extract_entities, extract_features, load_clusters, load_gazetteer, make_describer

MODEL_FILES = ("model.crfsuite", "clusters.tsv.gz", "gazetteer.tsv.gz")


class ModelError(RuntimeError):
    pass


def _read_model_dir(model_dir: Path | None, stack: ExitStack) -> tuple[dict[str, bytes], Path, dict]:
    if model_dir is None:
        root = resources.files("rasid.models").joinpath("ner")
    else:
        root = Path(model_dir)
    try:
        manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"no NER model at {root}: run `rasid train ner`") from exc
    blobs: dict[str, bytes] = {}
    for name in MODEL_FILES:
        data = root.joinpath(name).read_bytes()
        want = manifest.get("files", {}).get(name, {}).get("sha256")
        if want != hashlib.sha256(data).hexdigest():
            raise ModelError(f"{name}: sha256 does not match manifest.json")
        blobs[name] = data
    model_path = stack.enter_context(resources.as_file(root.joinpath("model.crfsuite")))
    return blobs, Path(model_path), manifest


class NERTagger:
    """Loads the model files once; tags sentences given as token strings."""

    def __init__(self, model_dir: Path | None = None):
        self._stack = ExitStack()
        blobs, model_path, self.manifest = _read_model_dir(model_dir, self._stack)
        self.resources = build_resources(
            load_clusters(blobs["clusters.tsv.gz"]), load_gazetteer(blobs["gazetteer.tsv.gz"])
        )
        self.describe = make_describer(self.resources)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def features(self, tokens: Sequence[str]) -> list[list[str]]:
        return extract_features(tokens, self.describe, self.resources)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER`` …) for one sentence given as token strings."""
        if not tokens:
            return []
        return self._tagger.tag(self.features(tokens))

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (lists of token strings)."""
        return [self.tag(s) for s in sentences]

    def tag_with_marginals(self, tokens: Sequence[str]) -> tuple[list[str], list[float]]:
        if not tokens:
            return [], []
        tags = self._tagger.tag(self.features(tokens))
        probs = [self._tagger.marginal(t, i) for i, t in enumerate(tags)]
        return tags, probs


_DEFAULT: NERTagger | None = None


def load_tagger(model_dir: Path | None = None) -> NERTagger:
    """The shipped tagger (cached) or one loaded from `model_dir`."""
    global _DEFAULT
    if model_dir is not None:
        return NERTagger(model_dir)
    if _DEFAULT is None:
        _DEFAULT = NERTagger()
    return _DEFAULT


def tag_sentences(sentences: Sequence[Sequence[str]], model_dir: Path | None = None) -> list[list[str]]:
    """Tag pre-tokenised sentences (lists of token strings) -> BIO tags."""
    return load_tagger(model_dir).tag_sentences(sentences)


def group_tokens_by_sentence(doc: Document) -> list[tuple[int, list]]:
    """``[(sentence index, tokens)]``; tokens outside every sentence get index -1 groups."""
    groups: list[tuple[int, list]] = []
    sents = doc.sentences
    si = 0
    current: list = []
    current_idx = None
    for tok in doc.tokens:
        while si < len(sents) and sents[si].end <= tok.start:
            si += 1
        idx = si if si < len(sents) and sents[si].start <= tok.start else -1
        if idx != current_idx and current:
            groups.append((current_idx, current))
            current = []
        current_idx = idx
        current.append(tok)
    if current:
        groups.append((current_idx, current))
    return groups


def _entity_norm(tokens: list) -> str:
    first = tokens[0]
    parts = [first.base if first.kind == "word" else first.norm]
    parts.extend(t.norm for t in tokens[1:])
    return " ".join(parts)


class NERStage(Stage):
    name = "ner"
    requires = ("tokens", "sentences")
    provides = ("entities",)

    def __init__(self, model_dir: Path | None = None):
        self.tagger = load_tagger(model_dir)

    def __call__(self, doc: Document) -> Document:
        spans = doc.layers.setdefault("entities", [])
        for sent_idx, toks in group_tokens_by_sentence(doc):
            tags, probs = self.tagger.tag_with_marginals([t.text for t in toks])
            for start, end, label in extract_entities(tags):
                ents = toks[start:end]
                spans.append(
                    Span(
                        ents[0].base_start,
                        ents[-1].end,
                        label,
                        {
                            "confidence": round(min(probs[start:end]), 4),
                            "norm": _entity_norm(ents),
                            "sentence": sent_idx,
                        },
                    )
                )
        return doc
