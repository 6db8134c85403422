"""Train the BiLSTM-CRF half of the NER model with torch; export it for numpy.

Called by ``rasid train ner`` (``rasid.train.ner``); needs the ``train`` extra
(``pip install -e ".[train]"``, torch CPU). The exported ``nn.npz`` is read by
``rasid.stages.ner_nn.BiLSTMCRF`` with numpy only. One thread and a fixed seed make a
run reproducible on the same machine and torch build.
"""
from __future__ import annotations

import io
import random
import time
from typing import Callable, Sequence

import numpy as np

from ..stages.ner_features import Resources, TokenBatch, document_features, match_gazetteer
from ..stages.ner_nn import TAGS, Vocab, feature_names

TAG_ID = {t: i for i, t in enumerate(TAGS)}
#: the document-level features (``--doc-features W``) a network reads: how the other
#: mentions of a word were seen (a trigger right before one or through punctuation, inside a
#: gazetteer phrase of a type, the word recurring), not the words around them (``D:-1b=W``,
#: ``D:+1b=W``), which the CRF weighs word by word. As inputs those made the feature
#: projection 36 times wider (7,790 seen 20 times or more in a fold's training sentences)
#: and cold tagging 39,600 -> 24,100 tokens/s (docs/ner.md, "Document-level features in the network").
DOC_INPUTS = ("D:rep", "D:trig=", "D:ptrig=", "D:g:")


def document_inputs(sents: Sequence[Sequence[str]], describe, res: Resources, window: int) -> list:
    """Per sentence, per token: its document-level features (``document_features``), the
    sentences read as running text within `window` sentences either side; ``[]`` per
    sentence when `window` is 0."""
    if not window:
        return [[] for _ in sents]
    batch = TokenBatch(sents, describe, res)
    return batch.sentences(document_features(batch, window))


def build_vocab(wv, top: int, sents: Sequence[Sequence[str]], describe, res: Resources,
                doc_window: int = 0) -> tuple[Vocab, np.ndarray]:
    """Word vocabulary = the `top` most frequent word2vec words (unit vectors); characters
    and discrete features = those seen in the training sentences; with `doc_window` also
    the kinds of their document-level features in ``DOC_INPUTS``."""
    words = list(wv.index_to_key[:top])
    E = np.asarray([wv[w] for w in words], dtype=np.float32)
    E /= np.linalg.norm(E, axis=1, keepdims=True) + 1e-8
    E = np.vstack([np.zeros((2, E.shape[1]), np.float32), E])
    chars: dict[str, None] = {}
    feats: dict[str, None] = {}
    for toks in sents:
        infos = [describe(t) for t in toks]
        gaz = match_gazetteer(infos, res)
        for i, x in enumerate(infos):
            for ch in ("<" + x.norm + ">")[:20]:
                chars.setdefault(ch)
            for f in feature_names(infos, gaz, i):
                feats.setdefault(f)
    seen = {f for doc in document_inputs(sents, describe, res, doc_window) for d in doc for f in d}
    feats.update((f, None) for f in seen if f.startswith(DOC_INPUTS))
    return Vocab(words, sorted(chars), sorted(feats)), E


def _torch_model(E: np.ndarray, n_chars: int, n_feats: int, hidden: int, dropout: float, finetune: bool):
    import torch
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            # the word2vec vectors as initial weights (what Embedding.from_pretrained does)
            self.emb = nn.Embedding(*E.shape, padding_idx=0, sparse=finetune, _weight=torch.tensor(E), _freeze=not finetune)
            self.cemb = nn.Embedding(n_chars + 2, 32, padding_idx=0)
            self.conv = nn.Conv1d(32, 64, 3, padding=1)
            self.fproj = nn.Linear(max(n_feats, 1), 32)
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(E.shape[1] + 64 + 32, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def encode(self, W, Ch, F, M):
            """The BiLSTM's states (forward half, backward half) of each token."""
            B, L, C = Ch.shape
            ce = self.cemb(Ch.view(B * L, C)).transpose(1, 2)
            cm = (Ch.view(B * L, C) > 0).unsqueeze(1)
            h = torch.relu(self.conv(ce)).masked_fill(~cm, 0).max(dim=2).values.view(B, L, -1)
            x = self.drop(torch.cat([self.emb(W), h, torch.relu(self.fproj(F))], -1))
            packed = nn.utils.rnn.pack_padded_sequence(x, M.sum(1), batch_first=True, enforce_sorted=False)
            o, _ = self.lstm(packed)
            return nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=L)[0]

        def emissions(self, W, Ch, F, M):
            return self.out(self.drop(self.encode(W, Ch, F, M)))

        def nll(self, em, Y, M):
            L = em.shape[1]
            s = self.start[Y[:, 0]] + em[:, 0].gather(1, Y[:, :1]).squeeze(1)
            for i in range(1, L):
                s = s + M[:, i] * (self.trans[Y[:, i - 1], Y[:, i]] + em[:, i].gather(1, Y[:, i:i + 1]).squeeze(1))
            s = s + self.end[Y.gather(1, (M.sum(1) - 1).unsqueeze(1)).squeeze(1)]
            a = self.start + em[:, 0]
            for i in range(1, L):
                nxt = torch.logsumexp(a.unsqueeze(2) + self.trans + em[:, i].unsqueeze(1), dim=1)
                a = torch.where(M[:, i:i + 1], nxt, a)
            return (torch.logsumexp(a + self.end, 1) - s).sum()

    return Tagger()


