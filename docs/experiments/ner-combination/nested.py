import sys, time, json, itertools; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
folds = [Fold(f) for f in range(5)]
M2 = [('base', 0), ('base', 1)]
grid = []
for mix, w, bo, borg, mc in itertools.product(['lin', 'poe', 'seq'], [0.3, 0.4, 0.5, 0.6, 0.7], [0, -0.25], [0, 0.25], [0.6, 0.7]):
    grid.append((f"{mix} w{w} O{bo} ORG{borg} mc{mc}", dict(members=M2, mix=mix, w=w, bias={'O': bo, 'ORG': borg}, min_conf=mc)))
F = {}
for key, cfg in grid:
    F[key] = [score_entities(fo.gold, run(fo, cfg))['micro']['f1'] for fo in folds]
json.dump(F, open('/tmp/ner7/nested.json', 'w'))
base = F['lin w0.5 O0 ORG0 mc0.6']
def nested(keys, label):
    out = []
    for f in range(5):
        best = max(keys, key=lambda k: np.mean([F[k][j] for j in range(5) if j != f]))
        out.append((best, F[best][f]))
    d = [o[1] - b for o, b in zip(out, base)]
    print(label, 'chosen:', [o[0] for o in out])
    print('  nested F1', ' '.join(f'{o[1]:.2f}' for o in out), f'mean {np.mean([o[1] for o in out]):.2f}',
          '| diff', ' '.join(f'{x:+.2f}' for x in d), f'mean {np.mean(d):+.2f} sd {np.std(d, ddof=1):.2f}')
print('baseline', ' '.join(f'{x:.2f}' for x in base), f'{np.mean(base):.2f}')
nested(list(F), 'all 120 configs')
nested([k for k in F if k.startswith('seq') and 'O0 ORG0 mc0.6' in k], 'seq, w only')
nested([k for k in F if k.startswith('lin') and 'O0 ORG0 mc0.6' in k], 'lin, w only')
nested([k for k in F if k.startswith('poe') and 'O0 ORG0 mc0.6' in k], 'poe, w only')
nested([k for k in F if 'O0 ORG0 mc0.6' in k], 'mix and w')
