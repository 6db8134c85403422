"""The second network (seed 14) in the ensemble: paired against the shipped product 0.4, on the folds trained so far."""
import sys, json, itertools, os; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
avail = [f for f in range(5) if os.path.exists(f'/tmp/ner7/marg/fold-{f}-s14.pkl')]
folds = [Fold(f, names=('base', 'lm', 's14')) for f in avail]
C, N13, N14, NLM = ('base', 0), ('base', 1), ('s14', 1), ('lm', 1)
ref = dict(members=[C, N13], mix='seq', w=0.4)
cfgs = {'shipped: CRF+net13 product 0.4': ref,
        'CRF+net14 product 0.4': dict(members=[C, N14], mix='seq', w=0.4),
        'CRF+net13 average 0.5': dict(members=[C, N13]),
        'CRF+net14 average 0.5': dict(members=[C, N14]),
        'nets 13+14 only (no CRF), product': dict(members=[C, N13, N14], mix='seq', w=0.0)}
for w in (0.2, 0.3, 0.4, 0.5):
    cfgs[f'CRF+net13+net14 product {w}'] = dict(members=[C, N13, N14], mix='seq', w=w)
for w in (0.3, 0.4, 0.5):
    cfgs[f'CRF+net13+net14 average {w}'] = dict(members=[C, N13, N14], w=w)
for w in (0.25, 0.3, 0.4):
    cfgs[f'CRF+net13+net14+netLM product {w}'] = dict(members=[C, N13, N14, NLM], mix='seq', w=w)
res = {}
print('folds', [f + 1 for f in avail])
for name, cfg in cfgs.items():
    rows = []
    for fo in folds:
        s = score_entities(fo.gold, run(fo, cfg)); s0 = score_entities(fo.gold, run(fo, dict(cfg, context=0)))
        rows.append({t: round(s[t]['f1'], 2) for t in s} | {'P': round(s['micro']['precision'], 2), 'R': round(s['micro']['recall'], 2), 'sent': round(s0['micro']['f1'], 2)})
    res[name] = rows
base = [r['micro'] for r in res['shipped: CRF+net13 product 0.4']]
for name, rows in res.items():
    f1 = [r['micro'] for r in rows]; d = [a - b for a, b in zip(f1, base)]
    print(f'{name:40}', ' '.join(f'{x:6.2f}' for x in f1), f'mean {np.mean(f1):.2f} | diff', ' '.join(f'{x:+.2f}' for x in d),
          f'mean {np.mean(d):+.2f}' + (f' sd {np.std(d, ddof=1):.2f}' if len(d) > 1 else ''))
    for t in ('PER', 'ORG', 'LOC', 'MISC', 'P', 'R', 'sent'):
        print(f'    {t:5}', ' '.join(f'{r[t]:6.2f}' for r in rows), f'mean {np.mean([r[t] for r in rows]):.2f}')
json.dump(res, open('/tmp/ner7/expC.json', 'w'))
