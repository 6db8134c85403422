import sys, json; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
folds = [Fold(f) for f in range(5)]
M2 = [('base', 0), ('base', 1)]
out = {}
for name, cfg in [('linear 0.5', dict(members=M2)), ('product 0.4', dict(members=M2, mix='seq', w=0.4)), ('product 0.5', dict(members=M2, mix='seq', w=0.5))]:
    for ctx in (20, 0):
        rows = []; G = []; P = []
        for fo in folds:
            tags = run(fo, dict(cfg, context=ctx)); s = score_entities(fo.gold, tags)
            rows.append({t: round(s[t]['f1'], 2) for t in s} | {'P': round(s['micro']['precision'], 2), 'R': round(s['micro']['recall'], 2)})
            G += fo.gold; P += tags
        pooled = score_entities(G, P)['micro']['f1']
        out[f'{name} ctx{ctx}'] = rows
        print(name, 'ctx', ctx, 'pooled', round(pooled, 2))
        for t in ('micro', 'P', 'R', 'PER', 'ORG', 'LOC', 'MISC'):
            v = [r[t] for r in rows]; print(f'  {t:5}', ' '.join(f'{x:6.2f}' for x in v), f'mean {np.mean(v):.2f} sd {np.std(v, ddof=1):.2f}')
json.dump(out, open('/tmp/ner7/pertype.json', 'w'))
