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
  trigger words, clitic, article, shape, length and frequency bucket, ``ptrig``),

fed to one bidirectional LSTM and a CRF layer. Inference is batched: the sentences of a
call are sorted by length and run through the LSTM together, one matrix product per time
step; the character CNN and the per-token inputs are cached per token string.
``LinearCRF`` computes the feature CRF's posteriors from its weights with the same
batched forward-backward (``crf_marginals``); ``ner.py`` averages the posteriors.
"""
from __future__ import annotations

import io
from itertools import repeat
from typing import Sequence

import numpy as np

from .ner_features import Resources, TokenInfo, match_gazetteer, sentence_features

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
FEAT_PREFIX = ("k=", "cl=", "art=", "fq=", "trig=", "nisba", "c~", "c=none", "len=", "sh=")
MAX_CHARS = 20
BATCH = 128
#: length ratio that ends a batch of the LSTM (`length_batches`); the CRF's forward-backward
#: and Viterbi (9 tags: tiny steps) put every sentence of a call in one batch of ``BATCH``
LSTM_RATIO = 1.5


def feature_names(infos: Sequence[TokenInfo], gaz: list[list[str]], i: int) -> list[str]:
    """The discrete inputs of token `i` (strings; the model maps them to ids)."""
    return [x for x in infos[i].own if x.startswith(FEAT_PREFIX)] + gaz[i] + _ptrig(infos, i)


class Vocab:
    """Word, character and feature ids, shared by training and inference."""

    def __init__(self, words: Sequence[str], chars: Sequence[str], feats: Sequence[str]):
        self.words = {w: i + 2 for i, w in enumerate(words)}  # 0 padding, 1 unknown
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

    def encode(self, infos: Sequence[TokenInfo], res: Resources):
        """(word ids, char ids per token, feature ids per token) of one sentence (training)."""
        gaz = match_gazetteer(infos, res)
        words = [self.word_id(x) for x in infos]
        char_ids = [self.char_ids(x.norm) for x in infos]
        feats = [[self.feats[f] for f in feature_names(infos, gaz, i) if f in self.feats] for i in range(len(infos))]
        return words, char_ids, feats


class WordVectors:
    """The shared ``vectors.npz``: word list and float16 matrix (ids 0, 1 = pad, unknown)."""

    def __init__(self, raw: bytes):
        z = np.load(io.BytesIO(raw), allow_pickle=False)
        self.words = z["words"].tolist()
        vecs = z["vectors"]
        self.matrix = np.vstack([np.zeros((2, vecs.shape[1]), np.float16), vecs])


class BiLSTMCRF:
    """numpy forward pass of a model trained by ``rasid.train.ner_nn``."""

    def __init__(self, raw: bytes, vectors: WordVectors):
        z = np.load(io.BytesIO(raw), allow_pickle=False)
        self.vocab = Vocab(vectors.words, [str(c) for c in z["chars"]], [str(f) for f in z["feats"]])
        ids = z["emb_ids"]
        if len(ids):
            self.emb = vectors.matrix.copy()
            self.emb[ids] = z["emb_rows"]
        else:
            self.emb = vectors.matrix
        f32 = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.cemb, self.conv_w, self.conv_b = f32("cemb"), f32("conv_w"), f32("conv_b")
        self.fproj_w, self.fproj_b = f32("fproj_w"), f32("fproj_b")
        H = z["whh_f"].shape[1]
        order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]  # torch's (i, f, g, o) -> (i, f, o, g)
        scale = -np.r_[np.ones(3 * H), np.full(H, 2.0)].astype(np.float32)  # see _run
        self.lstm = {d: ((f32(f"wih_{d}")[order] * scale[:, None]).T.copy(),
                         (f32(f"whh_{d}")[order] * scale[:, None]).T.copy(), f32(f"b_{d}")[order] * scale)
                     for d in ("f", "b")}
        self.out_wT, self.out_b = f32("out_w").T.copy(), f32("out_b")
        self.fproj_wT = self.fproj_w.T.copy()
        self._token_cache: dict[str, np.ndarray] = {}
        self.trans, self.start, self.end = (z[k].astype(np.float64) for k in ("trans", "start", "end"))
        # character c at window offset k adds cemb[c] @ conv_w[:, :, k].T (id 0: zero padding)
        self._char_proj = [self.cemb @ self.conv_w[:, :, k].T for k in range(self.conv_w.shape[2])]
        self._char_cache: dict[str, np.ndarray] = {}

    def char_vectors(self, norms: Sequence[str]) -> np.ndarray:
        """Character-CNN vectors (N, F) of normalised tokens; cached per string. The
        convolution is a sum of K lookups: ``proj[k][c]`` is character c's contribution
        at window offset k, precomputed at load."""
        cache = self._char_cache
        todo = list(dict.fromkeys(x for x in norms if x not in cache))
        if todo:
            if len(cache) + len(todo) > CHAR_CACHE:
                cache.clear()  # then every string of the call is missing, not only the new ones
                todo = list(dict.fromkeys(norms))
            K = len(self._char_proj)
            pad = K // 2
            for lo in range(0, len(todo), 1024):  # chunks keep the temporaries small
                chunk = todo[lo:lo + 1024]
                ids = np.zeros((len(chunk), MAX_CHARS + 2 * pad), np.int64)
                for r, norm in enumerate(chunk):
                    cs = self.vocab.char_ids(norm)
                    ids[r, pad:pad + len(cs)] = cs
                h = self._char_proj[0][ids[:, :MAX_CHARS]]
                for k in range(1, K):
                    h += self._char_proj[k][ids[:, k:k + MAX_CHARS]]
                h += self.conv_b
                np.maximum(h, 0.0, out=h)
                h *= (ids[:, pad:pad + MAX_CHARS] > 0)[:, :, None]  # relu >= 0: masked max = max
                for norm, vec in zip(chunk, h.max(axis=1)):
                    cache[norm] = vec
        return np.stack([cache[x] for x in norms])

    def inputs(self, sentences: Sequence[Sequence[str]], infos: Sequence[Sequence[TokenInfo]],
               gaz: Sequence[list[list[str]]]) -> list[np.ndarray]:
        """The input matrices (n, D) of sentences: token strings, their ``describe``
        infos and ``match_gazetteer`` features. The part that depends on the token alone
        (word vector, character CNN, projection of its own features) is cached per
        token string; the gazetteer and ``ptrig`` features are added per sentence."""
        cache = self._token_cache
        todo = _missing(cache, sentences, infos)
        if todo:
            self._fill_cache(list(todo), list(todo.values()))
        feats, wT = self.vocab.feats, self.fproj_wT
        nf = wT.shape[1]
        out = []
        for toks, xs, gz in zip(sentences, infos, gaz):
            X = np.stack([cache[tok] for tok in toks])
            for i in range(len(toks)):
                for f in gz[i] + _ptrig(xs, i):
                    j = feats.get(f)
                    if j is not None:
                        X[i, -nf:] += wT[j]
            fp = X[:, -nf:]
            np.maximum(fp, 0.0, out=fp)
            out.append(X)
        return out

    def _fill_cache(self, tokens: Sequence[str], infos: Sequence[TokenInfo]) -> None:
        cache = self._token_cache
        vocab = self.vocab
        words = [vocab.word_id(x) for x in infos]
        chars = self.char_vectors([x.norm for x in infos])
        F = np.zeros((len(infos), self.fproj_wT.shape[0]), np.float32)
        for i, x in enumerate(infos):
            F[i, [vocab.feats[f] for f in x.own if f.startswith(FEAT_PREFIX) and f in vocab.feats]] = 1.0
        pre = F @ self.fproj_wT + self.fproj_b  # before the ReLU: sentence features are added first
        rows = np.concatenate([self.emb[words].astype(np.float32), chars, pre], axis=1)
        for tok, row in zip(tokens, rows):
            cache[tok] = row

    def _run(self, X: np.ndarray, d: str) -> np.ndarray:
        """One LSTM direction over a batch (B, L, D) -> (B, L, H). At load the gates were
        reordered to (i, f, o, g), negated, and the g rows doubled, so that one ``exp``
        gives all four: sigmoid(x) = 1 / (1 + exp(-x)), tanh(x) = 2 sigmoid(2x) - 1."""
        wihT, whhT, b = self.lstm[d]
        B, L, _ = X.shape
        H = whhT.shape[0]
        G = X @ wihT
        G += b
        c = np.zeros((B, H), np.float32)
        e = np.empty((B, H), np.float32)
        out = np.empty((B, L, H), np.float32)
        h = np.zeros((B, H), np.float32)
        with np.errstate(over="ignore"):  # exp -> inf gives 1 / (1 + inf) = 0: the right limit
            for t in range(L):
                g = h @ whhT
                g += G[:, t]
                np.exp(g, out=g)
                g += 1.0
                np.reciprocal(g, out=g)  # sigmoid of i, f, o; sigmoid(2x) for g
                u = g[:, 3 * H:]
                u *= 2.0
                u -= 1.0  # tanh of the candidate
                u *= g[:, :H]
                c *= g[:, H:2 * H]
                c += u
                np.multiply(c, -2.0, out=e)
                np.exp(e, out=e)
                e += 1.0
                np.reciprocal(e, out=e)
                e *= 2.0
                e -= 1.0  # tanh(c)
                h = e * g[:, 2 * H:3 * H]
                out[:, t] = h
        return out

    def emissions(self, sentences: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per-token tag scores (n, T) of sentences given as input matrices; the LSTM runs
        over length-sorted batches, one matrix product per time step."""
        out: list = [None] * len(sentences)
        for idx in length_batches([len(x) for x in sentences]):
            lens = [len(sentences[k]) for k in idx]
            L = max(lens)
            X = np.zeros((len(idx), L, sentences[idx[0]].shape[1]), np.float32)
            R = np.zeros_like(X)
            for r, k in enumerate(idx):
                X[r, :lens[r]] = sentences[k]
                R[r, :lens[r]] = sentences[k][::-1]
            hf = self._run(X, "f")
            hb = self._run(R, "b")
            for r, k in enumerate(idx):
                n = lens[r]
                out[k] = (np.concatenate([hf[r, :n], hb[r, :n][::-1]], axis=1) @ self.out_wT + self.out_b).astype(np.float64)
        return [np.zeros((0, len(TAGS))) if x is None else x for x in out]

    def marginals(self, sentences: Sequence[np.ndarray]) -> list[np.ndarray]:
        """CRF posteriors P(tag_i = t), (n, T) per sentence."""
        return crf_marginals(self.emissions(sentences), self.trans, self.start, self.end)


