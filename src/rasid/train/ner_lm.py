"""Language-model pretraining of the NER network's encoder on unlabelled news
(``rasid train ner --lm-pretrain N``; issue 19 item 2, docs/ner.md).

Before its NER pretraining, the network's encoder (the word vectors, frozen; the
character CNN; the projection of the discrete features; the BiLSTM) is trained as a
language model on `N` SaudiNewsNet sentences, ELMo-style at word level: the forward
direction's state at token i predicts token i+1, the backward direction's state at i
predicts token i-1. The output is the word's k-means cluster (the finest level of
``clusters.tsv.gz``, 1,024 classes, plus one for words outside the clusters) so the
softmax is cheap on one CPU thread. The two prediction layers are dropped afterwards:
the tagger keeps the same shape and costs the same at run time.

The encoder depends only on the unlabelled text, the word vectors and the feature
resources, never on ANERcorp, so it is trained once and cached in ``--work``
(``lm-….pt``) and every cross-validation fold starts from the same weights. The rows of
characters and features are matched by name when a fold's vocabulary differs.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..arabic.tokenize import TOKEN_RE

NEWS = "news/saudinewsnet/saudinewsnet.jsonl.gz"
SENTENCE_END = {".", "!", "؟", "?", "؛"}
MAX_TOKENS = 60
VOCAB_SENTENCES = 20_000  # the characters and features the language model gives ids to come from these


def news_sentences(data: Path, n: int, seed: int) -> list[list[str]]:
    """`n` sentences (token strings, 5 to 60 tokens; all of them if there are fewer) drawn
    with `seed` from the titles and bodies of SaudiNewsNet: rasid's tokens, cut at . ! ؟ ؛
    and every 60 tokens."""
    sents: list[list[str]] = []
    with gzip.open(data / NEWS, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for field in ("title", "content"):
                for para in (rec.get(field) or "").split("\n"):
                    cur: list[str] = []
                    for m in TOKEN_RE.finditer(para):
                        cur.append(m.group())
                        if m.group() in SENTENCE_END or len(cur) >= MAX_TOKENS:
                            if len(cur) >= 5:
                                sents.append(cur)
                            cur = []
                    if len(cur) >= 5:
                        sents.append(cur)
    # n or all of them, in an order drawn with the seed (the vocabulary reads the first ones)
    return random.Random(seed).sample(sents, min(n, len(sents)))


def cluster_targets(words: Sequence[str], clusters: dict[str, tuple[str, ...]]) -> tuple[np.ndarray, int]:
    """The class each word id predicts: its finest cluster; padding, unknown and words
    outside the clusters share the last class. Returns (class per word id, classes)."""
    k = 1 + max((int(ids[-1]) for ids in clusters.values()), default=0)
    cls = np.full(len(words) + 2, k, dtype=np.int64)
    for i, w in enumerate(words):
        ids = clusters.get(w)
        if ids:
            cls[i + 2] = int(ids[-1])
    return cls, k + 1


def lm_key(n: int, seed: int, hidden: int, *parts: bytes) -> str:
    h = hashlib.sha256(f"{n}/{seed}/{hidden}".encode())
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()[:16]


def train_lm(sents: Sequence[list[str]], vocab, E: np.ndarray, cls: np.ndarray, n_classes: int, describe, res, *,
             seed: int, hidden: int, lr: float = 2e-3, dropout: float = 0.1, batch_size: int = 32,
             log: Callable[[str], None] = print) -> dict:
    """One epoch of the bidirectional cluster language model; returns the encoder's
    weights with the vocabulary's character and feature names."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as Fn

    from .ner_nn import _batch, _torch_model

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    model = _torch_model(E, len(vocab.chars), len(vocab.feats), hidden, dropout, finetune=False)
    heads = nn.ModuleList([nn.Linear(hidden, n_classes), nn.Linear(hidden, n_classes)])
    params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(("emb.", "out.", "trans", "start", "end"))]
    params += list(heads.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    # sentences are encoded batch by batch (one epoch: no copy of the corpus as ids)
    encode = lambda toks: (vocab.encode([describe(t) for t in toks], res), [0] * len(toks))  # noqa: E731
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    cls_t = torch.tensor(cls)
    model.train()
    t0, c0 = time.time(), time.process_time()
    done = total = count = 0
    for b, bt in enumerate(batches):
        rate = lr * (1.0 - 0.9 * b / max(len(batches) - 1, 1))
        for group in opt.param_groups:
            group["lr"] = rate
        W, Ch, F, M, _ = _batch([encode(sents[i]) for i in bt], len(vocab.feats))
        o = model.drop(model.encode(W, Ch, F, M))
        T = cls_t[W]
        pair = M[:, 1:] & M[:, :-1]  # token i and i+1 both real
        fwd = heads[0](o[:, :-1, :hidden][pair])  # state at i predicts i+1
        bwd = heads[1](o[:, 1:, hidden:][pair])  # state at i+1 predicts i
        loss = Fn.cross_entropy(fwd, T[:, 1:][pair]) + Fn.cross_entropy(bwd, T[:, :-1][pair])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        n = int(pair.sum())
        total += loss.item() * n
        count += n
        done += int(M.sum())
        if (b + 1) % 200 == 0 or b + 1 == len(batches):
            cpu = time.process_time() - c0
            log(f"language model: batch {b + 1}/{len(batches)}, loss {total / count / 2:.3f} per direction "
                f"(perplexity {np.exp(total / count / 2):.0f} over {n_classes} classes), "
                f"{done / max(cpu, 1e-9):.0f} tokens per CPU s, {time.time() - t0:.0f}s")
            total = count = 0
    model.eval()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()
             if k.startswith(("cemb.", "conv.", "fproj.", "lstm."))}
    return {"state": state, "chars": sorted(vocab.chars, key=vocab.chars.get),
            "feats": sorted(vocab.feats, key=vocab.feats.get), "hidden": hidden}


