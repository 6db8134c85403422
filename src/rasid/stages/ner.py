"""The ner stage: PER / ORG / LOC / MISC entity spans from a shipped CRF model.

The model (``rasid/models/ner/``: ``model.crfsuite``, ``clusters.tsv.gz``,
``gazetteer.tsv.gz``, ``manifest.json`` with sha256 of each) is trained by
``rasid train ner`` (docs/ner.md). It runs per sentence over ``doc.tokens`` (no
re-tokenisation) with python-crfsuite: no GPU, no torch, nothing downloaded.

Each entity becomes a Span in ``doc.layers["entities"]``: it starts at the first token's
``base_start`` so that a proclitic و/ب/ل/ف/ك is left out (وباريس -> باريس) and ends at the
last token's end. ``attrs``: ``confidence`` (lowest marginal probability of the entity's
tags), ``norm`` (normalised form without the proclitics) and ``sentence`` (index).
A second, document-level pass (``propagate_entities``) tags later untagged mentions of
names found earlier in the same document (a family name alone, مصطفاي after
إسماعيل عمر مصطفاى).
"""
from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Sequence

import pycrfsuite

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import load_wordfreq
from ..doc import Document, Span
from ..pipeline import Stage
from .ner_features import build_resources, extract_entities, extract_features, load_clusters, load_gazetteer, make_describer

MODEL_FILES = ("model.crfsuite", "clusters.tsv.gz", "gazetteer.tsv.gz", "overrides.tsv")
QUOTES = set('"«»“”\'„')


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
        self.overrides = load_overrides(blobs["overrides.tsv"])
        self._override_max = max((len(k) for k in self.overrides), default=0)
        self._override_first = {k[0] for k in self.overrides}
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def features(self, tokens: Sequence[str]) -> list[list[str]]:
        return extract_features(tokens, self.describe, self.resources)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER`` …) for one sentence given as token strings."""
        if not tokens:
            return []
        tags = self._tagger.tag(self.features(tokens))
        self.apply_overrides(tokens, tags)
        return tags

    def apply_overrides(self, tokens: Sequence[str], tags: list[str]) -> list[int]:
        """Force the tags of `overrides.tsv` phrases in place; return the positions changed."""
        if not self.overrides:
            return []
        infos = [self.describe(t) for t in tokens]
        firsts_known = self._override_first
        if not any(x.key in firsts_known or x.base in firsts_known for x in infos):
            return []
        changed: list[int] = []
        i, n = 0, len(tokens)
        while i < n:
            hit = None
            if infos[i].key not in firsts_known and infos[i].base not in firsts_known:
                i += 1
                continue
            for L in range(min(self._override_max, n - i), 0, -1):
                firsts = (infos[i].key, infos[i].base)
                for first in firsts:
                    got = self.overrides.get((first,) + tuple(x.norm for x in infos[i + 1:i + L]))
                    if got and (not got[1] or _after_org_head(infos, i)):
                        hit = (L, got[0])
                        break
                if hit:
                    break
            if not hit:
                i += 1
                continue
            L, label = hit
            new = [f"B-{label}"] + [f"I-{label}"] * (L - 1)
            if tags[i:i + L] != new:
                tags[i:i + L] = new
                changed.extend(range(i, i + L))
            j = i + L
            while j < n and tags[j].startswith("I-"):  # a longer CRF entity is cut here
                tags[j] = "O"
                changed.append(j)
                j += 1
            i += L
        return changed

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (lists of token strings)."""
        return [self.tag(s) for s in sentences]

    def tag_with_marginals(self, tokens: Sequence[str]) -> tuple[list[str], list[float]]:
        if not tokens:
            return [], []
        tags = self._tagger.tag(self.features(tokens))
        probs = [self._tagger.marginal(t, i) for i, t in enumerate(tags)]
        for i in self.apply_overrides(tokens, tags):
            probs[i] = 0.95  # a curated name: confidence of the list, not of the CRF
        return tags, probs


