import os, pickle, time, functools, itertools, json
from pathlib import Path
import numpy as np
import rasid.stages.ner as nermod
from rasid.eval.ner import read_conll, score_entities
from rasid.train.ner_cv import fold_blocks
from rasid.stages.ner import NERTagger
from rasid.stages.ner_features import document_features
from rasid.stages.ner_nn import TAGS, flat_marginals, flat_viterbi

data = Path('/work/shared/data')
sents = read_conll(data / 'ner/anercorp/train.txt')
blocks = fold_blocks(sents, 5)
ORIG_PROP = nermod.propagate_entities
ORIG_BEST = nermod.best_bio_paths
MARG = Path(os.environ.get('NER_MARG', '/tmp/ner7/marg'))  # the dumped scores (dump.py)
TYPE_OF = np.array([t[2:] if t != 'O' else 'O' for t in TAGS])

def model_scores(model_dir, tokens, window=None):
    """each model's emissions, transitions and own marginals (CRF first, then the networks) on `tokens`,
    every model reading the features of its own directory's gazetteer and clusters (`window`: the
    document-level features' window of a CRF trained with them, default its own; 0: none)"""
    tg = NERTagger(Path(model_dir))
    batch = tg.batch(tokens)
    models = [tg.crf, *tg.nets]
    crf = tg.crf.batch_scores(batch)
    window = tg.manifest['settings'].get('doc_features', 0) if window is None else window
    doc = document_features(batch, window) if window else None
    if window:  # a CRF trained with --doc-features W: what the other mentions show, added by attribute
        crf = crf + tg.crf.scores([list(d) for d in doc])
    em = np.stack([crf] + [n.batch_emissions(batch, doc) for n in tg.nets])  # a network trained with them reads them
    tr = [np.stack([getattr(m, k) for m in models]) for k in ('trans', 'start', 'end')]
    marg = np.stack([flat_marginals(em[i], batch.lengths, *(t[i] for t in tr)) for i in range(len(em))])
    return {'em': em, 'trans': tr, 'marg': marg, 'lengths': batch.lengths}


class Fold:
    def __init__(self, f, names=('base', 'lm')):
        self.f = f
        self.tokens = [t for t, _ in blocks[f]]
        self.gold = [y for _, y in blocks[f]]
        self.setup()
        self.d = {n: pickle.load(open(MARG / f'fold-{f}-{n}.pkl', 'rb')) for n in names}

    def setup(self):
        """fold f's shipped-recipe tagger (decoding, overrides, the document-level pass) over these tokens"""
        self.tg = NERTagger(Path('/tmp/rasid-ner-aqmar/cv') / f'fold-{self.f}', networks=0)
        self.batch = self.tg.batch(self.tokens)
        self.tg.batch = lambda s: self.batch
        self.overrides = self.tg.overrides

    def members(self, which):
        """list of (marg, em, trans, start, end) for members like ('base',0) ('base',1) ('lm',1)"""
        out = []
        for n, i in which:
            d = self.d[n]
            out.append((d['marg'][i], d['em'][i], d['trans'][0][i], d['trans'][1][i], d['trans'][2][i]))
        return out


class AqmarFold(Fold):
    """AQMAR dev (out of domain) tagged by fold f's models; `dirs` name -> CV folder, each
    model's scores computed once (its own gazetteer) and kept in MARG/aqmar-fold-F-NAME.pkl"""
    sents = None

    def __init__(self, f, dirs):
        AqmarFold.sents = AqmarFold.sents or read_conll(data / 'ner/aqmar/dev.txt')
        self.f = f
        self.tokens = [t for t, _ in self.sents]
        self.gold = [y for _, y in self.sents]
        self.setup()
        self.d = {}
        for n, d in dirs.items():
            p = MARG / f'aqmar-fold-{f}-{n}.pkl'
            if not p.exists():  # d: CVDIR, or CVDIR:0 for its CRF's document-level features off
                d, _, w = d.partition(':')
                pickle.dump(model_scores(Path(d) / f'fold-{f}', self.tokens, int(w) if w else None), open(p, 'wb'))
            self.d[n] = pickle.load(open(p, 'rb'))


def combine(fold, cfg):
    """-> posterior (N,9) and log-score for decoding"""
    mem = fold.members(cfg.get('members', [('base', 0), ('base', 1)]))
    w = cfg.get('w', 0.5)
    k = len(mem) - 1
    ws = [w] + [(1 - w) / max(k, 1)] * k
    mode = cfg.get('mix', 'lin')
    if k == 0:  # one model alone: its own marginals
        post = mem[0][0]
    elif mode == 'lin':
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
    tg.batch_posteriors = lambda b, window=None: post
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


TYPES = ('PER', 'ORG', 'LOC', 'MISC')


def score(fo, cfg):
    """Micro and per-type F1 of configuration `cfg` on fold `fo` (expF, expG)."""
    s = score_entities(fo.gold, run(fo, cfg))
    tp, pr, pg = (sum(s[t][k] for t in ('PER', 'ORG', 'LOC')) for k in ('tp', 'pred', 'gold'))  # POL: PER/ORG/LOC only
    return {t: round(s[t]['f1'], 2) for t in TYPES} | {'micro': round(s['micro']['f1'], 2), 'POL': round(200 * tp / (pr + pg), 2),
            'P': round(s['micro']['precision'], 2), 'R': round(s['micro']['recall'], 2)}


def line(name, rows, base):
    """One result line: per-block micro-F1, mean ± sd, paired against `base`, per type."""
    f1 = np.array([r['micro'] for r in rows]); d = f1 - [r['micro'] for r in base]
    print(f'{name:60}', ' '.join(f'{x:6.2f}' for x in f1), f'mean {f1.mean():.2f} ± {f1.std(ddof=1):.2f} | paired',
          ' '.join(f'{x:+.2f}' for x in d), f'{d.mean():+.2f} ± {d.std(ddof=1):.2f}')
    print('    per type, per block:', ' | '.join(t + ' ' + ' '.join(f'{r[t]:.2f}' for r in rows) + f' (mean {np.mean([r[t] for r in rows]):.2f})'
                                             for t in ('P', 'R', *TYPES, 'POL')), flush=True)


def nested_lines(res, fam, W, base):
    """For each family of configurations ({weight: name}), the CRF weight chosen on the other
    blocks for each block (nested CV), printed as one line paired against `base`; {family: weights}."""
    nested = {}
    for fname, ws in fam.items():
        k = len(res[ws[W[0]]])  # the blocks scored (all five, or the folds trained so far)
        pick = [max(W, key=lambda w: np.mean([res[ws[w]][j]['micro'] for j in range(k) if j != f])) for f in range(k)]
        nested[fname] = pick
        print(f'nested {fname}: weights {pick}')
        line(f'  nested {fname}', [res[ws[w]][f] for f, w in enumerate(pick)], base)
    return nested