def merge_vocab(vocab, lm: dict):
    """The fold's vocabulary with the language model's characters and features added."""
    from ..stages.ner_nn import Vocab

    words = sorted(vocab.words, key=vocab.words.get)
    return Vocab(words, sorted(set(vocab.chars) | set(lm["chars"])), sorted(set(vocab.feats) | set(lm["feats"])))


def load_encoder(model, vocab, lm: dict) -> None:
    """Copy the language model's encoder into a tagger: the LSTM and the CNN as they are,
    the character rows and the feature projection's columns by name."""
    import torch

    state = lm["state"]
    sd = model.state_dict()
    with torch.no_grad():
        for k, v in state.items():
            if k.startswith(("lstm.", "conv.")) or k == "fproj.bias":
                sd[k].copy_(v)
        for name, i in vocab.chars.items():
            j = lm["chars"].index(name) + 2 if name in lm["chars"] else None
            if j is not None:
                sd["cemb.weight"][i] = state["cemb.weight"][j]
        lm_feats = {f: j for j, f in enumerate(lm["feats"])}
        for name, i in vocab.feats.items():
            if name in lm_feats:
                sd["fproj.weight"][:, i] = state["fproj.weight"][:, lm_feats[name]]


def language_model(data: Path, work: Path, n: int, seed: int, hidden: int, vocab_of, E: np.ndarray,
                   words: Sequence[str], clusters: dict, describe, res, key_parts: Sequence[bytes],
                   log: Callable[[str], None] = print) -> dict:
    """The encoder pretrained on `n` news sentences, trained once and cached in `work`."""
    import torch

    path = work / f"lm-{n}-h{hidden}-s{seed}-{lm_key(n, seed, hidden, *key_parts)}.pt"
    if path.exists():
        log(f"language model kept in {path}")
        return torch.load(path, weights_only=True)
    t0 = time.time()
    sents = news_sentences(data, n, seed)
    log(f"language model: {len(sents)} news sentences, {sum(map(len, sents))} tokens read ({time.time() - t0:.0f}s)")
    vocab = vocab_of(sents[:VOCAB_SENTENCES])
    cls, n_classes = cluster_targets(words, clusters)
    lm = train_lm(sents, vocab, E, cls, n_classes, describe, res, seed=seed, hidden=hidden, log=log)
    torch.save(lm, path)
    return lm
