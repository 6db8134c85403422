"""A retrained CRF (its own folder's features) with the kept network and a further network:
python expF.py CRF NET [NET ...] [--aqmar]   e.g. expF.py doc lm s14 --aqmar
CRF, NET: names dumped by dump.py into the same NER_MARG (NET's network is its member 1;
/tmp/ner7/marg's s14 dumps copied there: the seed-14 folds' CRFs are the kept ones). For each
NET: CRF + net13 + NET (and CRF + net13 alone) at CRF weights 0.2-0.6 and the nested choice of the weight (chosen on four
blocks, the fifth scored), paired per block against what ships (CRF + net13, product 0.4), per
type per block; --aqmar: AQMAR dev with each fold's models at the weight nested for that fold.
"""
import sys, os, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *

args = [a for a in sys.argv[1:] if not a.startswith('--')]
crf, nets = args[0], args[1:]
folds = [Fold(f, names=('base', crf, *nets)) for f in range(5)]
C, N13, G = ('base', 0), ('base', 1), (crf, 0)
SHIP = 'shipped: CRF + net13, product 0.4'
W = (0.2, 0.3, 0.4, 0.5, 0.6)
cfgs = {SHIP: dict(members=[C, N13], mix='seq', w=0.4)}
fam = {}  # family -> {weight: config name}
ws = fam[f'CRF[{crf}] + net13'] = {w: f'CRF[{crf}] + net13, product {w}' for w in W}
for w in W:
    cfgs[ws[w]] = dict(members=[G, N13], mix='seq', w=w)
for c in (C, G):
    for n in nets:
        ws = fam[f'CRF[{c[0]}] + net13 + net[{n}]'] = {w: f'CRF[{c[0]}] + net13 + net[{n}], product {w}' for w in W}
        for w in W:
            cfgs[ws[w]] = dict(members=[c, N13, (n, 1)], mix='seq', w=w)
res = {name: [score(fo, cfg) for fo in folds] for name, cfg in cfgs.items()}
for name, rows in res.items():
    line(name, rows, res[SHIP])
nested = nested_lines(res, fam, W, res[SHIP])
json.dump({'res': res, 'nested': nested}, open(MARG / f"expF-{crf}-{'-'.join(nets)}.json", 'w'))

if '--aqmar' in sys.argv:
    dirs = {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv', 's14': '/tmp/ner7/work/cv'}
    dirs = {n: dirs.get(n, f'/tmp/nerq/work-{n}/cv') for n in ('base', crf, *nets)}
    aq = [AqmarFold(f, dirs) for f in range(5)]
    print("AQMAR dev, each fold's models (nested: the weight chosen for that fold on the other four blocks):")
    ares = {SHIP: [score(fo, cfgs[SHIP]) for fo in aq]}
    ares[f'CRF[{crf}] + net13, product 0.4'] = [score(fo, cfgs[fam[f'CRF[{crf}] + net13'][0.4]]) for fo in aq]
    for fname, pick in nested.items():
        ares[f'nested {fname}'] = [score(fo, cfgs[fam[fname][w]]) for fo, w in zip(aq, pick)]
    for name, rows in ares.items():
        line(name, rows, ares[SHIP])
    json.dump(ares, open(MARG / f"expF-aqmar-{crf}-{'-'.join(nets)}.json", 'w'))
