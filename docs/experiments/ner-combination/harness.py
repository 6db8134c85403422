import pickle, time, functools, itertools, json
from pathlib import Path
import numpy as np
import rasid.stages.ner as nermod
from rasid.eval.ner import read_conll, score_entities
from rasid.train.ner_cv import fold_blocks
from rasid.stages.ner import NERTagger
from rasid.stages.ner_nn import TAGS, flat_marginals, flat_viterbi

data = Path('/work/shared/data')
sents = read_conll(data / 'ner/anercorp/train.txt')
blocks = fold_blocks(sents, 5)
ORIG_PROP = nermod.propagate_entities
ORIG_BEST = nermod.best_bio_paths
TYPE_OF = np.array([t[2:] if t != 'O' else 'O' for t in TAGS])

class Fold:
    def __init__(self, f, names=('base', 'lm')):
        self.f = f
        self.tokens = [t for t, _ in blocks[f]]
        self.gold = [y for _, y in blocks[f]]
        self.tg = NERTagger(Path('/tmp/rasid-ner-aqmar/cv') / f'fold-{f}', networks=0)
        self.batch = self.tg.batch(self.tokens)
        self.tg.batch = lambda s: self.batch
        self.overrides = self.tg.overrides
        self.d = {n: pickle.load(open(f'/tmp/ner7/marg/fold-{f}-{n}.pkl', 'rb')) for n in names}

    def members(self, which):
        """list of (marg, em, trans, start, end) for members like ('base',0) ('base',1) ('lm',1)"""
        out = []
        for n, i in which:
            d = self.d[n]
            out.append((d['marg'][i], d['em'][i], d['trans'][0][i], d['trans'][1][i], d['trans'][2][i]))
        return out

def combine(fold, cfg):
    """-> posterior (N,9) and log-score for decoding"""
    mem = fold.members(cfg.get('members', [('base', 0), ('base', 1)]))
    w = cfg.get('w', 0.5)
    k = len(mem) - 1
    ws = [w] + [(1 - w) / k] * k
    mode = cfg.get('mix', 'lin')
    if mode == 'lin':
        post = sum(wi * m[0] for wi, m in zip(ws, mem))
    elif mode == 'poe':
        lg = sum(wi * np.log(m[0] + 1e-12) for wi, m in zip(ws, mem))
        lg -= lg.max(1, keepdims=True)
        post = np.exp(lg); post /= post.sum(1, keepdims=True)
    elif mode == 'seq':
        em = sum(wi * m[1] for wi, m in zip(ws, mem))
        tr, st, en = (sum(wi * m[j] for wi, m in zip(ws, mem)) for j in (2, 3, 4))
        post = flat_marginals(em, fold.batch.lengths, tr, st, en)
    bias = np.zeros(len(TAGS))
    for t, b in cfg.get('bias', {}).items():
        bias[TYPE_OF == t] += b
    if bias.any():
        post = post * np.exp(bias)
        post /= post.sum(1, keepdims=True)
    return post

def argmax_paths(scores, lengths):
    return scores.argmax(axis=1)

def run(fold, cfg, post=None):
    if post is None:
        post = combine(fold, cfg)
    tg = fold.tg
    tg.batch_posteriors = lambda b: post
    nermod.best_bio_paths = argmax_paths if cfg.get('decode') == 'argmax' else ORIG_BEST
    nermod.propagate_entities = functools.partial(ORIG_PROP, min_conf=cfg.get('min_conf', 0.6), max_freq=cfg.get('max_freq', 3000))
    tg.overrides = fold.overrides if cfg.get('overrides', True) else {}
    ctx = cfg.get('context', 20)
    tags = tg.tag_sentences(fold.tokens, context=ctx)
    nermod.best_bio_paths = ORIG_BEST; nermod.propagate_entities = ORIG_PROP
    return tags

def counts(fold, tags):
    """per-type (tp, npred, ngold) for pooling"""
    from rasid.stages.ner_features import extract_entities
    c = {}
    for g, p in zip(fold.gold, tags):
        from rasid.eval.ner import normalize_tag
        G = set(extract_entities([normalize_tag(x) for x in g])); P = set(extract_entities(p))
        for t in ('PER', 'ORG', 'LOC', 'MISC'):
            gt = {e for e in G if e[2] == t}; pt = {e for e in P if e[2] == t}
            a = c.setdefault(t, [0, 0, 0]); a[0] += len(gt & pt); a[1] += len(pt); a[2] += len(gt)
    return c
