import sys, time, json, itertools; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from harness import *
folds = [Fold(f) for f in range(5)]
M2 = [('base', 0), ('base', 1)]
res = {}
def ev(key, cfg):
    f1 = [score_entities(fo.gold, run(fo, cfg))['micro']['f1'] for fo in folds]
    res[key] = f1
    print(key, ' '.join(f'{x:.2f}' for x in f1), f'{np.mean(f1):.2f}', flush=True)
for mix, w in [('lin', 0.5), ('seq', 0.4)]:
    for bo, borg, bmisc in itertools.product([0, -0.25, -0.5, -1.0], [0, 0.25, 0.5], [0, 0.25, 0.5]):
        ev(f"{mix} {w} O{bo} ORG{borg} MISC{bmisc}", dict(members=M2, mix=mix, w=w, bias={'O': bo, 'ORG': borg, 'MISC': bmisc}))
    for mc, mf in itertools.product([0.4, 0.5, 0.6, 0.7, 0.8, 1.01], [1000, 3000, 10000]):
        ev(f"{mix} {w} minconf{mc} maxfreq{mf}", dict(members=M2, mix=mix, w=w, min_conf=mc, max_freq=mf))
    ev(f"{mix} {w} nooverrides", dict(members=M2, mix=mix, w=w, overrides=False))
    for ctx in (0, 10, 40):
        ev(f"{mix} {w} context{ctx}", dict(members=M2, mix=mix, w=w, context=ctx))
json.dump(res, open('/tmp/ner7/expB.json', 'w'))