#: the layers of the network from the output down, for discriminative learning rates: the
#: CRF output layer, the BiLSTM, then what feeds it (characters, CNN, feature projection).
#: The word vectors (``emb.``) are word2vec's, not the language model's: their fine-tuned
#: rows keep the full rate (their own sparse optimiser).
LAYERS = (("out.", "trans", "start", "end"), ("lstm.",), ("cemb.", "conv.", "fproj."))


def encoder_groups(model, decay: float = 1.0) -> list[dict]:
    """The dense parameters as Adam groups, one per layer of ``LAYERS``; layer k (0 = the
    output) learns at the rate × ``scale`` = decay**-k (ULMFiT's discriminative rates,
    decay 2.6 there). With decay 1 every group has the full rate, which is the same Adam
    update as one group."""
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad and not n.startswith("emb.")]
    layer = [next(k for k, prefixes in enumerate(LAYERS) if n.startswith(prefixes)) for n, _ in named]
    return [{"params": [p for (_, p), k in zip(named, layer) if k == depth], "scale": decay ** -depth}
            for depth in range(len(LAYERS))]


def _batch(items, n_feats: int):
    import torch

    B = len(items)
    L = max(len(w) for (w, _, _), _ in items)
    C = max(len(cs) for (_, c, _), _ in items for cs in c)
    W = torch.zeros(B, L, dtype=torch.long)
    Ch = torch.zeros(B, L, C, dtype=torch.long)
    F = torch.zeros(B, L, max(n_feats, 1))
    M = torch.zeros(B, L, dtype=torch.bool)
    Y = torch.zeros(B, L, dtype=torch.long)
    for b, ((w, c, f), y) in enumerate(items):
        n = len(w)
        W[b, :n] = torch.tensor(w)
        M[b, :n] = True
        Y[b, :n] = torch.tensor(y)
        for i in range(n):
            Ch[b, i, :len(c[i])] = torch.tensor(c[i])
            if f[i]:
                F[b, i, f[i]] = 1.0
    return W, Ch, F, M, Y


def export_vectors(words: Sequence[str], E: np.ndarray) -> bytes:
    """The shared word vectors (``vectors.npz``: words, float16 unit vectors); row i of
    the matrix is word i, ids 0 and 1 (padding, unknown) are added on load."""
    return write_vectors_npz(np.array(list(words)), E[2:].astype(np.float16))


