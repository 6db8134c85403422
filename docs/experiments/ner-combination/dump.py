"""Dump per-model emissions/marginals of kept fold models on their held-out blocks (into $NER_MARG)."""
import os, sys, time, pickle
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import MARG, Path, blocks, model_scores

dirs = {'base': '/tmp/rasid-ner-aqmar/cv', 'lm': '/tmp/nerlm/work/cv'}
extra = sys.argv[1:]  # name=dir pairs; name=dir:0, the document-level features of its CRF off
windows = {}
for e in extra:
    n, d = e.split('=', 1); d, _, w = d.partition(':'); dirs[n] = d
    windows[n] = int(w) if w else None
MARG.mkdir(exist_ok=True)
t0 = time.process_time()
for f in range(5):
    tokens = [t for t, _ in blocks[f]]
    for name, d in dirs.items():
        p = MARG / f'fold-{f}-{name}.pkl'
        if p.exists() or not (Path(d) / f'fold-{f}' / 'manifest.json').exists():
            continue
        rec = model_scores(Path(d) / f'fold-{f}', tokens, windows.get(name))
        pickle.dump(rec, open(p, 'wb'))
        print(f, name, rec['marg'].shape, time.process_time() - t0, flush=True)
