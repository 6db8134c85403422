"""A BiLSTM-CRF named-entity tagger that runs in numpy (no torch at run time).

Trained by ``rasid train ner`` with torch (``src/rasid/train/ner_nn.py``); each network
ships as ``models/ner/nn-N.npz`` over the shared word vectors ``vectors.npz``. Each token
is the concatenation of

* its word2vec vector (SaudiNewsNet; the 100k most frequent words), looked up by the base
  form (proclitics stripped), then the stem, the normalised form and the
  proclitic-stripped alternatives. Training fine-tunes only the rows of words it sees
  (the network file keeps those rows) and replaces 10% of the words by "unknown", so
  that the characters and features must carry names never seen;
* a character CNN over the normalised token (32-d characters, 64 filters of width 3,
  max-pooled);
* a projection of the discrete features the CRF also uses (gazetteer B/I/1 per type,
  trigger words, clitic, article, shape, length and frequency bucket, ``ptrig``; in a
  network trained with ``--doc-features W`` also the document-level ones, which the caller
  passes: ``batch_emissions(batch, doc)``),

fed to one bidirectional LSTM and a CRF layer. Inference is batched over the tokens of a
call (``TokenBatch``: every sentence, one after the other): the per-token inputs (word
vector, character CNN, own features) times the LSTM's input weights are cached per token
string in one matrix (``RowCache``), and only the rows of tokens with gazetteer or
``ptrig`` features are corrected per call; the LSTM runs over length-sorted batches, both
directions together, one batched product per time step.
``LinearCRF`` computes the feature CRF's scores from its weights; ``ner.py`` sums the
models' weighted scores into one linear-chain model, whose posteriors forward-backward
gives (``flat_marginals``), and takes the best path (``flat_viterbi``).
"""
from __future__ import annotations

import copy
import io
import mmap
import struct
import zipfile
from itertools import chain, compress, count, islice, repeat
from typing import Iterator, Sequence

import numpy as np

from .ner_features import Resources, TokenBatch, TokenInfo, match_gazetteer, ptrig

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
FEAT_PREFIX = ("k=", "cl=", "art=", "fq=", "trig=", "nisba", "c~", "c=none", "len=", "sh=")
MAX_CHARS = 20
#: strings of up to this many characters (markers included) go through the character CNN together
SHORT = 10
#: sentences per batch of the LSTM, forward-backward and Viterbi (`padded_batches`)
BATCH = 128
#: tokens per batch of the LSTM at most (its gate inputs, 2 KB a token, are gathered for a batch at
#: once): a chunk of articles tagged together (`rasid.stages.ner.NERStage.pipe`) no longer holds the
#: gate inputs of its 128 longest sentences at once (docs/speed.md, "Batched NER across articles")
GATE_TOKENS = 4096


def feature_names(infos: Sequence[TokenInfo], gaz: list[list[str]], i: int) -> list[str]:
    """The discrete inputs of token `i` (strings; the model maps them to ids)."""
    return [x for x in infos[i].own if x.startswith(FEAT_PREFIX)] + gaz[i] + ptrig(infos, i)


class Vocab:
    """Word, character and feature ids, shared by training and inference."""

    def __init__(self, words: Sequence[str] | dict[str, int], chars: Sequence[str], feats: Sequence[str]):
        # 0 padding, 1 unknown; `words` given as that mapping already is used as it is
        self.words = words if isinstance(words, dict) else {w: i + 2 for i, w in enumerate(words)}
        self.chars = {c: i + 2 for i, c in enumerate(chars)}
        self.feats = {f: i for i, f in enumerate(feats)}

    def word_id(self, info: TokenInfo) -> int:
        w = self.words
        wi = w.get(info.base) or w.get(info.stem) or w.get(info.norm)
        if wi is None and info.norm[:1].isdigit():
            wi = w.get("<num>")
        if wi is None:
            wi = next((w[a] for a in info.alts if a in w), 1)
        return wi

    def char_ids(self, norm: str) -> list[int]:
        return [self.chars.get(ch, 1) for ch in ("<" + norm + ">")[:MAX_CHARS]]

    def encode(self, infos: Sequence[TokenInfo], res: Resources, doc: Sequence[Sequence[str]] = ()):
        """(word ids, char ids per token, feature ids per token) of one sentence (training);
        `doc`: its tokens' document-level features (``document_features``), for a network
        that reads them."""
        gaz = match_gazetteer(infos, res)
        words = [self.word_id(x) for x in infos]
        char_ids = [self.char_ids(x.norm) for x in infos]
        feats = [[self.feats[f] for f in chain(feature_names(infos, gaz, i), doc[i] if doc else ()) if f in self.feats]
                 for i in range(len(infos))]
        return words, char_ids, feats


class WordVectors:
    """The shared ``vectors.npz``: word ids (``index``: word -> id; ids 0, 1 = pad, unknown)
    and the float16 vectors. The vectors stay a view of `raw` (the file stores them
    uncompressed: `read_stored_array`); ``matrix()`` copies them once under the two zero rows.
    `index`: the word ids when already built (``rasid.packed``), else read from `raw`."""

    def __init__(self, raw: bytes, index: dict[str, int] | None = None):
        self.index = read_word_index(raw) if index is None else index
        self.vectors = read_stored_array(raw, "vectors")

    def matrix(self) -> np.ndarray:
        """A new (words + 2, dimensions) matrix: the padding and unknown rows (zeros), then
        the vectors."""
        out = np.empty((len(self.vectors) + 2, self.vectors.shape[1]), self.vectors.dtype)
        out[:2] = 0
        out[2:] = self.vectors
        return out


