"""Dump per-model emissions/marginals of kept fold models on their held-out blocks."""
import sys, time, pickle
from pathlib import Path
import numpy as np
from rasid.eval.ner import read_conll
from rasid.train.ner_cv import fold_blocks
from rasid.stages.ner import NERTagger
from rasid.stages.ner_nn import flat_marginals

data = Path('/work/shared/data')
sents = read_conll(data / 'ner/anercorp/train.txt')
blocks = fold_blocks(sents, 5)
dirs = {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv'}
extra = sys.argv[1:]  # name=dir pairs
for e in extra:
    n, d = e.split('=', 1); dirs[n] = d
out = Path('/tmp/ner7/marg'); out.mkdir(exist_ok=True)
t0 = time.process_time()
for f in range(5):
    tokens = [t for t, _ in blocks[f]]
    rec = {}
    for name, d in dirs.items():
        p = out / f'fold-{f}-{name}.pkl'
        if p.exists() or not (Path(d) / f'fold-{f}' / 'manifest.json').exists():
            continue
        tg = NERTagger(Path(d) / f'fold-{f}')
        batch = tg.batch(tokens)
        models = [tg.crf, *tg.nets]
        em = [tg.crf.batch_scores(batch)] + [n.batch_emissions(batch) for n in tg.nets]
        tr = [np.stack([getattr(m, k) for m in models]) for k in ('trans', 'start', 'end')]
        marg = flat_marginals(np.stack(em), batch.lengths, *tr)
        pickle.dump({'em': np.stack(em), 'trans': tr, 'marg': marg, 'lengths': batch.lengths}, open(p, 'wb'))
        print(f, name, marg.shape, time.process_time() - t0, flush=True)
        del tg
