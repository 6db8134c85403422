"""A CRF retrained with other gazetteer groups (each fold's CRF with its own gazetteer, the kept
fold network with the shipped one) in the product, paired per fold against what ships (CRF +
network 13, product 0.4); then the three-member product with the language-model variant's
network. python expE.py NAME ... (after `dump.py NAME=CVDIR`, same NER_MARG); --aqmar adds AQMAR dev.
"""
import sys, os, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *

names = [a for a in sys.argv[1:] if not a.startswith('--')]
# NAME0: the same CRF with its document-level features off (dump.py NAME0=CVDIR:0), for "each sentence alone"
alone = {n: n + '0' for n in names if (MARG / f'fold-0-{n}0.pkl').exists()}
folds = [Fold(f, names=('base', 'lm', *names, *alone.values())) for f in range(5)]
C, N13, NLM = ('base', 0), ('base', 1), ('lm', 1)
SHIP = dict(members=[C, N13], mix='seq', w=0.4)
cfgs = {'shipped: CRF + net13, product 0.4': SHIP, 'CRF alone (shipped gazetteer)': dict(members=[C])}
for n in names:
    G = (n, 0)
    cfgs[f'CRF[{n}] alone'] = dict(members=[G])
    for w in (0.3, 0.4, 0.5):
        cfgs[f'CRF[{n}] + net13, product {w}'] = dict(members=[G, N13], mix='seq', w=w)
for crf in [C] + [(n, 0) for n in names]:
    for w in (0.2, 0.3, 0.4, 0.5):
        cfgs[f'CRF[{crf[0]}] + net13 + netLM, product {w}'] = dict(members=[crf, N13, NLM], mix='seq', w=w)


def scores(fos, cfg):
    rows, G, P = [], [], []
    for fo in fos:
        tags = run(fo, cfg); s = score_entities(fo.gold, tags); s0 = score_entities(fo.gold, run(fo, dict(cfg, context=0, members=[(alone.get(n, n), i) for n, i in cfg['members']])))
        tp, pr, pg = (sum(s[t][k] for t in ('PER', 'ORG', 'LOC')) for k in ('tp', 'pred', 'gold'))  # POL: PER/ORG/LOC only
        rows.append({t: round(s[t]['f1'], 2) for t in s} | {'P': round(s['micro']['precision'], 2), 'POL': round(200 * tp / (pr + pg), 2),
                     'R': round(s['micro']['recall'], 2), 'sent': round(s0['micro']['f1'], 2)})
        G += fo.gold; P += tags
    return rows, round(score_entities(G, P)['micro']['f1'], 2)


def report(res, pooled, base_key):
    base = [r['micro'] for r in res[base_key]]
    for name, rows in res.items():
        f1 = [r['micro'] for r in rows]; d = np.array(f1) - base
        print(f'{name:42}', ' '.join(f'{x:6.2f}' for x in f1), f'mean {np.mean(f1):.2f} ± {np.std(f1, ddof=1):.2f} pooled {pooled[name]:.2f}'
              f' | paired', ' '.join(f'{x:+.2f}' for x in d), f'{d.mean():+.2f} ± {d.std(ddof=1):.2f}')
        print('    ' + ' | '.join(f"{t} {np.mean([r[t] for r in rows]):.2f}" for t in ('P', 'R', 'PER', 'ORG', 'LOC', 'MISC', 'POL', 'sent')), flush=True)


res, pooled = {}, {}
for name, cfg in cfgs.items():
    res[name], pooled[name] = scores(folds, cfg)
report(res, pooled, 'shipped: CRF + net13, product 0.4')
# nested choice of the CRF weight of the three-member product (choose on four blocks, score the fifth)
for crf in [C] + [(n, 0) for n in names]:
    keys = [k for k in res if k.startswith(f'CRF[{crf[0]}] + net13 + netLM')]
    nest = []
    for f in range(5):
        k = max(keys, key=lambda k: np.mean([res[k][j]['micro'] for j in range(5) if j != f])); nest.append((k.split()[-1], res[k][f]['micro']))
    d = np.array([x[1] for x in nest]) - [r['micro'] for r in res['shipped: CRF + net13, product 0.4']]
    print(f'nested 3-member CRF[{crf[0]}]: weights', [x[0] for x in nest], f'mean {np.mean([x[1] for x in nest]):.2f}',
          ' '.join(f'{x:+.2f}' for x in d), f'{d.mean():+.2f} ± {d.std(ddof=1):.2f}', flush=True)
json.dump({'res': res, 'pooled': pooled}, open(MARG / f"expE-{'-'.join(names)}.json", 'w'))

if '--aqmar' in sys.argv:
    dirs = {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv'} | {n: f'/tmp/nerq/work-{n}/cv' for n in names} \
        | {a: f'/tmp/nerq/work-{n}/cv:0' for n, a in alone.items()}
    aq = [AqmarFold(f, dirs) for f in range(5)]
    ares, apooled = {}, {}
    for name in ['shipped: CRF + net13, product 0.4'] + [f'CRF[{n}] + net13, product 0.4' for n in names] + \
            [f'CRF[{c}] + net13 + netLM, product 0.3' for c in ['base', *names]]:
        ares[name], apooled[name] = scores(aq, cfgs[name])
    print('AQMAR dev, each fold\'s models:')
    report(ares, apooled, 'shipped: CRF + net13, product 0.4')
    json.dump({'res': ares, 'pooled': apooled}, open(MARG / f"expE-aqmar-{'-'.join(names)}.json", 'w'))
