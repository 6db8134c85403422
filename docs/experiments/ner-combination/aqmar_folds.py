"""AQMAR dev (out of domain) for each fold model: CRF+net13 (product 0.4) against CRF+net13+net14 (product, CRF 0.4)."""
import sys, os, json, shutil, hashlib
from pathlib import Path
import numpy as np
from rasid.stages.ner import NERTagger
from rasid.eval.ner import read_conll, score_entities
sents = read_conll('/work/shared/data/ner/aqmar/dev.txt')
gold = [y for _, y in sents]; toks = [t for t, _ in sents]
def two_net(f):
    d = Path(f'/tmp/ner7/two-net-{f}')
    if not d.exists():
        shutil.copytree(f'/tmp/rasid-ner-aqmar/cv/fold-{f}', d)
        shutil.copy(f'/tmp/ner7/work/cv/fold-{f}/nn-1.npz', d / 'nn-2.npz')
        m = json.loads((d / 'manifest.json').read_text())
        b = (d / 'nn-2.npz').read_bytes()
        m['files']['nn-2.npz'] = {'sha256': hashlib.sha256(b).hexdigest(), 'bytes': len(b)}
        m['ensemble']['networks'] = ['nn-1.npz', 'nn-2.npz']
        (d / 'manifest.json').write_text(json.dumps(m, ensure_ascii=False, indent=1))
    return d
def set_w(tg, w):
    k = len(tg.nets); tg.crf_weight = w; tg.weights = np.array([w] + [(1 - w) / k] * k)
    ms = [tg.crf, *tg.nets]
    tg.trans, tg.start, tg.end = (np.tensordot(tg.weights, np.stack([getattr(m, a) for m in ms]), 1) for a in ('trans', 'start', 'end'))
def f1s(s):
    t = sum(s[k]['tp'] for k in ('PER', 'ORG', 'LOC')); p = sum(s[k]['pred'] for k in ('PER', 'ORG', 'LOC')); g = sum(s[k]['gold'] for k in ('PER', 'ORG', 'LOC'))
    return s['micro']['f1'], 200 * t / (p + g)
for f in map(int, sys.argv[1:]):
    if not os.path.exists(f'/tmp/ner7/work/cv/fold-{f}/manifest.json'):
        continue
    out = [f + 1]
    for d, w in ((Path(f'/tmp/rasid-ner-aqmar/cv/fold-{f}'), 0.5), (Path(f'/tmp/rasid-ner-aqmar/cv/fold-{f}'), 0.4), (two_net(f), 0.4), (two_net(f), 0.3)):
        tg = NERTagger(d); set_w(tg, w)
        s = score_entities(gold, tg.tag_sentences(toks, context=20)); out.append('%.2f (%.2f)' % f1s(s))
    print(' | '.join(map(str, out)), flush=True)
