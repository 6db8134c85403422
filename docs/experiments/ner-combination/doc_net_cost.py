"""The tagging cost of a network that reads the document-level features, before its folds are trained:
a model folder shaped as `rasid train ner --doc-features 20` writes it, for `bench/bench_ner.py --model`.
python doc_net_cost.py OUT [--words N]   ->  OUT/base: block 3's kept fold model (/tmp/rasid-ner-aqmar/cv/fold-2);
OUT/docn: the same with the `doc` fold CRF (/tmp/nerq/work-doc/cv/fold-2) and the kept network given one more
input column per document-level feature of the kinds it reads (rasid.train.ner_nn.DOC_INPUTS) that its training
sentences show (the other four blocks and the pretraining sentences, as build_vocab reads them; --words N: also
the words around the other mentions, D:-1b=/D:+1b=, seen N times or more), with weights drawn like its other columns'. Its scores mean nothing; its shapes, its inputs per token and so its cost are those of
the trained network (the cost depends on which features a token has, not on their weights)."""
import hashlib, io, json, shutil, sys
from collections import Counter
from pathlib import Path

import numpy as np

from rasid.eval.ner import read_conll
from rasid.stages.ner import NERTagger
from rasid.train.ner import read_extra
from rasid.train.ner_cv import fold_blocks
from rasid.train.ner_nn import DOC_INPUTS, document_inputs

out = Path(sys.argv[1])
data = Path('/work/shared/data')
BASE, DOC = Path('/tmp/rasid-ner-aqmar/cv/fold-2'), Path('/tmp/nerq/work-doc/cv/fold-2')
blocks = fold_blocks(read_conll(data / 'ner/anercorp/train.txt'), 5)
train = [t for b in (0, 1, 3, 4) for t, _ in blocks[b]]
pretrain = [t for name in ('wikifane', 'aqmar') for t, _ in read_extra(data, name) if len(t) <= 120]
tg = NERTagger(BASE, networks=0)
seen = Counter(f for doc in document_inputs(train + pretrain, tg.describe, tg.resources, 20) for d in doc for f in d)
words = int(sys.argv[sys.argv.index('--words') + 1]) if '--words' in sys.argv else 0
doc_feats = sorted(f for f, n in seen.items() if f.startswith(DOC_INPUTS) or words and n >= words)
print(len(doc_feats), 'document-level inputs of', len(seen))

z = dict(np.load(BASE / 'nn-1.npz', allow_pickle=False))
old = [str(f) for f in z['feats']]
feats = sorted(set(old) | set(doc_feats))
w = np.zeros((z['fproj_w'].shape[0], len(feats)), z['fproj_w'].dtype)
col = {f: i for i, f in enumerate(feats)}
w[:, [col[f] for f in old]] = z['fproj_w']
rng = np.random.default_rng(0)
new = [col[f] for f in doc_feats]
w[:, new] = rng.normal(0, z['fproj_w'].std(), (w.shape[0], len(new)))
z['feats'], z['fproj_w'] = np.array(feats), w
buf = io.BytesIO()
np.savez_compressed(buf, **z)

for name in ('base', 'docn'):
    d = out / name
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(BASE, d)
    m = json.loads((d / 'manifest.json').read_text())
    m['ensemble']['crf_weight'] = 0.4
    if name == 'docn':
        for f in ('model.crfsuite', 'crf.npz'):
            shutil.copyfile(DOC / f, d / f)
        (d / 'nn-1.npz').write_bytes(buf.getvalue())
        m['settings']['doc_features'] = 20
    for f in m['files']:
        b = (d / f).read_bytes()
        m['files'][f] = {'sha256': hashlib.sha256(b).hexdigest(), 'bytes': len(b)}
    (d / 'manifest.json').write_text(json.dumps(m, ensure_ascii=False, indent=1) + '\n')
    t = NERTagger(d)
    print(name, 'network reads the document-level features:', t.nets[0].reads_doc, 'window', t.doc_window)