def read_word_index(raw: bytes) -> dict[str, int]:
    """word -> id (from 2) of a ``vectors.npz``'s word list."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        return {w: i + 2 for i, w in enumerate(z["words"].tolist())}


def read_stored_array(raw: bytes, name: str) -> np.ndarray:
    """Array `name` of the ``.npz`` file held in `raw`: a read-only view of those bytes when
    the file stores it uncompressed (no copy, no second buffer), else read as usual."""
    # a memory-mapped file is read where it lies (io.BytesIO would copy it)
    with zipfile.ZipFile(raw if isinstance(raw, mmap.mmap) else io.BytesIO(raw)) as zf:
        info = zf.getinfo(name + ".npy")
    if info.compress_type != zipfile.ZIP_STORED:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            return z[name]
    # the member's data follows its local header (30 bytes, its name and extra field)
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    f = io.BytesIO(raw[start:start + 1024])
    version = np.lib.format.read_magic(f)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read_header(f)
    count = int(np.prod(shape))
    arr = np.frombuffer(raw, dtype, count, start + f.tell())
    return arr.reshape(shape, order="F" if fortran else "C")


class BiLSTMCRF:
    """numpy forward pass of a model trained by ``rasid.train.ner_nn``."""

    def __init__(self, raw: bytes, vectors: WordVectors, slots: Slots | None = None):
        """`slots`: the string table its row cache shares (the tagger's CRF's), else its own."""
        z = np.load(io.BytesIO(raw), allow_pickle=False)
        self.vocab = Vocab(vectors.index, [str(c) for c in z["chars"]], [str(f) for f in z["feats"]])
        self.emb = vectors.matrix()
        ids = z["emb_ids"]
        if len(ids):
            self.emb[ids] = z["emb_rows"]
        f32 = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.cemb, self.conv_w, self.conv_b = f32("cemb"), f32("conv_w"), f32("conv_b")
        self.fproj_w, self.fproj_b = f32("fproj_w"), f32("fproj_b")
        H = z["whh_f"].shape[1]
        order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]  # torch's (i, f, g, o) -> (i, f, o, g)
        half = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)  # see _run
        # the input weights of both directions side by side (D, 2 x 4H); the recurrent ones
        # stacked (2, H, 4H), and as the two halves of each direction's gates (2, 2, H, 2H):
        # both directions' gates in one batched product per step (`_run`)
        self.wih = np.concatenate([(f32(f"wih_{d}")[order] * half[:, None]).T for d in "fb"], axis=1)
        self.bias = np.concatenate([f32(f"b_{d}")[order] * half for d in "fb"])
        self.whh = np.stack([(f32(f"whh_{d}")[order] * half[:, None]).T for d in "fb"])
        self._whh_halves = np.ascontiguousarray(self.whh.reshape(2, H, 2, 2 * H).transpose(0, 2, 1, 3))
        # (i, f | o, g) of a step's gates (direction, half, sequence, 2H): sigmoid = tanh's affine
        self._gate_affine = (half.reshape(2, 1, 2 * H),
                             np.r_[np.full(3 * H, 0.5), np.zeros(H)].astype(np.float32).reshape(2, 1, 2 * H))
        self.out_wT, self.out_b = f32("out_w").T.copy(), f32("out_b")
        self.fproj_wT = self.fproj_w.T.copy()
        self._fproj_wT0 = np.vstack([self.fproj_wT, np.zeros((1, self.fproj_wT.shape[1]), np.float32)])  # id -1: zero
        self._wih_fp = self.wih[-self.fproj_wT.shape[1]:].copy()  # the projection's rows
        self._token_rows = RowCache(self._token_gates, slots=slots)
        self.trans, self.start, self.end = (z[k].astype(np.float64) for k in ("trans", "start", "end"))
        # character c at window offset k adds cemb[c] @ conv_w[:, :, k].T (id 0: zero padding),
        # and one id more for the places past a token's end: padding as a neighbour, -1e30 at
        # a window's centre, so that no window there wins the max over positions
        K = self.conv_w.shape[2]
        self._char_proj = [np.vstack([p, np.full((1, p.shape[1]), -1e30, np.float32) if k == K // 2 else p[:1]])
                           for k, p in enumerate(self.cemb @ self.conv_w[:, :, k].T for k in range(K))]
        chars = sorted((ord(c), i) for c, i in self.vocab.chars.items() if len(c) == 1)
        self._char_table = (np.array([c for c, _ in chars], np.uint32), np.array([i for _, i in chars], np.int64))
        # the token's own features that are network inputs: feature -> input id
        self._own_feats = {f: j for f, j in self.vocab.feats.items() if f.startswith(FEAT_PREFIX)}
        # a network trained with document-level features (``rasid train ner --doc-features W``) reads them
        self.reads_doc = any(f.startswith("D:") for f in self.vocab.feats)

    def char_vectors(self, norms: Sequence[str]) -> np.ndarray:
        """Character-CNN vectors (N, F) of normalised tokens. The convolution is a sum of K
        lookups: ``proj[k][c]`` is character c's contribution at window offset k,
        precomputed at load. The bias and the ReLU come after the max over positions (the
        same numbers: adding a constant and the ReLU keep the order). The strings of up to
        `SHORT` characters (with the markers; most words) and the longer ones go as two
        groups, each over the positions of its longest string only: a position past a
        string's end never wins the max (-1e30 at a window's centre), so the numbers are
        those of all ``MAX_CHARS`` positions, for half the lookups. Not cached: only the
        strings the row cache lacks (rare ones) are asked for, so a cache of them hardly
        ever hit (1.4 % with 10,000 strings)."""
        K = len(self._char_proj)
        pad, past = K // 2, len(self._char_proj[0]) - 1
        texts = [("<" + x + ">")[:MAX_CHARS] for x in norms]
        lens = np.fromiter(map(len, texts), np.int64, len(texts))
        out = np.empty((len(norms), self.conv_b.shape[0]), np.float32)
        short = lens <= SHORT
        for group in (np.flatnonzero(short), np.flatnonzero(~short)):
            for lo in range(0, len(group), 1024):  # chunks keep the temporaries small
                rows = group[lo:lo + 1024]
                width = int(lens[rows].max())
                ids = np.zeros((len(rows), width + 2 * pad), np.int64)
                ids[:, pad:pad + width] = self._char_id_rows([texts[i] for i in rows.tolist()], lens[rows], width, past)
                h = self._char_proj[0][ids[:, :width]]
                for k in range(1, K):
                    h += self._char_proj[k][ids[:, k:k + width]]
                o = h.max(axis=1)
                o += self.conv_b
                np.maximum(o, 0.0, out=o)
                out[rows] = o
        return out

    def _char_id_rows(self, texts: Sequence[str], lens: np.ndarray, width: int, past: int = 0) -> np.ndarray:
        """``Vocab.char_ids`` of each string (``<norm>``, cut at ``MAX_CHARS``; `lens`: their
        lengths, none over `width`) as the rows of one array (n, width), `past` past the
        end: the characters' code points looked up in the sorted codes of the character
        vocabulary, all strings at once."""
        raw = "".join([t.ljust(width, "\0") for t in texts]).encode("utf-32-le", "surrogatepass")
        codes = np.frombuffer(raw, np.uint32).reshape(len(texts), width)
        keys, ids = self._char_table
        at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
        out = np.where(keys[at] == codes, ids[at], 1)
        out[np.arange(width) >= lens[:, None]] = past
        return out

    def with_document_features(self, batch: TokenBatch, doc: Sequence | None) -> TokenBatch:
        """`batch` as this network reads it, given the batch's document-level features
        (`doc`: ``document_features``, or None): a copy whose tokens have the ones it reads
        beside their gazetteer features (both are inputs of its feature projection, added
        per token to its string's row), or `batch` itself when it reads none."""
        if doc is None or not self.reads_doc:
            return batch
        feats = self.vocab.feats
        view = copy.copy(batch)
        view.gaz = [[*g, *f] if (f := [x for x in d if x in feats]) else g for g, d in zip(batch.gaz, doc)]
        view.featured = [k for k, (g, t) in enumerate(zip(view.gaz, view.ptrig)) if g or t]
        return view

    def batch_inputs(self, batch: TokenBatch, doc: Sequence | None = None) -> np.ndarray:
        """The input rows (N, D) of the tokens of `batch` (``distinct_inputs``, one row per
        token; `doc`: see `with_document_features`)."""
        X, index = self.distinct_inputs(self.with_document_features(batch, doc))
        return X[index]

    def distinct_inputs(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
        """``(X, index)``: the distinct input rows (U, D) of the tokens of `batch` and the
        row of each token (N,), computed afresh (the tagger reads `token_gates`, which
        keeps their products per token string)."""
        first, index, featured = self._distinct_rows(batch, batch.string_of)
        X = self._token_inputs([batch.infos[k] for k in first.tolist()])
        self._add_sentence_features(X, index[featured], featured, batch)
        return X, index

    def token_gates(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, tuple | None]:
        """``(M, index, own)``: the gate inputs (``X @ wih + bias``, both directions: the
        first 2 x 4H columns) of every token of `batch` as row ``index[k]`` of `M`, the row
        cache's own matrix (no copy), and `own` for the tokens with gazetteer or ``ptrig``
        features: ``(tokens (F,), their gate inputs (F, 2 x 4H))`` (None: no such token). A
        token string's cached row holds only what depends on the string (word vector,
        character CNN, projection of its own features): its product and the feature
        projection before its ReLU (`RowCache`); a token with such features (~100 of an
        article's ~840) takes its string's product corrected by the projection's change,
        ``(relu(pre + sentence features) - relu(pre)) @ wih[projection rows]``, computed
        once per distinct string and features (~60 an article)."""
        G8 = self.wih.shape[1]
        if not batch.tokens:
            return np.zeros((0, G8), np.float32), np.zeros(0, np.int64), None
        index = self._token_rows.ids(batch.strings, batch.string_infos)[batch.string_of]
        M = self._token_rows.rows
        special = batch.featured
        if not special:
            return M, index, None
        gaz, trig = batch.gaz, batch.ptrig
        codes: dict[tuple, int] = {}  # (string's row, gazetteer features, ptrig) -> its own row
        own = [codes.setdefault((i, tuple(gaz[k]), trig[k]), len(codes)) for k, i in zip(special, index[special].tolist())]
        first = np.zeros(len(codes), np.int64)  # the first token of each distinct one
        first[own[::-1]] = special[::-1]
        rows = M[index[first]]
        pre = rows[:, G8:]
        new = pre.copy()
        self._add_sentence_features(new, range(len(first)), first, batch)
        new -= np.maximum(pre, 0.0)
        G = rows[:, :G8]
        G += _rows_product(new, self._wih_fp)
        return M, index, (np.array(special, np.int64), G[own])

    def _distinct_rows(self, batch: TokenBatch, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(first, index, featured)``: the first token of each distinct input row, the row
        of each token, and the first tokens of the rows with gazetteer or ``ptrig``
        features. `ids`: the id of each token's string (N,). Tokens with such features share a row
        when they are the same string with the same features, the others one row per
        string."""
        gaz, trig, special = batch.gaz, batch.ptrig, batch.featured
        key = ids.copy()
        if special:
            codes: dict[tuple, int] = {}
            key[special] = [-1 - codes.setdefault((i, tuple(gaz[k]), trig[k]), len(codes))
                            for k, i in zip(special, key[special].tolist())]
        _, first, index = np.unique(key, return_index=True, return_inverse=True)
        return first, index, first[key[first] < 0]

    def _add_sentence_features(self, X: np.ndarray, rows, tokens: np.ndarray, batch: TokenBatch) -> None:
        """Add to the feature projection of row r of `X` the gazetteer and ``ptrig``
        features of token k of `batch` for each (r, k) of `rows` and `tokens`, then apply
        the projection's ReLU to every row of `X`. A row's features are added one after the
        other in their order (the n-th feature of every row in one step), so its numbers do
        not depend on the other rows; a feature the network does not know adds the zero row."""
        feats, wT = self.vocab.feats, self._fproj_wT0
        fp = X[:, -wT.shape[1]:]
        lists = [(*batch.gaz[k], *batch.ptrig[k]) for k in tokens.tolist()]
        if lists:
            lens = np.fromiter(map(len, lists), np.int64, len(lists))
            ids = np.fromiter(map(feats.get, chain.from_iterable(lists), repeat(-1)), np.int64, int(lens.sum()))
            nth = np.arange(len(ids)) - np.repeat(np.cumsum(lens) - lens, lens)  # place in its row's list
            at = np.repeat(np.asarray(rows, np.int64), lens)
            for n in range(int(lens.max(initial=0))):
                step = nth == n  # the rows have distinct places here: one addition each
                fp[at[step]] += wT[ids[step]]
        np.maximum(fp, 0.0, out=fp)

    def batch_emissions(self, batch: TokenBatch, doc: Sequence | None = None) -> np.ndarray:
        """Tag scores (N, T) of the tokens of `batch` (`doc`: see `with_document_features`)."""
        M, index, own = self.token_gates(self.with_document_features(batch, doc))
        return self.gate_emissions(M, batch.lengths, index, own)

    def _token_gates(self, infos: Sequence[TokenInfo]) -> np.ndarray:
        """The gate inputs (n, 2 x 4H) of token strings without sentence features, and
        their feature projections before the ReLU (n, P), side by side."""
        X = self._token_inputs(infos)
        pre = X[:, -self.fproj_wT.shape[1]:].copy()
        np.maximum(X[:, -pre.shape[1]:], 0.0, out=X[:, -pre.shape[1]:])  # the projection's ReLU
        return np.concatenate([self._gates(X), pre], axis=1)

    def _gates(self, X: np.ndarray) -> np.ndarray:
        """``X @ wih + bias``, each row's numbers independent of the other rows (cached)."""
        return _rows_product(X, self.wih) + self.bias

    def _token_inputs(self, infos: Sequence[TokenInfo]) -> np.ndarray:
        """The input rows (n, D) of token strings before their sentence's features: word
        vector, character CNN, and the projection of their own features before the ReLU."""
        vocab = self.vocab
        words = [vocab.word_id(x) for x in infos]
        chars = self.char_vectors([x.norm for x in infos])
        F = np.zeros((len(infos), self.fproj_wT.shape[0] + 1), np.float32)  # a last column for the others
        lens = np.fromiter(map(len, [x.own for x in infos]), np.int64, len(infos))
        cols = np.fromiter(map(self._own_feats.get, chain.from_iterable([x.own for x in infos]), repeat(-1)),
                           np.int64, int(lens.sum()))
        F[np.repeat(np.arange(len(infos)), lens), cols] = 1.0
        F = F[:, :-1]
        pre = _rows_product(F, self.fproj_wT) + self.fproj_b  # before the ReLU: sentence features are added first
        return np.concatenate([self.emb[words].astype(np.float32), chars, pre], axis=1)

    def _run(self, P: np.ndarray, active: Sequence[int]) -> np.ndarray:
        """Both LSTM directions over a batch of sequences at once, longest first: step t
        runs the first `active[t]` sequences (those still that long). `P` (2, 2, n, 2H): the
        gate inputs of every step's tokens, step after step, direction 0 forward and 1 over
        the reversed sequences, each direction's 4H gates as two halves (i, f | o, g) ->
        hidden states (2, n, H) in the same order. No step is spent on padding; a step's
        hidden states are contiguous rows of each direction, and the recurrent product is
        one batched product, (b, H) x (H, 2H) for each direction and half: OpenBLAS's single
        (b, H) x (H, 4H) product took 4-5 times as long for 5 to 8 sequences (21 against 4.6
        us at b = 5, 27 against 11 at b = 16), half the steps of an article. At load the gates
        were reordered to (i, f, o, g) and the rows of i, f, o halved, so that one ``tanh``
        gives all four: sigmoid(x) = (1 + tanh(x / 2)) / 2."""
        H2 = P.shape[3]
        H = H2 // 2
        out = np.empty((2, P.shape[2], H), np.float32)
        scale, shift = self._gate_affine
        whh = self._whh_halves
        at, b, prev = 0, -1, -1
        for n in active:
            if n != b:  # fewer sequences from here on: the state of the running ones, contiguous
                c = np.zeros((2, n, H), np.float32) if b < 0 else np.ascontiguousarray(c[:, :n])
                b = n
                g = np.empty((2, 2, b, H2), np.float32)
                u = np.empty((2, b, H), np.float32)
                i, f, o, cand = g[:, 0, :, :H], g[:, 0, :, H:], g[:, 1, :, :H], g[:, 1, :, H:]
            if prev < 0:  # the first step: no hidden state yet
                np.tanh(P[:, :, at:at + b], out=g)
            else:
                np.matmul(out[:, None, prev:prev + b], whh, out=g)
                g += P[:, :, at:at + b]
                np.tanh(g, out=g)
            g *= scale  # i, f, o: (1 + tanh) / 2; the candidate as it is
            g += shift
            np.multiply(i, cand, out=u)
            c *= f
            c += u
            h = out[:, at:at + b]
            np.tanh(c, out=h)
            h *= o
            prev, at = at, at + b
        return out

    def flat_emissions(self, X: np.ndarray, lengths: Sequence[int], index: np.ndarray | None = None) -> np.ndarray:
        """Tag scores (N, T) of the sentences whose input rows, one after the other, are
        `X` (N, D), or ``X[index]`` when `index` (N,) is given (tokens that share a row)."""
        return self.gate_emissions(self._gates(X), lengths, index)

    def gate_emissions(self, G: np.ndarray, lengths: Sequence[int], index: np.ndarray | None = None,
                       own: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Tag scores (N, T) of the sentences whose gate inputs (``X @ wih + bias``: the
        first 2 x 4H columns), one token after the other, are `G` (N, ...), or ``G[index]``;
        `own`: ``(tokens, their gate inputs)`` that replace those rows (`token_gates`). The
        LSTM runs over batches of sentences, both directions together, one product per time
        step over the sentences that are that long."""
        if index is None:
            index = np.arange(len(G))
        N = len(index)
        H = self.whh.shape[1]
        hidden = np.empty((N, 2 * H), np.float32)
        place = np.full(N, -1, np.int64)  # a token's place in the batch's order, while it runs
        for fwd, bwd, live in padded_batches(lengths, GATE_TOKENS):
            rows, back = fwd[live], bwd[live]  # the batch's tokens, step after step, each way
            P = np.empty((2, len(rows), 4 * H), np.float32)
            for d, order in enumerate((rows, back)):
                P[d] = G[index[order], 4 * H * d:4 * H * (d + 1)]
                if own is not None:
                    place[order] = np.arange(len(order))
                    at = place[own[0]]
                    mine = at >= 0
                    P[d, at[mine]] = own[1][mine, 4 * H * d:4 * H * (d + 1)]
                    place[order] = -1
            # seen as (direction, half of the gates, token, 2H), as `_run` reads it: a view
            out = self._run(P.reshape(2, len(rows), 2, 2 * H).transpose(0, 2, 1, 3), live.sum(axis=1).tolist())
            hidden[rows, :H] = out[0]
            hidden[back, H:] = out[1]
        return (hidden @ self.out_wT + self.out_b).astype(np.float64)


def _rows_product(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``A @ W``, each row's numbers independent of the other rows: a single row goes
    through BLAS's matrix product as two rows (alone it takes the vector path, which
    rounds differently)."""
    if len(A) == 1:
        return (np.concatenate([A, A]) @ W)[:1]
    return A @ W


#: per-token rows kept by the networks and the CRF (`RowCache`): bounded so that a worker's
#: memory stops growing with the number of articles it has analysed (issue 17 item 4);
#: frequent forms come back at once. A network's row is 544 float32 (its 512 gate inputs and
#: 32 feature projections: 2.2 KB, 109 MB when full), the CRF's 5 x 9 float64 (360 bytes).
#: 60,000 until the session of 2026-12-07 (evening): with it two workers on 10k articles summed
#: 1,524 MB PSS at their peak, over issue 17's 1.5 GB; 50,000 (and the SQLite page cache halved,
#: store/sqlite.py ``CACHE_KIB``) 1,409 MB, NER's CPU the same within noise (docs/speed.md
#: "Memory on 10k articles, again").
ROW_CACHE = 50_000


class Slots:
    """Token strings -> rows of the row caches that share the table (`RowCache`), at most
    `limit` strings: when a call needs room, an eighth of the table makes way, the strings
    asked for in one call only before those asked for again (`_evict`), each kind the one
    used longest ago (by call) first (a call's own strings are the last to go; one that
    holds more strings than `limit` empties it and is kept whole). A string keeps its
    row while it stays; a new one takes a free row, and the row is stamped with a number
    never used before (``stamp``), so that every cache sharing the table sees that the row
    is not yet its own. The tagger's CRF and networks share one table: the strings of a
    call are looked up once, not once per model (the same strings, the same rows)."""

    _stamps = count(1)  # shared by every table: a stamp is never reused, not even after `clear`

    def __init__(self, limit: int | None = None):
        self.limit = ROW_CACHE if limit is None else limit
        self.clear()

    def __len__(self) -> int:
        return len(self.index)

    def clear(self) -> None:
        """Forget every string."""
        self.index: dict[str, int] = {}
        self.stamp = np.zeros(0, np.int64)  # the stamp of the string each row holds now
        self._keys: list[str | None] = []  # the string of each row (None: free)
        self._free: list[int] = []  # the free rows, the next one last
        self._used = np.zeros(0, np.int64)  # the call that last asked for each row
        self._asked = np.zeros(0, np.int64)  # how many calls asked for each row's string
        self._calls = 0
        self._last: tuple = (None, None)  # the last call's strings (the object) and rows

    def ids(self, tokens: Sequence[str]) -> np.ndarray:
        """The row of each token (N,); the same answer, not looked up again, when asked
        again with the same sequence object (the next model of the same call)."""
        if self._last[0] is tokens:
            return self._last[1]
        self._calls += 1
        ids = list(map(self.index.get, tokens, repeat(-1)))
        if -1 in ids:
            todo = list(dict.fromkeys([t for t, i in zip(tokens, ids) if i < 0]))
            evicted = len(self.index) + len(todo) > self.limit
            if evicted:  # rows found above may have gone: all looked up again below
                self._used[[i for i in ids if i >= 0]] = self._calls
                self._evict(len(todo))
                todo = list(dict.fromkeys([t for t in tokens if t not in self.index]))
            if len(self._free) < len(todo):
                self._grow(len(todo) - len(self._free))
            free = self._free
            at = [free.pop() for _ in range(len(todo))]
            self.index.update(zip(todo, at))
            for k, t in zip(at, todo):
                self._keys[k] = t
            self.stamp[at] = next(self._stamps)
            self._asked[at] = 0
            if evicted:
                ids = [self.index[t] for t in tokens]
            else:  # only the new strings' rows to fill in
                got = dict(zip(todo, at))
                ids = [i if i >= 0 else got[t] for t, i in zip(tokens, ids)]
        out = np.array(ids, np.int64)
        self._used[out] = self._calls
        self._asked[out] += 1  # once per call: a row's tokens are one string
        self._last = (tokens, out)
        return out

    def _grow(self, more: int) -> None:
        """`more` free rows (the first time: `limit` rows at least)."""
        n = len(self._keys)
        size = max(n + more, self.limit)
        self.stamp = np.concatenate([self.stamp, np.zeros(size - n, np.int64)])
        self._used = np.concatenate([self._used, np.zeros(size - n, np.int64)])
        self._asked = np.concatenate([self._asked, np.zeros(size - n, np.int64)])
        self._keys.extend([None] * (size - n))
        self._free = list(range(size - 1, n - 1, -1)) + self._free  # the lowest new row next

    #: calls by which a string asked for in two calls or more outlasts one asked for once:
    #: most strings of a call are never asked for again, and made room for first they leave
    #: the words that recur in the cache (first 5,000 SaudiNewsNet articles, their distinct
    #: strings replayed through the table: 191,282 rows made when a quarter made room by age
    #: alone, 172,106 like this; 136,739 distinct strings)
    PROTECT = 2000

    def _evict(self, room: int) -> None:
        """Keep the strings that rank first, leaving `room` free under the limit and at
        least an eighth of it; the others' rows become free. A string ranks by the last
        call that asked for it, `PROTECT` calls later when two calls or more did, and the
        strings of the present call first of all."""
        held = np.fromiter(self.index.values(), np.int64, len(self.index))
        held.sort()
        keep = max(0, min(len(held) - self.limit // 8, self.limit - room))
        used = self._used[held]
        rank = used + np.where(self._asked[held] > 1, self.PROTECT, 0)
        rank[used == self._calls] = np.iinfo(np.int64).max
        gone = held[np.argsort(-rank, kind="stable")[keep:]].tolist()
        for k in gone:
            del self.index[self._keys[k]]
            self._keys[k] = None
        self._free.extend(sorted(gone, reverse=True))


class RowCache:
    """Rows computed per token string (``compute(analyses) -> (n, ...)`` array) and kept in
    one matrix, one row per string of its `Slots` (its own, of `limit` strings, or one it
    shares with other caches: `slots`). The matrix is made once for the table's rows
    (``np.empty``: its pages take memory only once written) and a string's row stays where
    it was put, so neither growing nor making room copies rows; a row whose stamp is not
    the table's (a string new there, or one this cache has not computed) is computed when
    asked for. ``ids`` gives each token's row in ``rows``."""

    def __init__(self, compute, limit: int | None = None, slots: Slots | None = None):
        self.compute = compute
        self.slots = Slots(limit) if slots is None else slots
        self.rows: np.ndarray | None = None
        self._stamp = np.zeros(0, np.int64)  # the table's stamp of each row when computed here

    @property
    def index(self) -> dict[str, int]:
        return self.slots.index

    def __len__(self) -> int:
        return len(self.slots)

    def clear(self) -> None:
        """Forget every row and string (and give back the matrix); a cache sharing the table
        computes its rows again."""
        self.slots.clear()
        self.rows = None
        self._stamp = np.zeros(0, np.int64)

    def ids(self, tokens: Sequence[str], infos: Sequence[TokenInfo]) -> np.ndarray:
        """The row of each token in ``rows`` (N,), computing the rows it lacks."""
        slots = self.slots
        ids = slots.ids(tokens)
        if len(self._stamp) < len(slots.stamp):
            self._grow(len(slots.stamp))
        stamps = slots.stamp[ids]
        stale = self._stamp[ids] != stamps
        if stale.any():
            todo = np.flatnonzero(stale)
            rows, first = np.unique(ids[todo], return_index=True)
            first = np.sort(todo[first])  # each row once, in the order of the tokens
            rows = ids[first]
            new = self.compute([infos[k] for k in first.tolist()])
            if self.rows is None:
                self._grow(len(self._stamp), new)
            self.rows[rows] = new
            self._stamp[rows] = stamps[first]
        return ids

    def _grow(self, size: int, like: np.ndarray | None = None) -> None:
        """Rows up to `size`: the stamps now, the matrix once a computed row (`like`) gives its
        shape."""
        n = len(self._stamp)
        self._stamp = np.concatenate([self._stamp, np.zeros(size - n, np.int64)])
        like = self.rows if like is None else like
        if like is None:
            return
        grown = _lazy_matrix((size, *like.shape[1:]), like.dtype)
        if self.rows is not None:
            grown[:len(self.rows)] = self.rows
        self.rows = grown


class ItemCache:
    """Python objects computed per token string (``compute(string)``: the tagger's analyses,
    `TokenInfo`) and kept in a list, one per row of a `Slots` table that the row caches
    share: a string's analysis is looked up with its rows (once per call), stays while they
    do and is made room for with them, by the table's rule. As `RowCache`, an object whose
    stamp is not the table's row's is computed when asked for."""

    def __init__(self, compute, slots: Slots):
        self.compute = compute
        self.slots = slots
        self.items: list = []
        self._stamp = np.zeros(0, np.int64)  # the table's stamp of each row when computed here

    def __len__(self) -> int:
        return len(self.slots)

    def many(self, strings: Sequence[str]) -> list:
        """The object of each of `strings` (distinct: a call's strings), computing those it
        lacks. The table's answer is kept for the row caches asked next with the same list."""
        slots = self.slots
        ids = slots.ids(strings)
        size = len(slots.stamp)
        if len(self._stamp) < size:
            self._stamp = np.concatenate([self._stamp, np.zeros(size - len(self._stamp), np.int64)])
            self.items.extend([None] * (size - len(self.items)))
        stamps = slots.stamp[ids]
        stale = np.flatnonzero(self._stamp[ids] != stamps)
        items = self.items
        if len(stale):
            rows = ids[stale]
            for k, row in zip(stale.tolist(), rows.tolist()):
                items[row] = self.compute(strings[k])
            self._stamp[rows] = stamps[stale]
        return list(map(items.__getitem__, ids.tolist()))

    def clear(self) -> None:
        """Forget every string and object (the table too: the row caches compute theirs again)."""
        self.slots.clear()
        self.items = []
        self._stamp = np.zeros(0, np.int64)


def _lazy_matrix(shape: tuple[int, ...], dtype) -> np.ndarray:
    """An uninitialised matrix whose pages take memory as they are first written, as
    ``np.empty``'s do; one of 4 MB or more is asked for in transparent huge pages (2 MB)
    where the kernel offers them on request (``madvise``), so that filling a row cache's
    131 MB takes some 70 page faults instead of 32,000: 0.31 -> 0.10 s CPU for the 60,000
    rows of the network's cache (a third of a millisecond an article while it fills)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if size < 1 << 22 or not hasattr(mmap, "MADV_HUGEPAGE"):
        return np.empty(shape, dtype)
    buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)  # private: a forked worker's writes stay its own
    try:
        buf.madvise(mmap.MADV_HUGEPAGE)
    except OSError:  # no transparent huge pages here: pages of the usual size
        pass
    return np.frombuffer(buf, dtype).reshape(shape)


class LinearCRF:
    """The feature CRF's posteriors computed in numpy from its weights, so that tagging
    needs no per-token calls into crfsuite. python-crfsuite trains it; `from_tagger` reads
    the weights through ``Tagger.info()`` (a parse of crfsuite's text dump: half a second),
    `to_npz` writes them as arrays (``crf.npz``, next to ``model.crfsuite``) and
    `from_npz` reads those back in milliseconds, the same numbers."""

    def __init__(self, attrs: dict[str, int], weights: np.ndarray, trans: np.ndarray):
        self.attrs = attrs
        self.weights = weights  # (len(attrs) + 1, T); the last row: attributes it never saw
        self.trans = trans
        self.start = self.end = np.zeros(len(TAGS))
        self._static = RowCache(self._static_scores)
        self._context_codes: dict[tuple[str, ...], int] = {}  # `_context_sums`
        self._context_rows = np.zeros((0, 2, len(TAGS)))
        self._bigrams = bigram_index(attrs)
        self._sentence_rows = SentenceFeatureRows(attrs, self.weights)

    @property
    def slots(self) -> Slots:
        """The string table of its row cache (the tagger's networks share it)."""
        return self._static.slots

    @classmethod
    def from_tagger(cls, tagger) -> "LinearCRF":
        """From an open ``pycrfsuite.Tagger``."""
        info = tagger.info()
        index = {t: i for i, t in enumerate(TAGS)}
        attrs: dict[str, int] = {}
        rows: list[tuple[int, int, float]] = []
        for (attr, label), w in info.state_features.items():
            rows.append((attrs.setdefault(attr, len(attrs)), index[label], w))
        weights = np.zeros((len(attrs) + 1, len(TAGS)))
        for a, t, w in rows:
            weights[a, t] = w
        trans = np.full((len(TAGS), len(TAGS)), 0.0)
        for (a, b), w in info.transitions.items():
            trans[index[a], index[b]] = w
        return cls(attrs, weights, trans)

    def to_npz(self) -> bytes:
        """``crf.npz``: the attribute names (one UTF-8 blob, NUL-separated, in id order),
        the non-zero state weights as (attribute id, tag id, weight) and the transitions."""
        names = list(self.attrs)
        if any("\0" in a for a in names):
            raise ValueError("a CRF attribute holds a NUL character")
        a, t = np.nonzero(self.weights[:-1])
        buf = io.BytesIO()
        np.savez_compressed(buf, attrs=np.frombuffer("\0".join(names).encode("utf-8"), np.uint8),
                            attr_ids=a.astype(np.int32), tag_ids=t.astype(np.int8),
                            weights=self.weights[a, t], trans=self.trans, tags=np.array(TAGS))
        return buf.getvalue()

    @classmethod
    def from_npz(cls, raw: bytes) -> "LinearCRF":
        z = np.load(io.BytesIO(raw), allow_pickle=False)
        if tuple(z["tags"].tolist()) != TAGS:
            raise ValueError(f"crf.npz: tags {z['tags'].tolist()}, expected {list(TAGS)}")
        names = z["attrs"].tobytes().decode("utf-8").split("\0") if len(z["attrs"]) else []
        attrs = dict(zip(names, range(len(names))))
        weights = np.zeros((len(attrs) + 1, len(TAGS)))
        weights[z["attr_ids"], z["tag_ids"]] = z["weights"]
        return cls(attrs, weights, z["trans"].astype(np.float64))

    def scores(self, features: Sequence[Sequence[str]]) -> np.ndarray:
        """State scores (n, T) of one sentence's feature lists: one gather of every
        feature's weight row (attributes it never saw: the zero row) and one sum per list."""
        if not features:
            return np.zeros((0, len(TAGS)))
        zero = len(self.attrs)
        lens = np.fromiter(map(len, features), np.int64, len(features))
        ids = np.fromiter(map(self.attrs.get, chain.from_iterable(features), repeat(zero)), np.int64, int(lens.sum()))
        rows = self.weights[np.append(ids, zero)]  # a zero row last: an empty list at the end starts there
        out = np.add.reduceat(rows, np.cumsum(lens) - lens, axis=0)
        out[lens == 0] = 0.0
        return out

    def _static_scores(self, infos: Sequence[TokenInfo]) -> np.ndarray:
        """What token strings contribute (n, 5, T): through their own features, and seen
        as the neighbour at -1, +1, -2 and +2 (``TokenInfo.prev``, ``after``, ``back2``,
        ``ahead2``). What a word shows a neighbour besides its base (``ctx[1:]``: clitic,
        article, trigger, clusters, kind; a few thousand combinations) is summed once per
        combination and kept (`_context_sums`); only the base's names are made per word."""
        get, zero, W = self.attrs.get, len(self.attrs), self.weights
        out = np.empty((len(infos), 5, len(TAGS)))
        out[:, 0] = self.scores([("bias", *x.own) for x in infos])
        sums = self._context_sums([x.ctx[1:] for x in infos])  # (n, 2, T): seen as -1, as +1
        names = chain.from_iterable(("-1" + x.ctx[0], "+1" + x.ctx[0], "-2b=" + x.base, "+2b=" + x.base,
                                     "-2trig=" + x.trig if x.trig else None) for x in infos)
        ids = np.fromiter(map(get, names, repeat(zero)), np.int64, 5 * len(infos)).reshape(-1, 5)
        np.add(W[ids[:, 0]], sums[:, 0], out=out[:, 1])
        np.add(W[ids[:, 1]], sums[:, 1], out=out[:, 2])
        np.add(W[ids[:, 2]], W[ids[:, 4]], out=out[:, 3])
        out[:, 4] = W[ids[:, 3]]
        return out

    def _context_sums(self, keys: list[tuple[str, ...]]) -> np.ndarray:
        """(n, 2, T): the weights of each key's features seen from the token after (``-1``)
        and from the token before (``+1``), summed once per key and kept."""
        codes = self._context_codes
        new = [k for k in dict.fromkeys(keys) if k not in codes]
        if new:
            get, zero, W = self.attrs.get, len(self.attrs), self.weights
            made = [[W[[get(side + f, zero) for f in key]].sum(0) for side in ("-1", "+1")] for key in new]
            codes.update(zip(new, range(len(codes), len(codes) + len(new))))
            self._context_rows = np.concatenate([self._context_rows, np.array(made).reshape(-1, 2, len(TAGS))])
        return self._context_rows[[codes[k] for k in keys]]

    def batch_scores(self, batch: TokenBatch) -> np.ndarray:
        """``scores(extract_features(...))`` of every token of `batch`, (N, T), without
        building each token's feature list: what a token contributes through its own
        features and as a neighbour at -2..+2 is summed once per token string and cached;
        the word bigrams (or BOS / EOS) of every token are looked up by their words, and the
        gazetteer and ``ptrig`` features are added where a token has them."""
        N, T = len(batch.tokens), len(TAGS)
        if not N:
            return np.zeros((0, T))
        ids = self._static.ids(batch.strings, batch.string_infos)
        A = self._static.rows[ids[batch.string_of]]  # (N, 5, T): own, as -1, as +1, as -2, as +2
        lengths = np.asarray(batch.lengths)
        pos = np.arange(N) - np.repeat(np.asarray(batch.ends) - lengths, lengths)  # place in its sentence
        rest = np.repeat(lengths, lengths) - pos - 1  # tokens after it in its sentence
        # what a token shows its neighbours, zero where that neighbour is in another sentence
        A[rest < 1, 1] = 0.0
        A[pos < 1, 2] = 0.0
        A[rest < 2, 3] = 0.0
        A[pos < 2, 4] = 0.0
        S = A[:, 0].copy()
        S[1:] += A[:-1, 1]
        S[:-1] += A[1:, 2]
        S[2:] += A[:-2, 3]
        S[:-2] += A[2:, 4]
        get, zero = self.attrs.get, len(self.attrs)  # unseen attributes: the zero row
        norms = batch.norms
        # the word bigrams (`bigram_index`): every pair of neighbours looked up at once
        found = list(map(self._bigrams.get, zip(norms, islice(norms, 1, None))))
        left = np.full(N, zero, np.int64)  # the pair ending at each token
        right = np.full(N, zero, np.int64)  # the pair starting at it
        at = list(compress(range(len(found)), found))
        if at:
            pair = np.array(list(filter(None, found)), np.int64)
            left[np.array(at) + 1] = pair[:, 0]
            right[at] = pair[:, 1]
        left[pos == 0] = get("BOS", zero)
        right[rest == 0] = get("EOS", zero)
        S += self.weights[left]
        S += self.weights[right]
        featured = batch.featured
        if featured:  # the gazetteer and ptrig features: on the token, and seen from either side
            R = self._sentence_rows.rows(batch)  # (F, 3, T)
            at = np.array(featured)
            S[at] += R[:, 0]
            seen = pos[at] > 0
            S[at[seen] - 1] += R[seen, 1]
            seen = rest[at] > 0
            S[at[seen] + 1] += R[seen, 2]
        return S

    def marginals(self, features: Sequence[Sequence[Sequence[str]]]) -> list[np.ndarray]:
        return crf_marginals([self.scores(f) for f in features], self.trans, self.start, self.end)


class SentenceFeatureRows:
    """What the gazetteer and ``ptrig`` features of a token (``g:LOC:B``, ``ptrig=PER``: a few
    dozen, in a few dozen combinations) add to the CRF's scores: on the token itself, on the
    token before (seen from it, ``+1…``) and on the token after (``-1…``; ptrig is seen from
    neither), summed once per combination of features and kept, so that a batch adds them
    as three gathers (attributes the CRF never saw: the zero row)."""

    def __init__(self, attrs: dict[str, int], weights: np.ndarray):
        self.attrs, self.weights = attrs, weights
        self.codes: dict[tuple, int] = {}  # (gazetteer features, ptrig features) -> row of `sums`
        self.sums = np.zeros((0, 3, weights.shape[1]))

    def rows(self, batch: TokenBatch) -> np.ndarray:
        """(F, 3, T): per token of ``batch.featured``, what its features add on it, on the
        token before and on the token after."""
        gaz, ptrig, codes = batch.gaz, batch.ptrig, self.codes
        keys = [(tuple(gaz[k]), ptrig[k]) for k in batch.featured]
        new = [k for k in dict.fromkeys(keys) if k not in codes]
        if new:
            get, zero, W = self.attrs.get, len(self.attrs), self.weights
            made = [np.array([W[[get(f, zero) for f in (*g, *t)]].sum(0),
                              W[[get("+1" + f, zero) for f in g]].sum(0),
                              W[[get("-1" + f, zero) for f in g]].sum(0)]) for g, t in new]
            codes.update(zip(new, range(len(codes), len(codes) + len(new))))
            self.sums = np.concatenate([self.sums, made])
        return self.sums[[codes[k] for k in keys]]


def bigram_index(attrs: dict[str, int]) -> dict[tuple[str, str], tuple[int, int]]:
    """The CRF's word-bigram attributes by their words: ``(a, b) -> (id of "-1w|w=a|b",
    id of "w|+1w=a|b")`` (the zero row's id, ``len(attrs)``, for the one it lacks), so that
    the bigrams of a batch are looked up by the pairs of words (one ``map`` in C), not by
    building each attribute's name. A name whose words hold a "|" could be split in two
    places, as the name alone could have come from either pair: it is filed under both."""
    zero = len(attrs)
    out: dict[tuple[str, str], list[int]] = {}
    for name in [n for n in attrs if n.startswith(("-1w|w=", "w|+1w="))]:
        side = name[0] == "w"
        words = name[6:]
        cut = words.find("|")
        while cut >= 0:
            ids = out.setdefault((words[:cut], words[cut + 1:]), [zero, zero])
            ids[side] = attrs[name]
            cut = words.find("|", cut + 1)
    return {pair: (left, right) for pair, (left, right) in out.items()}


def padded_batches(lengths: Sequence[int], max_tokens: int | None = None):
    """The non-empty sentences, longest first, in batches of up to ``BATCH`` (and of up to
    `max_tokens` tokens, but at least one sentence, when given), as index
    arrays into the rows of all the sentences one after the other: per batch ``(fwd, bwd,
    live)``, each (L, B): the row of step t of each sentence, of each reversed sentence,
    and whether the sentence is that long (where not, both name row N, one past the last:
    a padding row). Longest first, the sentences still running at a step are the first
    ones. Each step costs some numpy calls whatever the batch's size, so for the small
    matrices here the fewer steps the better; a sentence's numbers do not depend on the
    others in its batch (but for float rounding)."""
    N = sum(lengths)
    order = sorted((k for k, n in enumerate(lengths) if n), key=lambda k: -lengths[k])
    starts = np.cumsum([0, *lengths[:-1]]) if len(lengths) else np.zeros(0, np.int64)
    lens_all = np.asarray(lengths, np.int64)
    for lo, hi in _batch_bounds([lengths[k] for k in order], max_tokens):
        idx = order[lo:hi]
        lens, first = lens_all[idx], starts[idx]
        t = np.arange(int(lens[0]))[:, None]
        live = t < lens
        yield np.where(live, first + t, N), np.where(live, first + lens - 1 - t, N), live


def _batch_bounds(lens: Sequence[int], max_tokens: int | None) -> Iterator[tuple[int, int]]:
    """``(lo, hi)`` of each batch of the sentences of `lens` (in order): up to ``BATCH``
    sentences and, when `max_tokens` is given, up to that many tokens (at least one sentence)."""
    limit = float("inf") if max_tokens is None else max_tokens
    lo = 0
    while lo < len(lens):
        hi, tokens = lo + 1, lens[lo]
        while hi < len(lens) and hi - lo < BATCH and tokens + lens[hi] <= limit:
            tokens += lens[hi]
            hi += 1
        yield lo, hi
        lo = hi


def crf_marginals(emissions: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[np.ndarray]:
    """``flat_marginals`` of sentences given one matrix (n, T) each."""
    return _split(flat_marginals(_join(emissions, len(start)), [len(x) for x in emissions], trans, start, end), emissions)


def flat_marginals(emissions: np.ndarray, lengths: Sequence[int], trans: np.ndarray, start: np.ndarray,
                   end: np.ndarray) -> np.ndarray:
    """Posteriors P(tag_i = t) of a linear-chain CRF, (N, T), for the sentences whose
    emission rows, one after the other, are `emissions` (N, T), under transition scores
    `trans` (T, T) and `start`, `end` (T,).

    Forward-backward in probability space over batches of up to ``BATCH`` sentences, the
    backward pass over the reversed sentences so that both passes are one loop: at step t
    the message into position t of each sentence (forward) and into its position t from
    the end (backward) is the previous step's message times the emission, rescaled, times
    the transitions. Each sentence's two messages are one row [forward | backward] (2T),
    so a step is one 2-D product with the block-diagonal [[P, 0], [0, P^T]] and one
    multiplication by the emissions, over the sentences still that long (longest first,
    as the LSTM: no step on padding). P(tag_i) is proportional to forward message x
    emission x backward."""
    N, T = emissions.shape
    P = np.exp(trans - trans.max())
    Q = np.zeros((2 * T, 2 * T))
    Q[:T, :T], Q[T:, T:] = P, P.T
    init = np.concatenate([np.exp(start - start.max()), np.exp(end - end.max())])
    E_all = np.exp(emissions - emissions.max(axis=1, keepdims=True)) if N else np.ones((0, T))
    # A message is rescaled to sum 1 every `every` steps only: each step can shrink it by
    # no more than the smallest transition factor (an emission's best tag is 1), so with
    # the scores of these models (a span of 5-12) the sums stay far above underflow; the
    # scale is a factor per token that the final normalisation removes.
    every = 4 if float(np.ptp(trans)) < 40 else 1
    into = np.empty((2, N, T))  # the forward and the backward message into every token
    for fwd, bwd, live in padded_batches(lengths):
        rows, back = fwd[live], bwd[live]  # the batch's tokens, step after step, each way
        E = np.concatenate([E_all[rows], E_all[back]], axis=1)  # (n, 2T)
        msgs = np.empty_like(E)  # the message into each of them, in the same order
        active = live.sum(axis=1).tolist()  # longest first: step t runs the first active[t] sentences
        b = active[0]
        msgs[:b] = init
        z = msgs[:b] * E[:b]
        halves = z.reshape(b, 2, T)
        at = b
        for t, b in enumerate(active[1:], 1):
            if t % every == 0:
                halves[:b] /= halves[:b].sum(2, keepdims=True)
            step = msgs[at:at + b]
            np.matmul(z[:b], Q, out=step)
            np.multiply(step, E[at:at + b], out=z[:b])
            at += b
        into[0][rows] = msgs[:, :T]
        into[1][back] = msgs[:, T:]
    marg = into[0] * E_all[:N] * into[1]
    marg /= marg.sum(1, keepdims=True)
    return marg


def viterbi_batch(scores: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[list[int]]:
    """``viterbi`` for many sentences at once."""
    path = flat_viterbi(_join(scores, len(start)), [len(x) for x in scores], trans, start, end)
    return [p.tolist() for p in _split(path, scores)]


def flat_viterbi(scores: np.ndarray, lengths: Sequence[int], trans: np.ndarray, start: np.ndarray,
                 end: np.ndarray) -> np.ndarray:
    """The best tag path (N,) of every sentence whose score rows, one after the other, are
    `scores`, in batches of up to ``BATCH`` sentences."""
    N, T = len(scores), len(start)
    out = np.zeros(N, np.int64)
    S_all = np.zeros((N + 1, T))
    S_all[:N] = scores
    for at, _, live in padded_batches(lengths):
        S = S_all[at]  # (L, B, T)
        L, B = at.shape
        back = np.empty((L, B, T), np.int64)
        best = np.empty((L, B, T))  # the best score of a path ending in each tag at each step
        best[0] = start + S[0]
        for t in range(1, L):
            cand = best[t - 1][:, :, None] + trans  # (B, from, to)
            back[t] = cand.argmax(1)
            np.add(cand.max(1), S[t], out=best[t])
        back[~live] = np.arange(T)  # past the end: stay put
        rows = np.arange(B)
        cur = (best[live.sum(0) - 1, rows] + end).argmax(1)
        path = np.empty((L, B), np.int64)
        for t in range(L - 1, -1, -1):
            path[t] = cur
            cur = back[t, rows, cur]
        out[at[live]] = path[live]
    return out


def _join(rows: Sequence[np.ndarray], T: int) -> np.ndarray:
    return np.concatenate(rows) if len(rows) else np.zeros((0, T))


def _split(flat: np.ndarray, like: Sequence) -> list[np.ndarray]:
    return np.split(flat, np.cumsum([len(x) for x in like])[:-1]) if len(like) else []


def viterbi(scores: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag path for per-token scores (n, T) under transition scores (T, T)."""
    n = scores.shape[0]
    sc = start + scores[0]
    back = []
    for i in range(1, n):
        cand = sc[:, None] + trans
        back.append(cand.argmax(0))
        sc = cand.max(0) + scores[i]
    best = [int((sc + end).argmax())]
    for bp in reversed(back):
        best.append(int(bp[best[-1]]))
    return best[::-1]
