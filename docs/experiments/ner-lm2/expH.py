"""The kept-LM network against the first LM variant's (same language model, same CRF, no
discriminative rates) and against what ships, product 0.4: paired per block, per type.
NER_MARG=/tmp/nerlm2/marg python docs/experiments/ner-lm2/expH.py [--aqmar]   (after dump.py lm2=/tmp/nerlm2/work/cv)
"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ner-combination'))
from harness import *

avail = [f for f in range(5) if (MARG / f'fold-{f}-lm2.pkl').exists()]
print('blocks', [f + 1 for f in avail])
C, N13, NLM, NLM2 = ('base', 0), ('base', 1), ('lm', 1), ('lm2', 1)
cfgs = {'shipped: CRF + net13, product 0.4': dict(members=[C, N13], mix='seq', w=0.4),
        'CRF + net[lm] (LM 60k, full rate), product 0.4': dict(members=[C, NLM], mix='seq', w=0.4),
        'CRF + net[lm2] (LM 60k, rates / 2.6), product 0.4': dict(members=[C, NLM2], mix='seq', w=0.4)}


def table(folds, title):
    print(title)
    res = {name: [score(fo, cfg) for fo in folds] for name, cfg in cfgs.items()}
    names = list(res)
    for name in names:
        line(name, res[name], res[names[0]])
    line('lm2 against lm', res[names[2]], res[names[1]])


table([Fold(f, names=('base', 'lm', 'lm2')) for f in avail], 'ANERcorp, each block by its fold models (running text)')
if '--aqmar' in sys.argv:
    table([AqmarFold(f, {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv', 'lm2': '/tmp/nerlm2/work/cv'})
           for f in avail], "AQMAR dev, each fold's models")
