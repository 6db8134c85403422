"""The ner stage: PER / ORG / LOC / MISC entity spans from the shipped ensemble.

The model (``rasid/models/ner/``, written by ``rasid train ner``, docs/ner.md) is a
feature CRF (python-crfsuite: ``model.crfsuite`` over ``clusters.tsv.gz`` and
``gazetteer.tsv.gz``) and BiLSTM-CRF taggers run in numpy (``nn-*.npz`` over the shared
``vectors.npz``, see ``ner_nn.py``); ``manifest.json`` holds the sha256 of every file.
No GPU, no torch, nothing downloaded. Each model is a linear-chain CRF over the nine BIO
tags (the networks' output layer is one); the tagger takes their weighted product (the
CRF's emission and transition scores with weight ``crf_weight``, the networks sharing the
rest), its posterior for every token, and the best valid BIO path (Viterbi over the log
of the posteriors). Tokens are tagged as given: ``doc.tokens`` per sentence, no
re-tokenisation.

Each entity becomes a Span in ``doc.layers["entities"]``: it starts at the first token's
``base_start`` so that a proclitic و/ب/ل/ف/ك is left out (وباريس -> باريس) and ends at the
last token's end. ``attrs``: ``confidence`` (lowest posterior of the entity's
tags), ``norm`` (normalised form without the proclitics) and ``sentence`` (index).
A second, document-level pass (``propagate_entities``) tags later untagged mentions of
names found elsewhere in the same document (a family name alone, مصطفاي after
إسماعيل عمر مصطفاى).
"""
from __future__ import annotations

import gc
import hashlib
import json
import mmap
from bisect import bisect_left
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import load_wordfreq
from ..doc import Document, Span
from ..packed import load_packed
from ..pipeline import Stage
from .ner_features import (DOC_MAX_FREQ, Resources, TokenBatch, TokenInfo, build_resources, document_features,
                           extract_entities, extract_features, load_clusters, load_gazetteer, make_describer)
from .ner_nn import (TAGS, BiLSTMCRF, ItemCache, LinearCRF, RowCache, WordVectors, flat_marginals, flat_viterbi,
                     read_word_index)

CRF_FILES = ("model.crfsuite", "clusters.tsv.gz", "gazetteer.tsv.gz", "overrides.tsv")
MAP_BYTES = 1 << 20
QUOTES = set('"«»“”\'„')
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
# BIO validity: I-X only after B-X or I-X, never first
_VALID = np.array([[-1e9 if b.startswith("I-") and a[2:] != b[2:] else 0.0 for b in TAGS] for a in TAGS])
_VALID_START = np.array([-1e9 if t.startswith("I-") else 0.0 for t in TAGS])
_VALID_END = np.zeros(len(TAGS))


def best_bio_paths(scores: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """The best valid BIO path (N,) of every sentence whose per-token scores, one sentence
    after the other, are `scores` (N, T): Viterbi under ``_VALID``. Where the best tag of
    every token already makes a valid sequence, that is the best path (the constraint
    costs it nothing), so Viterbi runs only for the sentences where it does not."""
    path = scores.argmax(axis=1)
    if not len(path):
        return path
    lens = np.asarray(lengths)
    offsets = np.cumsum(lens) - lens
    starts = offsets[lens > 0]
    bad = _VALID[np.r_[0, path[:-1]], path] < 0
    bad[starts] = _VALID_START[path[starts]] < 0
    redo = [k for k, n in zip(np.flatnonzero(lens), np.add.reduceat(bad, starts)) if n]
    if redo:
        rows = np.concatenate([np.arange(offsets[k], offsets[k] + lens[k]) for k in redo])
        path[rows] = flat_viterbi(scores[rows], lens[redo].tolist(), _VALID, _VALID_START, _VALID_END)
    return path


class ModelError(RuntimeError):
    pass


def _read_model_dir(model_dir: Path | None) -> tuple[dict[str, bytes], dict]:
    """Every file the manifest lists, checked against its sha256."""
    root = resources.files("rasid.models").joinpath("ner") if model_dir is None else Path(model_dir)
    try:
        manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"no NER model at {root}: run `rasid train ner`") from exc
    listed = manifest.get("files", {})
    missing = [n for n in CRF_FILES if n not in listed]
    if missing:
        raise ModelError(f"{root}/manifest.json lists no {', '.join(missing)}")
    blobs: dict[str, bytes] = {}
    for name, meta in listed.items():
        try:
            data = read_model_file(root.joinpath(name))
        except FileNotFoundError as exc:
            raise ModelError(f"{root}/{name}: listed in manifest.json but missing") from exc
        if meta.get("sha256") != hashlib.sha256(data).hexdigest():
            raise ModelError(f"{name}: sha256 does not match manifest.json")
        blobs[name] = data
    return blobs, manifest


