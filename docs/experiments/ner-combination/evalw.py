import sys; import numpy as np
from pathlib import Path
from rasid.stages.ner import NERTagger
from rasid.eval.ner import read_conll, score_entities
model, gold = sys.argv[1], sys.argv[2]
sents = read_conll(gold)
tg = NERTagger(None if model == 'shipped' else Path(model))
for w in [float(x) for x in sys.argv[3].split(',')]:
    tg.crf_weight = w
    k = len(tg.nets)
    tg.weights = np.array([w] + [(1 - w) / k] * k)
    models = [tg.crf, *tg.nets]
    tg.trans, tg.start, tg.end = (np.tensordot(tg.weights, np.stack([getattr(m, a) for m in models]), 1) for a in ('trans', 'start', 'end'))
    s = score_entities([y for _, y in sents], tg.tag_sentences([t for t, _ in sents], context=20))
    print(model.split('/')[-1], gold.split('/')[-1], w, ' '.join(f"{t} {s[t]['f1']:.2f}" for t in ('micro', 'PER', 'ORG', 'LOC', 'MISC')), flush=True)