#: character-CNN vectors kept per string (`char_vectors`), and per-token rows kept by the
#: networks and the CRF (`_missing`): bounded so that a worker's memory stops growing with
#: the number of articles it has analysed (issue 17 item 4); frequent forms come back at once.
#: The character vectors are only asked for the tokens the row cache lacks (rare ones), so
#: few come back: 1.4 % hits with 10,000, 29 % unbounded (bench/memory_worker.py
#: --hit-rates, 1,500 articles); a vector is a few microseconds of numpy to recompute.
CHAR_CACHE = 10_000


def _missing(cache: dict, sentences: Sequence[Sequence[str]], infos: Sequence[Sequence[TokenInfo]],
             limit: int = 60_000) -> dict[str, TokenInfo]:
    """The token strings of `sentences` that `cache` lacks, with their analyses; the cache
    is emptied first when it would grow past `limit` entries."""
    todo: dict[str, TokenInfo] = {}
    for toks, xs in zip(sentences, infos):
        for tok, x in zip(toks, xs):
            if tok not in cache:
                todo[tok] = x
    if len(cache) + len(todo) > limit:
        cache.clear()  # then every token of the call is missing (a call may hold more than `limit`)
        todo = {tok: x for toks, xs in zip(sentences, infos) for tok, x in zip(toks, xs)}
    return todo