def load_overrides(raw: bytes) -> dict[tuple[str, ...], tuple[str, bool]]:
    """``overrides.tsv``: type, normalised phrase, optional ``trigger`` condition."""
    out: dict[tuple[str, ...], tuple[str, bool]] = {}
    for line in raw.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, phrase, *rest = line.split("\t")
        out[tuple(phrase.split())] = (label, bool(rest and rest[0] == "trigger"))
    return out


def _after_org_head(infos: list, i: int) -> bool:
    j = i - 1
    while j >= 0 and infos[j].norm in QUOTES:
        j -= 1
    return j >= 0 and infos[j].trig == "ORG"


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

    def __init__(self, model_dir: Path | None = None, propagate: bool = True):
        self.tagger = load_tagger(model_dir)
        self.propagate = propagate

    def __call__(self, doc: Document) -> Document:
        spans = doc.layers.setdefault("entities", [])
        tagged = []
        for sent_idx, toks in group_tokens_by_sentence(doc):
            tags, probs = self.tagger.tag_with_marginals([t.text for t in toks])
            tagged.append((sent_idx, toks, tags, probs))
        found: list[tuple[int, list, int, int, str, float]] = []
        for sent_idx, toks, tags, probs in tagged:
            for start, end, label in extract_entities(tags):
                found.append((sent_idx, toks, start, end, label, min(probs[start:end])))
        if self.propagate:
            found.extend(propagate_entities(tagged, found))
        for sent_idx, toks, start, end, label, conf in sorted(found, key=lambda f: f[1][f[2]].start):
            ents = toks[start:end]
            spans.append(
                Span(
                    entity_start(ents[0]),
                    ents[-1].end,
                    label,
                    {"confidence": round(conf, 4), "norm": _entity_norm(ents), "sentence": sent_idx},
                )
            )
        return doc


def entity_start(tok) -> int:
    """Where an entity starting with `tok` starts: after its proclitics (وباريس -> باريس).
    When the base is not a substring of the token (للولايات: ل + الولايات with the alef
    elided) the whole token is kept; ``norm`` still gives the clean form."""
    if tok.kind != "word" or tok.base_start == tok.start:
        return tok.start
    if normalize_name(tok.text[tok.base_start - tok.start:]) == tok.base:
        return tok.base_start
    return tok.start


def _key(toks: list) -> tuple[str, ...]:
    first = toks[0].base if toks[0].kind == "word" else toks[0].norm
    return (first,) + tuple(t.norm for t in toks[1:])


def propagate_entities(tagged: list, found: list, min_conf: float = 0.6, max_freq: int = 3000) -> list:
    """Second, document-level pass: a name the model found with confidence is also tagged
    where it recurs untagged in the same document (one-sense-per-discourse), and the last
    word of a multi-word person name (a family name: هولاند, مصطفاي) is tagged PER when it
    recurs alone. Very common words are never propagated. Confidence is the source's x0.8."""
    freq = load_wordfreq()
    keys: dict[tuple[str, ...], tuple[str, float]] = {}
    for _, toks, start, end, label, conf in found:
        if conf < min_conf:
            continue
        ents = toks[start:end]
        key = _key(ents)
        if key not in keys or keys[key][1] < conf:
            keys[key] = (label, conf)
        last = ents[-1]
        if label == "PER" and len(ents) > 1 and last.kind == "word" and len(last.base) >= 3:
            if freq.get(last.base, 0) < max_freq and (last.base,) not in keys:
                keys[(last.base,)] = ("PER", conf)
    keys = {k: v for k, v in keys.items() if len(k) > 1 or freq.get(k[0], 0) < max_freq}
    if not keys:
        return []
    max_len = max(map(len, keys))
    out = []
    for sent_idx, toks, tags, _ in tagged:
        i = 0
        while i < len(toks):
            hit = None
            if tags[i] == "O" and toks[i].kind == "word":
                for L in range(min(max_len, len(toks) - i), 0, -1):
                    if all(t == "O" for t in tags[i:i + L]) and (i + L == len(tags) or not tags[i + L].startswith("I-")):
                        got = keys.get(_key(toks[i:i + L]))
                        if got:
                            hit = (L, got)
                            break
            if hit:
                L, (label, conf) = hit
                out.append((sent_idx, toks, i, i + L, label, conf * 0.8))
                i += L
            else:
                i += 1
    return out
