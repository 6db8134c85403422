import sys, time, json, itertools; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
folds = [Fold(f) for f in range(5)]
M2 = [('base', 0), ('base', 1)]; M3 = [('base', 0), ('base', 1), ('lm', 1)]
res = {}
for mem, mix, w, dec in itertools.product([M2, M3], ['lin', 'poe', 'seq'], [0.3, 0.4, 0.5, 0.6, 0.7], ['viterbi', 'argmax']):
    cfg = dict(members=mem, mix=mix, w=w, decode=dec)
    f1 = [score_entities(fo.gold, run(fo, cfg))['micro']['f1'] for fo in folds]
    key = f"{len(mem)} {mix} {w} {dec}"
    res[key] = f1
    print(key, ' '.join(f'{x:.2f}' for x in f1), f'{np.mean(f1):.2f}', flush=True)
json.dump(res, open('/tmp/ner7/expA.json', 'w'))