def _ptrig(infos: Sequence[TokenInfo], i: int) -> list[str]:
    """``ptrig=TYPE`` when a trigger word precedes token `i` through punctuation or nisba
    adjectives (الرئيس الفرنسي، فرانسوا), as in the CRF features."""
    for j in range(i - 1, max(i - 5, -1), -1):
        pj = infos[j]
        if pj.trig:
            return ["ptrig=" + pj.trig] if j < i - 1 else []
        if not pj.skip:
            return []
    return []


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
        self._static: dict[str, np.ndarray] = {}

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
        """State scores (n, T) of one sentence's feature lists."""
        if not features:
            return np.zeros((0, len(TAGS)))
        get, unk = self.attrs.get, repeat(len(self.attrs))  # unseen attributes: the zero row
        ids: list[int] = []
        offsets: list[int] = []
        zero = len(self.attrs)
        for fs in features:
            offsets.append(len(ids))
            ids.append(zero)  # the zero row: a list may be empty (no neighbour at -2, say)
            ids.extend(map(get, fs, unk))
        return np.add.reduceat(self.weights[ids], offsets, axis=0)

    def sentence_scores(self, sentences: Sequence[Sequence[str]], infos: Sequence[Sequence[TokenInfo]],
                        gaz: Sequence[list[list[str]]]) -> list[np.ndarray]:
        """``scores(extract_features(...))`` of each sentence without building the
        feature strings: what a token contributes through its own features and as a
        neighbour at -2..+2 is summed once per token string and cached; only the
        ``sentence_features`` are looked up, in one batch for all the sentences."""
        cache = self._static
        todo = _missing(cache, sentences, infos)
        if todo:
            lists = [f for x in todo.values() for f in (["bias", *x.own], x.prev, x.after, x.back2, x.ahead2)]
            for tok, a in zip(todo, self.scores(lists).reshape(len(todo), 5, len(TAGS))):
                cache[tok] = a
        dyn = self.scores([sentence_features(xs, gz, i) for xs, gz in zip(infos, gaz) for i in range(len(xs))])
        out, at = [], 0
        for toks in sentences:
            n = len(toks)
            if not n:
                out.append(np.zeros((0, len(TAGS))))
                continue
            A = np.stack([cache[tok] for tok in toks])  # (n, 5, T): own, as -1, as +1, as -2, as +2
            S = A[:, 0] + dyn[at:at + n]
            at += n
            S[1:] += A[:-1, 1]
            S[:-1] += A[1:, 2]
            S[2:] += A[:-2, 3]
            S[:-2] += A[2:, 4]
            out.append(S)
        return out

    def marginals(self, features: Sequence[Sequence[Sequence[str]]]) -> list[np.ndarray]:
        return crf_marginals([self.scores(f) for f in features], self.trans, self.start, self.end)