def write_vectors_npz(words: np.ndarray, vectors: np.ndarray) -> bytes:
    """``vectors.npz`` with the word list compressed and the float16 matrix stored as it is:
    float16 noise barely compresses (16.5 against 17.9 MB) and inflating it was a tenth
    of a second of every cold start."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, arr, method in (("words", words, zipfile.ZIP_DEFLATED), ("vectors", vectors, zipfile.ZIP_STORED)):
            member = io.BytesIO()
            np.save(member, arr, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def export(model, vocab: Vocab, E: np.ndarray) -> bytes:
    """The weights as an ``.npz`` for ``BiLSTMCRF``; of the word vectors only the rows
    that fine-tuning changed are kept (float16), the rest come from ``vectors.npz``."""
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    emb = sd["emb.weight"]
    changed = np.flatnonzero(np.abs(emb - E).max(axis=1) > 0)
    arrays = {
        "chars": np.array(sorted(vocab.chars, key=vocab.chars.get)),
        "feats": np.array(sorted(vocab.feats, key=vocab.feats.get)),
        "emb_ids": changed.astype(np.int32), "emb_rows": emb[changed].astype(np.float16),
        "cemb": sd["cemb.weight"], "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"],
        "fproj_w": sd["fproj.weight"], "fproj_b": sd["fproj.bias"],
        "out_w": sd["out.weight"], "out_b": sd["out.bias"],
        "trans": sd["trans"], "start": sd["start"], "end": sd["end"],
    }
    for d, suffix in (("f", ""), ("b", "_reverse")):
        arrays[f"wih_{d}"] = sd[f"lstm.weight_ih_l0{suffix}"]
        arrays[f"whh_{d}"] = sd[f"lstm.weight_hh_l0{suffix}"]
        arrays[f"b_{d}"] = sd[f"lstm.bias_ih_l0{suffix}"] + sd[f"lstm.bias_hh_l0{suffix}"]
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def train_bilstm_crf(train: Sequence[tuple[list[str], list[str]]], vocab: Vocab, E: np.ndarray, describe,
                     res: Resources, *, seed: int, epochs: int, hidden: int = 128, dropout: float = 0.5,
                     lr: float = 2e-3, finetune: bool = True, batch_size: int = 16, word_dropout: float = 0.1,
                     pretrain: Sequence[tuple[list[str], list[str]]] = (), pretrain_epochs: int = 0,
                     lm: dict | None = None, doc_window: int = 0, encoder_lr_decay: float = 1.0,
                     on_epoch: Callable[[int, object], None] | None = None, log=print):
    """Train on `train` (token strings, BIO tags) for `epochs` epochs; return the model.
    With `pretrain` (other labelled sentences, e.g. Wikipedia NER mapped to the four
    types), first `pretrain_epochs` epochs run over those at the full learning rate with
    the word vectors frozen; then `train` as usual. With `lm` (``ner_lm.language_model``)
    the encoder starts from the language model's weights (`vocab` must hold its
    characters and features: ``ner_lm.merge_vocab``). With `doc_window` the network reads the
    document-level features of `train` and `pretrain`, each read as running text (`vocab`
    from ``build_vocab(..., doc_window)``). `encoder_lr_decay` D > 1 gives ULMFiT's
    discriminative learning rates in every epoch (``encoder_groups``), so that the NER epochs
    adjust a pretrained encoder instead of overwriting it.
    `on_epoch(epoch, model)` is called after each epoch (dev scoring in experiments)."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    rng = random.Random(seed)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(seed)

    def encode(sents):
        docs = document_inputs([t for t, _ in sents], describe, res, doc_window)
        return [(vocab.encode([describe(t) for t in toks], res, doc), [TAG_ID.get(y, 0) for y in tags])
                for (toks, tags), doc in zip(sents, docs)]

    def batches_of(data):
        order = sorted(range(len(data)), key=lambda i: len(data[i][0][0]))
        return [order[k:k + batch_size] for k in range(0, len(order), batch_size)]

    model = _torch_model(E, len(vocab.chars), len(vocab.feats), hidden, dropout, finetune)
    if lm is not None:
        from .ner_lm import load_encoder

        load_encoder(model, vocab, lm)
    dense = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("emb.")]
    opt = torch.optim.Adam(encoder_groups(model, encoder_lr_decay), lr=lr)
    sparse_opt = torch.optim.SparseAdam([model.emb.weight], lr=lr) if finetune else None

    def epoch(data, batches, rate: float, tune_words: bool) -> float:
        for o in filter(None, (opt, sparse_opt)):
            for group in o.param_groups:
                group["lr"] = rate * group.get("scale", 1.0)
        rng.shuffle(batches)
        total = 0.0
        model.train()
        for bt in batches:
            W, Ch, F, M, Y = _batch([data[i] for i in bt], len(vocab.feats))
            if word_dropout:  # a word seen as unknown now and then: the chars and features must carry it
                W = W.masked_fill((torch.rand(W.shape, generator=gen) < word_dropout) & (W > 0), 1)
            loss = model.nll(model.emissions(W, Ch, F, M), Y, M)
            opt.zero_grad()
            if sparse_opt:
                sparse_opt.zero_grad()
            (loss / len(bt)).backward()
            nn.utils.clip_grad_norm_(dense, 5.0)
            opt.step()
            if sparse_opt and tune_words:
                sparse_opt.step()
            total += loss.item()
        model.eval()
        return total

    if pretrain and pretrain_epochs:
        pre = encode(pretrain)
        pre_batches = batches_of(pre)
        for ep in range(pretrain_epochs):
            t0 = time.time()
            total = epoch(pre, pre_batches, lr, False)
            log(f"pretraining epoch {ep + 1}/{pretrain_epochs} ({len(pre)} sentences): loss {total:.0f} ({time.time() - t0:.0f}s)")
    data = encode(train)
    batches = batches_of(data)
    for ep in range(epochs):
        t0 = time.time()
        # learning rate decays linearly to a tenth: the last epoch is a stable one to ship
        total = epoch(data, batches, lr * (1.0 - 0.9 * ep / max(epochs - 1, 1)), True)
        log(f"epoch {ep + 1}/{epochs}: loss {total:.0f} ({time.time() - t0:.0f}s)")
        if on_epoch:
            on_epoch(ep, model)
    return model
