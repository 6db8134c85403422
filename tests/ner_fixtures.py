"""Helpers shared by the NER training tests."""
from __future__ import annotations

import numpy as np


class RandomVectors:
    """The corner of gensim's KeyedVectors that ``rasid.train.ner_nn.build_vocab`` reads:
    a random 16-d vector per word."""

    def __init__(self, words):
        rng = np.random.default_rng(0)
        self.index_to_key = words
        self.vec = {w: rng.normal(size=16).astype(np.float32) for w in words}

    def __getitem__(self, w):
        return self.vec[w]