def length_batches(lengths: Sequence[int], ratio: float = LSTM_RATIO) -> list[list[int]]:
    """Indices of the non-empty sequences in batches of similar length (sorted; a batch
    ends at ``BATCH`` items or when a sequence is over `ratio` times its first), so that
    every time step is one operation over the batch. Each time step costs a dozen numpy
    calls whatever the batch's size, so for the small matrices here fewer, more padded
    batches are faster; a sequence's numbers do not depend on the others in its batch."""
    order = sorted((k for k, n in enumerate(lengths) if n), key=lambda k: lengths[k])
    batches: list[list[int]] = []
    for k in order:
        if batches and len(batches[-1]) < BATCH and lengths[k] <= ratio * lengths[batches[-1][0]] + 2:
            batches[-1].append(k)
        else:
            batches.append([k])
    return batches


def crf_marginals(emissions: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[np.ndarray]:
    """Posteriors P(tag_i = t) of a linear-chain CRF, (n, T) per sentence: forward-backward
    over length-sorted batches in probability space, rescaled at every step."""
    out: list = [None] * len(emissions)
    P = np.exp(trans - trans.max())
    PT = P.T.copy()
    first, last = np.exp(start - start.max()), np.exp(end - end.max())
    for idx in length_batches([len(x) for x in emissions], ratio=float("inf")):
        lens = np.array([len(emissions[k]) for k in idx])
        B, L, T = len(idx), int(lens.max()), len(first)
        E = np.ones((B, L, T))
        for r, k in enumerate(idx):
            em = emissions[k]
            E[r, :lens[r]] = np.exp(em - em.max(axis=1, keepdims=True))
        alpha = np.empty((B, L, T))
        beta = np.empty((B, L, T))
        a = first * E[:, 0]
        alpha[:, 0] = a = a / a.sum(1, keepdims=True)
        for t in range(1, L):  # past its end a sequence runs on over E = 1: never read
            a = (a @ P) * E[:, t]
            a /= a.sum(1, keepdims=True)
            alpha[:, t] = a
        b = np.broadcast_to(last, (B, T))
        beta[:, L - 1] = b
        for t in range(L - 2, -1, -1):
            nxt = (E[:, t + 1] * b) @ PT
            nxt /= nxt.sum(1, keepdims=True)
            beta[:, t] = b = np.where((t < lens - 1)[:, None], nxt, last)
        marg = alpha * beta
        marg /= marg.sum(2, keepdims=True)
        for r, k in enumerate(idx):
            out[k] = marg[r, :lens[r]]
    for k, em in enumerate(emissions):
        if out[k] is None:
            out[k] = np.zeros((0, len(first)))
    return out


def viterbi_batch(scores: Sequence[np.ndarray], trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[list[int]]:
    """``viterbi`` for many sentences at once (length-sorted batches of ``BATCH``)."""
    out: list = [[] for _ in scores]
    for idx in length_batches([len(x) for x in scores], ratio=float("inf")):
        lens = np.array([len(scores[k]) for k in idx])
        B, L, T = len(idx), int(lens.max()), len(start)
        S = np.zeros((B, L, T))
        for r, k in enumerate(idx):
            S[r, :lens[r]] = scores[k]
        back = np.zeros((B, L, T), np.int64)
        sc = start + S[:, 0]
        rows = np.arange(B)
        for t in range(1, L):
            cand = sc[:, :, None] + trans  # (B, from, to)
            best = cand.argmax(1)
            nxt = cand[rows[:, None], best, np.arange(T)] + S[:, t]
            live = (t < lens)[:, None]
            back[:, t] = np.where(live, best, np.arange(T))  # past the end: stay put
            sc = np.where(live, nxt, sc)
        cur = (sc + end).argmax(1)
        path = np.empty((B, L), np.int64)
        for t in range(L - 1, -1, -1):
            path[:, t] = cur
            cur = back[rows, t, cur]
        for r, k in enumerate(idx):
            out[k] = path[r, :lens[r]].tolist()
    return out


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