def read_model_file(path) -> bytes:
    """A model file's bytes; a file of `MAP_BYTES` or more on disk memory-mapped (read-only,
    bytes-like): its pages come from the page cache as they are read instead of being
    copied into new memory, which was 0.02-0.05 s of a cold start for the 26 MB of the
    shipped model (the word vectors are then read in place: `ner_nn.read_stored_array`)."""
    if isinstance(path, Path) and path.stat().st_size >= MAP_BYTES:
        with open(path, "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)  # type: ignore[return-value]
    return path.read_bytes()


def pack_resources(blobs: dict[str, bytes] | None = None) -> tuple[dict[str, bytes], Callable[[], Resources]]:
    """The word clusters' and gazetteer's bytes (of the shipped model unless `blobs` are
    given) and the function that builds the feature `Resources` from them: shipped
    pre-built as the pack ``ner-resources`` (``rasid.packed``)."""
    blobs = _read_model_dir(None)[0] if blobs is None else blobs
    sources = {n: blobs[n] for n in ("clusters.tsv.gz", "gazetteer.tsv.gz")}
    return sources, lambda: build_resources(load_clusters(sources["clusters.tsv.gz"]),
                                            load_gazetteer(sources["gazetteer.tsv.gz"]))


def pack_vocab(blobs: dict[str, bytes] | None = None, manifest: dict | None = None
               ) -> tuple[dict[str, bytes], Callable[[], dict[str, int]]]:
    """The networks' word ids (``read_word_index``) of the shared vectors, shipped pre-built
    as the pack ``ner-vocab``: its source is the vectors file's sha256 as the manifest gives
    it (`_read_model_dir` checked the file against it), not the 18 MB file hashed again."""
    if blobs is None or manifest is None:
        blobs, manifest = _read_model_dir(None)
    name = manifest["ensemble"]["vectors"]
    return {f"{name} sha256": manifest["files"][name]["sha256"].encode()}, lambda: read_word_index(blobs[name])


def load_crf(blobs: dict[str, bytes]) -> LinearCRF:
    """The CRF's weights: from ``crf.npz`` (arrays, milliseconds) when the model has one,
    else from ``model.crfsuite`` through crfsuite (a model written before ``crf.npz``)."""
    if "crf.npz" in blobs:
        return LinearCRF.from_npz(blobs["crf.npz"])
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open_inmemory(bytes(blobs["model.crfsuite"]))
    try:
        return LinearCRF.from_tagger(crf)
    finally:
        crf.close()


class NERTagger:
    """Loads the model files once; tags sentences given as token strings.

    `networks` limits the ensemble to its first N networks (0: the CRF alone, about
    twice as fast and about 2 dev F1 points lower; see docs/ner.md); None uses all."""

    def __init__(self, model_dir: Path | None = None, networks: int | None = None):
        blobs, self.manifest = _read_model_dir(model_dir)
        self.resources = load_packed("ner-resources", *pack_resources(blobs))
        self.describe = make_describer(self.resources, cache=0)  # a call's analyses are kept in `_infos`
        self.overrides = load_overrides(blobs["overrides.tsv"])
        self._override_max = max((len(k) for k in self.overrides), default=0)
        self._override_first = {k[0] for k in self.overrides}
        self.crf = load_crf(blobs)  # its weights, read once; tagging runs in numpy
        ens = self.manifest.get("ensemble") or {}
        self.nets: list[BiLSTMCRF] = []
        if ens.get("networks") and networks != 0:
            vectors = WordVectors(blobs[ens["vectors"]], load_packed("ner-vocab", *pack_vocab(blobs, self.manifest)))
            names = ens["networks"] if networks is None else ens["networks"][:max(networks, 0)]
            # one string table for the row caches of every model: a call's strings looked up once
            self.nets = [BiLSTMCRF(blobs[name], vectors, self.crf.slots) for name in names]
        # the analyses of the strings, kept with the models' rows in the same table: they stay and go together
        self._infos = ItemCache(self.describe, self.crf.slots)
        # per string, whether an overrides.tsv phrase can start at it (`_override_sentences`)
        self._override_rows = RowCache(self._may_start_override, slots=self.crf.slots)
        self.crf_weight = float(ens.get("crf_weight", 1.0)) if self.nets else 1.0
        # a CRF trained with document-level features reads them over this many sentences either side
        self.doc_window = int(self.manifest.get("settings", {}).get("doc_features", 0))
        models = [self.crf, *self.nets]
        self.weights = np.array([self.crf_weight] + [(1.0 - self.crf_weight) / max(len(self.nets), 1)] * len(self.nets))
        # the product of the models' sequence distributions: transition, start and end scores mixed once
        self.trans, self.start, self.end = (np.tensordot(self.weights, np.stack([getattr(m, k) for m in models]), 1)
                                            for k in ("trans", "start", "end"))
        # The model is hundreds of thousands of long-lived objects (gazetteer, clusters, word
        # lists). Moved out of the cyclic collector's reach they are no longer re-scanned at
        # every full collection while tagging allocates (a third of the cold tagging time
        # otherwise). They are still freed by reference counting when the tagger goes.
        gc.collect()
        gc.freeze()

    def features(self, tokens: Sequence[str]) -> list[list[str]]:
        return extract_features(tokens, self.describe, self.resources)

    def batch(self, sentences: Sequence[Sequence[str]], doc_sizes: Sequence[int] | None = None) -> TokenBatch:
        """`sentences` as one `TokenBatch`; `doc_sizes`: how many of them each document has,
        in order (the document-level features never look across documents), else one."""
        return TokenBatch(sentences, self.describe, self.resources, self._infos.many, doc_sizes)

    def posteriors(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The ensemble's posterior over ``TAGS`` for every token, (n, 9) per sentence."""
        batch = self.batch(sentences)
        return batch.sentences(self.batch_posteriors(batch))

    def batch_posteriors(self, batch: TokenBatch, doc_window: int | None = None) -> np.ndarray:
        """The ensemble's posteriors (N, 9) of every token of `batch`: the marginals of the
        weighted product of the models' linear-chain distributions (a log-linear pool: the
        CRF's and the networks' emission and transition scores summed with ``weights``), so
        the models are combined over whole tag sequences, not token by token (docs/ner.md,
        "Combining the models"). A CRF (and a network) trained with document-level features
        also reads what the other mentions of a word within `doc_window` sentences show
        (default: the window it was trained with; 0: none, each sentence alone)."""
        crf = self.crf.batch_scores(batch)
        window = self.doc_window if doc_window is None else doc_window
        doc = document_features(batch, window) if window else None
        if doc is not None:
            crf = crf + self.crf.scores(doc)
        scores = self.crf_weight * crf
        for w, net in zip(self.weights[1:], self.nets):
            scores += w * net.batch_emissions(batch, doc)  # a network trained with them reads them too
        return flat_marginals(scores, batch.lengths, self.trans, self.start, self.end)

    def tag_batch(self, sentences: Sequence[Sequence[str]]) -> list[tuple[list[str], list[float]]]:
        """``(BIO tags, confidence per token)`` for each sentence given as token strings."""
        return self.tag_tokens(self.batch(sentences))

    def tag_tokens(self, batch: TokenBatch, doc_window: int | None = None) -> list[tuple[list[str], list[float]]]:
        """``tag_batch`` of the sentences of `batch` (`doc_window`: see ``batch_posteriors``)."""
        post = self.batch_posteriors(batch, doc_window)
        path = best_bio_paths(np.log(post + 1e-12), batch.lengths)
        probs = post[np.arange(len(path)), path].tolist()
        tags = list(map(TAGS.__getitem__, path.tolist()))
        result = []
        overrides = self._override_sentences(batch)
        for k, (infos, norms, tg, pr) in enumerate(zip(*map(batch.sentences, (batch.infos, batch.norms, tags, probs)))):
            for i in self.apply_overrides(infos, tg) if k in overrides else ():
                pr[i] = 0.95  # a curated name: confidence of the list, not of the models
            if "I-PER" in tg:  # else no regnal number to extend
                for i in extend_regnal(norms, tg):
                    pr[i] = pr[i - 1]
            result.append((tg, pr))
        return result

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags (``B-PER`` …) for one sentence given as token strings."""
        return self.tag_batch([tokens])[0][0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], context: int = 0) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (lists of token strings). With
        `context` > 0 the sentences are read as running text: a name found with
        confidence within `context` sentences either side is also tagged where it
        recurs untagged (the document-level pass of the stage, for text with no
        document boundaries)."""
        batch = self.batch(sentences)
        tagged = self.tag_tokens(batch, None if context > 0 else 0)
        tags = [t for t, _ in tagged]
        if context > 0:
            infos = batch.sentences(batch.infos)
            found = [_found_entities(k, infos[k], t, p) for k, (t, p) in enumerate(tagged)]
            for k in range(len(sentences)):
                near = [f for j in range(max(0, k - context), min(len(sentences), k + context + 1)) for f in found[j]]
                for _, start, end, label, _ in propagate_entities([(k, infos[k], tags[k])], near):
                    tags[k][start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
        return tags

    def _override_sentences(self, batch: TokenBatch) -> set[int]:
        """The sentences of `batch` in which an ``overrides.tsv`` phrase can start (a token's
        key or base is a phrase's first word): whether one can start at a string is kept
        with the string's rows (`_override_rows`, asked only for new strings: reading every
        string's analysis again cost ~0.15 ms an article, scattered objects in memory)."""
        if not batch.strings:
            return set()
        cache = self._override_rows
        ids = cache.ids(batch.strings, batch.string_infos)  # first: it may make the matrix
        can = cache.rows[ids, 0]  # per distinct string
        if not can.any():
            return set()
        at = np.flatnonzero(can[batch.string_of])  # the tokens that can start one
        return set(np.searchsorted(batch.ends, at, side="right").tolist())

    def _may_start_override(self, infos: Sequence[TokenInfo]) -> np.ndarray:
        """(n, 1): whether an ``overrides.tsv`` phrase can start at each analysis."""
        firsts = self._override_first
        return np.array([[x.key in firsts or x.base in firsts] for x in infos], bool).reshape(-1, 1)

    def apply_overrides(self, infos: Sequence[TokenInfo], tags: list[str]) -> list[int]:
        """Force the tags of `overrides.tsv` phrases in place (a sentence given as its
        tokens' analyses); return the positions changed. The tagger asks only for the
        sentences where one can start (`_override_sentences`)."""
        firsts_known = self._override_first
        changed: list[int] = []
        i, n = 0, len(infos)
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
            while j < n and tags[j].startswith("I-"):  # a longer model entity is cut here
                tags[j] = "O"
                changed.append(j)
                j += 1
            i += L
        return changed


# ordinals 1-9 (and الحادي) that take عشر in a regnal number: لويس الرابع عشر
_ORDINALS = frozenset(normalize_name(w) for w in
                      "الأول الحادي الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع".split())
_TEEN = normalize_name("عشر")


def extend_regnal(norms: Sequence[str], tags: list[str]) -> list[int]:
    """A person's name that ends in an ordinal takes the عشر after it (ألفونسو الثالث عشر,
    بنديكت السادس عشر): the models end the name at the ordinal. Changes `tags` in place;
    returns the positions changed."""
    changed = []
    for i in range(1, len(tags)):
        if tags[i] == "O" and tags[i - 1] == "I-PER" and norms[i] == _TEEN and norms[i - 1] in _ORDINALS:
            tags[i] = "I-PER"
            changed.append(i)
    return changed


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


def load_tagger(model_dir: Path | None = None, networks: int | None = None) -> NERTagger:
    """The shipped tagger (cached) or one loaded from `model_dir`."""
    global _DEFAULT
    if model_dir is not None or networks is not None:
        return NERTagger(model_dir, networks)
    if _DEFAULT is None:
        _DEFAULT = NERTagger()
    return _DEFAULT


def tag_sentences(sentences: Sequence[Sequence[str]], model_dir: Path | None = None) -> list[list[str]]:
    """Tag pre-tokenised sentences (lists of token strings) -> BIO tags."""
    return load_tagger(model_dir).tag_sentences(sentences)


#: Longest stretch of tokens tagged as one sequence. A longer sentence (a run-on text with
#: no full stops, ``x/x/x/...``) is tagged in pieces of this size: the networks then run
#: over full batches instead of one sequence of thousands of steps, and the time stays
#: linear in the text. Real sentences are far shorter (ANERcorp's longest: ~150 tokens).
MAX_SEQUENCE_TOKENS = 200


def group_tokens_by_sentence(doc: Document, max_tokens: int = MAX_SEQUENCE_TOKENS) -> list[tuple[int, list]]:
    """``[(sentence index, tokens)]``; tokens outside every sentence get index -1 groups;
    a group over `max_tokens` tokens is cut into pieces (all with the sentence's index)."""
    return [(idx, toks[i:i + max_tokens]) for idx, toks in _sentence_groups(doc)
            for i in range(0, len(toks), max_tokens)]


def _sentence_groups(doc: Document) -> list[tuple[int, list]]:
    """Runs of tokens by the sentence their start falls in (-1: none), found by bisection."""
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    groups: list[tuple[int, list]] = []

    def add(idx: int, lo: int, hi: int) -> None:
        if hi > lo:
            if groups and groups[-1][0] == idx:  # tokens outside sentences on both sides of an empty one
                groups[-1][1].extend(tokens[lo:hi])
            else:
                groups.append((idx, tokens[lo:hi]))

    at = 0
    for si, sent in enumerate(doc.sentences):
        lo = bisect_left(starts, sent.start, at)
        hi = max(lo, bisect_left(starts, sent.end, lo))
        add(-1, at, lo)
        add(si, lo, hi)
        at = hi
    add(-1, at, len(tokens))
    return groups


def _entity_norm(tokens: list) -> str:
    first = tokens[0]
    parts = [first.base if first.kind == "word" else first.norm]
    parts.extend(t.norm for t in tokens[1:])
    return " ".join(parts)


class NERStage(Stage):
    name = "ner"
    reads = ("tokens", "sentences")
    writes = ("entities",)

    def __init__(self, model_dir: Path | None = None, propagate: bool = True, networks: int | None = None):
        self.tagger = load_tagger(model_dir, networks)
        self.propagate = propagate

    def __call__(self, doc: Document) -> Document:
        (out,) = self.pipe([doc])
        return out

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        """The documents, each given its entities: the sentences of all of them tagged as one
        batch (the CRF's scores, the networks' recurrence and forward-backward run once per
        batch, not once per article: docs/speed.md, "Batched NER across articles"), the
        document-level features and pass per document. Nothing is written before every
        document's entities are found, so a failure changes no document (`Stage.pipe`)."""
        docs = list(docs)
        groups = [group_tokens_by_sentence(doc) for doc in docs]
        batch = self.tagger.batch([[t.text for t in toks] for g in groups for _, toks in g],
                                  [len(g) for g in groups])
        tagged = self.tagger.tag_tokens(batch)
        infos = batch.sentences(batch.infos)
        found, at = [], 0
        for g in groups:
            found.append(self.entities(g, infos[at:at + len(g)], tagged[at:at + len(g)]))
            at += len(g)
        for doc, spans in zip(docs, found):
            doc.layers.setdefault("entities", []).extend(spans)
        return docs

    def entities(self, groups: list[tuple[int, list]], infos: list, tagged: list) -> list[Span]:
        """The entity spans of one document, in order: its token groups
        (`group_tokens_by_sentence`), their tokens' analyses and ``(tags, confidences)``."""
        found = [f for k, (tags, probs) in enumerate(tagged) for f in _found_entities(k, infos[k], tags, probs)]
        if self.propagate:
            found.extend(propagate_entities([(k, infos[k], tags) for k, (tags, _) in enumerate(tagged)], found))
        spans = []
        for k, start, end, label, conf, *_ in sorted(found, key=lambda f: groups[f[0]][1][f[1]].start):
            sent_idx, toks = groups[k]
            ents = toks[start:end]
            spans.append(
                Span(
                    entity_start(ents[0]),
                    ents[-1].end,
                    label,
                    {"confidence": round(conf, 4), "norm": _entity_norm(ents), "sentence": sent_idx},
                )
            )
        return spans


def entity_start(tok) -> int:
    """Where an entity starting with `tok` starts: after its proclitics (وباريس -> باريس).
    When the base is not a substring of the token (للولايات: ل + الولايات with the alef
    elided) the whole token is kept; ``norm`` still gives the clean form."""
    if tok.kind != "word" or tok.base_start == tok.start:
        return tok.start
    if normalize_name(tok.text[tok.base_start - tok.start:]) == tok.base:
        return tok.base_start
    return tok.start


def _key(infos: Sequence[TokenInfo]) -> tuple[str, ...]:
    """A name's lookup key: first word without proclitics, the others normalised."""
    return (infos[0].key,) + tuple(x.norm for x in infos[1:])


def _found_entities(k: int, infos: Sequence[TokenInfo], tags: Sequence[str], probs: Sequence[float]) -> list:
    """``(sentence k, start, end, label, confidence, key, last token info)`` per entity."""
    return [(k, s, e, label, min(probs[s:e]), _key(infos[s:e]), infos[e - 1]) for s, e, label in extract_entities(tags)]


def propagate_entities(tagged: list, found: list, min_conf: float = 0.6, max_freq: int = DOC_MAX_FREQ) -> list:
    """Second, document-level pass: a name found with confidence is also tagged where it
    recurs untagged in the same document (one sense per discourse), and the last word of
    a multi-word person name (a family name: هولاند, مصطفاي) is tagged PER when it recurs
    alone. Very common words are never propagated. Confidence is the source's x0.8.

    `tagged`: ``(sentence k, token infos, tags)``; `found`: ``_found_entities`` rows.
    Returns new ``(k, start, end, label, confidence)`` rows; `tags` are not changed."""
    freq = load_wordfreq()
    keys: dict[tuple[str, ...], tuple[str, float]] = {}
    for _, start, end, label, conf, key, last in found:
        if conf < min_conf:
            continue
        if key not in keys or keys[key][1] < conf:
            keys[key] = (label, conf)
        if label == "PER" and end - start > 1 and len(last.base) >= 3 and last.base[:1].isalpha():
            if freq.get(last.base, 0) < max_freq and (last.base,) not in keys:
                keys[(last.base,)] = ("PER", conf)
    keys = {k: v for k, v in keys.items() if len(k) > 1 or freq.get(k[0], 0) < max_freq}
    if not keys:
        return []
    lengths: dict[str, list[int]] = {}  # first word -> the name lengths to try, longest first
    for key in keys:
        lengths.setdefault(key[0], []).append(len(key))
    for v in lengths.values():
        v.sort(reverse=True)
    out = []
    for k, infos, tags in tagged:
        i = 0
        while i < len(infos):
            hit = None
            if tags[i] == "O" and infos[i].key in lengths:
                for L in lengths[infos[i].key]:
                    if i + L > len(infos):
                        continue
                    if all(t == "O" for t in tags[i:i + L]) and (i + L == len(tags) or not tags[i + L].startswith("I-")):
                        got = keys.get(_key(infos[i:i + L]))
                        if got:
                            hit = (L, got)
                            break
            if hit:
                L, (label, conf) = hit
                out.append((k, i, i + L, label, conf * 0.8))
                i += L
            else:
                i += 1
    return out
