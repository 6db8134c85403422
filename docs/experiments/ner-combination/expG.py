"""A retrained fold model (its own CRF and its own network, as `rasid train ner` with its flags
would ship it) against what ships and against its CRF beside the kept network:
python expG.py NEW=CVDIR CRF=CVDIR [--aqmar]   e.g. expG.py docprn=/tmp/nerq2/work-docprn/cv docpr=/tmp/nerq/work-docpr/cv --aqmar
NEW, CRF: names dumped by dump.py into the same NER_MARG (NEW's CRF is its member 0, its network member 1; CRF's
member 0 is the CRF measured beside the kept network; where the two CRFs differ, CRF's beside NEW's network too,
e.g. expG.py docn=/tmp/nerq3/work-docn/cv docpr=/tmp/nerq/work-docpr/cv). At CRF weights 0.2-0.6 and the nested choice of the
weight (chosen on four blocks, the fifth scored), paired per block against what ships (CRF + net13, product
0.4), per type per block; each network alone; --aqmar: AQMAR dev with each fold's models at the weight nested
for that fold. Also checks that NEW's product at 0.4 (the weight in its manifest) reproduces the fold's own predictions (CVDIR/fold-I@100.json).
"""
import sys, os, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *

args = dict(a.split('=', 1) for a in sys.argv[1:] if not a.startswith('--'))
new, crf = list(args)
# the folds whose NEW models are dumped (all five, or those trained so far: then the figures are over those blocks)
avail = [f for f in range(5) if (MARG / f'fold-{f}-{new}.pkl').exists()]
print('blocks', [f + 1 for f in avail])
folds = [Fold(f, names=('base', new, crf)) for f in avail]
C, N13, G, NC, NN = ('base', 0), ('base', 1), (crf, 0), (new, 0), (new, 1)
for fo in folds:  # NEW's CRF is CRF's, byte for byte and with the same features
    print(f'block {fo.f + 1}: CRF[{new}] scores equal CRF[{crf}]:', np.array_equal(fo.d[new]['em'][0], fo.d[crf]['em'][0]))
SHIP = 'shipped: CRF + net13, product 0.4'
W = (0.2, 0.3, 0.4, 0.5, 0.6)
cfgs = {SHIP: dict(members=[C, N13], mix='seq', w=0.4),
        'net13 alone': dict(members=[N13]), f'net[{new}] alone': dict(members=[NN])}
fam = {}  # family -> {weight: config name}
same_crf = all(np.array_equal(fo.d[new]['em'][0], fo.d[crf]['em'][0]) for fo in folds)
for fname, mem in {f'CRF[{new}] + net[{new}] (what would ship)': [NC, NN], f'CRF[{crf}] + net13': [G, N13],
                   f'kept CRF + net[{new}]': [C, NN], f'CRF[{crf}] + net13 + net[{new}]': [G, N13, NN],
                   **({} if same_crf else {f'CRF[{crf}] + net[{new}]': [G, NN]})}.items():
    ws = fam[fname] = {w: f'{fname}, product {w}' for w in W}
    for w in W:
        cfgs[ws[w]] = dict(members=mem, mix='seq', w=w)
res = {name: [score(fo, cfg) for fo in folds] for name, cfg in cfgs.items()}
for name, rows in res.items():
    line(name, rows, res[SHIP])
own_w = [json.load(open(Path(args[new]) / f'fold-{fo.f}' / 'manifest.json'))['settings']['crf_weight'] for fo in folds]
own = [score_entities(fo.gold, json.load(open(Path(args[new]) / f'fold-{fo.f}@100.json'))['pred']['context'])['micro']['f1']
       for fo in folds]
print(f"the folds' own predictions (rasid train ner --cv, product {own_w}):", ' '.join(f'{x:.2f}' for x in own),
      '; the harness:', ' '.join(f"{res[fam[list(fam)[0]][w]][j]['micro']:.2f}" for j, w in enumerate(own_w)))
nested = nested_lines(res, fam, W, res[SHIP])
json.dump({'res': res, 'nested': nested}, open(MARG / f'expG-{new}-{crf}.json', 'w'))

if '--aqmar' in sys.argv:
    aq = [AqmarFold(f, {'base': '/tmp/rasid-ner-aqmar/cv', **args}) for f in avail]
    print("AQMAR dev, each fold's models (nested: the weight chosen for that fold on the other four blocks):")
    ares = {SHIP: [score(fo, cfgs[SHIP]) for fo in aq]}
    for fname, pick in nested.items():
        ares[f'{fname}, product 0.4'] = [score(fo, cfgs[fam[fname][0.4]]) for fo in aq]
        ares[f'nested {fname}'] = [score(fo, cfgs[fam[fname][w]]) for fo, w in zip(aq, pick)]
    for name, rows in ares.items():
        line(name, rows, ares[SHIP])
    json.dump(ares, open(MARG / f'expG-aqmar-{new}-{crf}.json', 'w'))
