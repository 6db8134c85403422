"""CRF + net13 + the language-model variant's network (kept fold models, all 5 blocks), product; nested choice of the CRF weight."""
import sys, json; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
folds = [Fold(f) for f in range(5)]
C, N13, NLM = ('base', 0), ('base', 1), ('lm', 1)
F = {}
for w in (0.2, 0.3, 0.4, 0.5):
    F[w] = [score_entities(fo.gold, run(fo, dict(members=[C, N13, NLM], mix='seq', w=w)))['micro']['f1'] for fo in folds]
base = [score_entities(fo.gold, run(fo, dict(members=[C, N13], mix='seq', w=0.4)))['micro']['f1'] for fo in folds]
for w, f1 in F.items():
    d = np.array(f1) - base
    print(w, ' '.join(f'{x:.2f}' for x in f1), f'mean {np.mean(f1):.2f} | diff', ' '.join(f'{x:+.2f}' for x in d), f'{d.mean():+.2f} ± {d.std(ddof=1):.2f}')
nest = []
for f in range(5):
    w = max(F, key=lambda w: np.mean([F[w][j] for j in range(5) if j != f])); nest.append((w, F[w][f]))
d = np.array([x[1] for x in nest]) - base
print('nested', nest, f'mean {np.mean([x[1] for x in nest]):.2f}', ' '.join(f'{x:+.2f}' for x in d), f'{d.mean():+.2f} ± {d.std(ddof=1):.2f}')
